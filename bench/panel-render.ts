// panel_render_ms: the real review-panel bundle (media/dist/panel.js with media/panel.css) in headless Chromium,
// given a snapshot with a change set of 5,000 hunks across 200 files: time to first paint, time to interactive and
// frame times while scrolling. Baseline in the same run and browser: a naive page that puts every hunk line in the
// DOM at once. Needs Chromium (/usr/bin/chromium, or CHROMIUM_PATH) and playwright-core.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HostToPanelMessage } from '../src/shared/protocol';
import type { FileChangeView, PanelSnapshot } from '../src/shared/viewModel';
import { emptySnapshot } from '../src/shared/viewModel';
import { benchMain, repoRoot, workDir } from './support/main';
import { median, percentile, round, unmeasured, type BenchEntries } from './support/stats';
import { installNaiveRenderer, measureInPage, type PageFigures, type PageInput } from './panel/page-measure';

const FILES = 200;
const HUNKS_PER_FILE = 25;
const RUNS = 3;
const VIEWPORT = { width: 1280, height: 800 };

function changeSet(): FileChangeView[] {
  const files: FileChangeView[] = [];
  for (let f = 0; f < FILES; f++) {
    const hunks = [];
    for (let h = 0; h < HUNKS_PER_FILE; h++) {
      const at = 10 + h * 40;
      hunks.push({
        index: h,
        header: `@@ -${at},6 +${at},7 @@`,
        lines: [
          { sign: ' ', text: `export function handler${h}(input: Request): Response {` },
          { sign: ' ', text: `  const key = input.headers.get('x-key-${f}');` },
          { sign: '-', text: `  const value = compute(input, ${h});` },
          { sign: '+', text: `  const value = computeFast(input, ${h});` },
          { sign: '+', text: `  metrics.count('handler${h}');` },
          { sign: ' ', text: `  if (!value) return notFound(${h});` },
          { sign: ' ', text: '  return ok(value);' },
        ],
      });
    }
    files.push({ path: `src/feature${Math.floor(f / 20)}/module${f}.ts`, change: 'modified', added: HUNKS_PER_FILE * 2, removed: HUNKS_PER_FILE, hunks });
  }
  return files;
}

function snapshotMessage(): HostToPanelMessage {
  const state: PanelSnapshot = {
    ...emptySnapshot(),
    taskId: 'bench', goal: 'Switch every handler to computeFast and count calls.', status: 'review', statusText: 'Review the changes',
    approval: 'auto',
    review: { reviewId: 'bench-review', title: 'Changes of the task', mode: 'final', files: changeSet() },
  };
  return { type: 'snapshot', state };
}

const STUB = `<script>
window.__longTasks = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, end: e.startTime + e.duration }); })
  .observe({ type: 'longtask', buffered: true });
window.__state = undefined;
window.acquireVsCodeApi = () => ({ postMessage: (m) => { if (m.type === 'ready') window.__ready = true; }, getState: () => window.__state, setState: (s) => { window.__state = s; } });
</script>`;

function writePages(dir: string): { panel: string; naive: string } {
  fs.mkdirSync(dir, { recursive: true });
  const css = path.join(repoRoot, 'media', 'panel.css');
  const link = fs.existsSync(css) ? `<link rel="stylesheet" href="file://${css}">` : '';
  const head = `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">${link}${STUB}</head>`;
  const panel = path.join(dir, 'panel.html');
  const naive = path.join(dir, 'naive.html');
  fs.writeFileSync(panel, `${head}<body><div id="app"></div><script src="file://${path.join(repoRoot, 'media', 'dist', 'panel.js')}"></script></body></html>`);
  fs.writeFileSync(naive, `${head}<body></body></html>`);
  return { panel, naive };
}

interface Summary { first_paint_ms: number; interactive_ms: number; rows_in_dom: number; click_to_frame_ms: number; scroll_frame_ms: { median: number; p95: number; max: number; frames_over_25ms: number }; drag_frame_ms: { median: number; p95: number; max: number } }

function summarise(runs: PageFigures[]): Summary {
  const scroll = runs.flatMap((r) => r.scrollFrameMs);
  const drag = runs.flatMap((r) => r.dragFrameMs);
  return {
    first_paint_ms: round(median(runs.map((r) => r.firstPaintMs)), 1),
    interactive_ms: round(median(runs.map((r) => r.interactiveMs)), 1),
    rows_in_dom: median(runs.map((r) => r.rowsInDom)),
    click_to_frame_ms: round(median(runs.map((r) => r.clickToFrameMs)), 1),
    scroll_frame_ms: { median: round(median(scroll), 1), p95: round(percentile(scroll, 95), 1), max: round(Math.max(...scroll), 1), frames_over_25ms: scroll.filter((t) => t > 25).length },
    drag_frame_ms: { median: round(median(drag), 1), p95: round(percentile(drag, 95), 1), max: round(Math.max(...drag), 1) },
  };
}

export async function measurePanelRender(): Promise<BenchEntries> {
  const bundle = path.join(repoRoot, 'media', 'dist', 'panel.js');
  if (!fs.existsSync(bundle) || fs.statSync(bundle).size < 1024) return { panel_render_ms: unmeasured('ms', 'media/dist/panel.js is missing or a placeholder (build first)') };
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) return { panel_render_ms: unmeasured('ms', `no Chromium at ${executablePath} (apt-get install -y chromium, or set CHROMIUM_PATH)`) };
  const { chromium } = await import('playwright-core');
  const pages = writePages(path.join(workDir, 'panel'));
  const message = snapshotMessage();
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const figures: Record<'panel' | 'naive', PageFigures[]> = { panel: [], naive: [] };
    for (let run = 0; run < RUNS; run++) {
      for (const mode of ['panel', 'naive'] as const) {
        const page = await browser.newPage({ viewport: VIEWPORT });
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        await page.goto(`file://${pages[mode]}`);
        if (mode === 'naive') await page.evaluate(installNaiveRenderer);
        if (mode === 'panel') await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true, undefined, { timeout: 10_000 });
        const input: PageInput = { message, mode, scrollFrames: 240, scrollStepPx: 120, dragFrames: 60, quietMs: 500 };
        figures[mode].push(await page.evaluate(measureInPage, input));
        if (errors.length) throw new Error(`the ${mode} page threw: ${errors.join('; ')}`);
        await page.close();
      }
    }
    const panel = summarise(figures.panel);
    const naive = summarise(figures.naive);
    return {
      panel_render_ms: {
        value: panel.first_paint_ms,
        unit: 'ms to first paint',
        runs: RUNS,
        hunks: FILES * HUNKS_PER_FILE,
        files: FILES,
        viewport: VIEWPORT,
        browser: `${browser.version()} headless`,
        panel,
        baseline_naive_full_dom: naive,
        first_paint_ratio_to_baseline: round(panel.first_paint_ms / naive.first_paint_ms, 3),
        summary: `${FILES * HUNKS_PER_FILE} hunks / ${FILES} files, median of ${RUNS} page loads: first paint ${panel.first_paint_ms} ms, interactive ${panel.interactive_ms} ms, ${panel.rows_in_dom} hunk rows in the DOM; scrolling frames median ${panel.scroll_frame_ms.median} / p95 ${panel.scroll_frame_ms.p95} / max ${panel.scroll_frame_ms.max} ms, scrollbar-drag p95 ${panel.drag_frame_ms.p95} ms; baseline naive full-DOM page: first paint ${naive.first_paint_ms} ms, interactive ${naive.interactive_ms} ms, scroll p95 ${naive.scroll_frame_ms.p95} ms`,
      },
    };
  } finally {
    await browser.close();
  }
}

benchMain(module, measurePanelRender);
