// The review panel's Attempts section and cost breakdown in a real Chromium: the panel bundle under the host's CSP with
// a fake host. Skips (saying why) without Chromium or the bundle, unless PATCHPILOT_REQUIRE_BROWSER is set.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumPath, launchChromium, type Chromium, type FakeHostWindow } from '../../../bench/sidebar/page';
import { repoRoot } from '../../../bench/support/main';
import type { HostToPanelMessage } from '../../../src/shared/protocol';
import { emptySnapshot, type AttemptRowView, type PanelSnapshot } from '../../../src/shared/viewModel';

const bundle = path.join(repoRoot, 'media', 'dist', 'panel.js');
const stylesheet = path.join(repoRoot, 'media', 'panel.css');
const theme = path.join(repoRoot, 'bench', 'sidebar', 'vscode-theme.css');

/** The panel page as the host serves it (src/host/panelHtml.ts), with file: standing in for webview.cspSource. */
function writePanelPage(dir: string): string {
  const nonce = randomBytes(18).toString('base64');
  const csp = ["default-src 'none'", 'style-src file:', 'img-src file: data:', 'font-src file:', `script-src 'nonce-${nonce}'`].join('; ');
  const stub = `window.__posted = []; window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || e.sample)));
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))), getState: () => undefined, setState: () => undefined });`;
  const file = path.join(dir, 'panel.html');
  fs.writeFileSync(file, `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="file://${theme}"><link rel="stylesheet" href="file://${stylesheet}">
<script nonce="${nonce}">${stub}</script><title>Patchpilot</title></head>
<body class="vscode-dark"><div id="app" role="application"></div><script nonce="${nonce}" src="file://${bundle}"></script></body></html>`);
  return file;
}

function row(id: string, fields: Partial<AttemptRowView>): AttemptRowView {
  return { id, model: 'gpt-4.1-mini', state: 'finished', status: 'stopped', reason: 'max_steps', steps: 2, failingTests: 1, regressions: 0, diffLines: 2,
    tokens: 989, costUsd: 0.0004, rank: null, chosen: false, reasons: [], files: ['src/math.js'], summary: '', ...fields };
}

function snapshot(): PanelSnapshot {
  return {
    ...emptySnapshot(), taskId: 'task-1', title: 'Fix the failing tests', status: 'review', statusText: 'Waiting for your review before writing',
    meter: { ...emptySnapshot().meter, steps: 6, maxSteps: 6, tokens: 2966, costUsd: 0.0012 },
    attempts: {
      count: 3, parallel: 2, judged: true, chosen: 'attempt-2', conflicts: [], reasons: ['Chosen: attempt-2 (verified, 0 failing, 0 regressions).'],
      rows: [
        row('attempt-1', { rank: 2, reasons: ['attempt-2 over attempt-1 by verified: verified vs not verified.'] }),
        row('attempt-2', { rank: 1, chosen: true, status: 'verified', reason: null, failingTests: 0, model: 'gpt-4.1', costUsd: null }),
        row('attempt-3', { rank: 3, failingTests: 2, regressions: 1, files: ['src/math.js', 'src/text.js'] }),
      ],
    },
    costs: { roles: [{ role: 'coder', model: 'gpt-4.1-mini', calls: 6, tokens: 2966, costUsd: 0.0012 }],
      attempts: [{ id: 'attempt-1', model: 'gpt-4.1-mini', tokens: 989, costUsd: 0.0004 }], perVerifiedFix: { tokens: 2966, costUsd: 0.0012 } },
  };
}

describe('review panel: attempts and costs (Chromium)', function () {
  this.timeout(30_000);
  let chromium: Chromium | undefined;
  let file: string;
  let page: Page;
  let errors: string[];

  before(async function () {
    const missing = !fs.existsSync(bundle) || fs.statSync(bundle).size < 1024 ? 'media/dist/panel.js is missing (run npm run build)'
      : !fs.existsSync(chromiumPath()) ? `no Chromium at ${chromiumPath()}` : null;
    if (missing) {
      if (process.env.PATCHPILOT_REQUIRE_BROWSER) throw new Error(`PATCHPILOT_REQUIRE_BROWSER is set but ${missing}`);
      console.log(`      skipped: ${missing}`);
      this.skip();
    }
    file = writePanelPage(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-panel-page-')));
    chromium = await launchChromium();
  });
  after(async () => chromium?.close());

  beforeEach(async () => {
    page = await chromium!.context.newPage();
    await page.setViewportSize({ width: 1100, height: 800 });
    errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`file://${file}`);
    await page.waitForFunction(() => (window as unknown as FakeHostWindow).__posted.length > 0);
  });
  afterEach(async function () {
    const violations = await page.evaluate(() => (window as unknown as FakeHostWindow).__cspViolations);
    await page.close();
    if (this.currentTest?.state === 'passed') {
      assert.deepEqual(violations, [], 'no CSP violations');
      assert.deepEqual(errors, [], 'no page errors');
    }
  });

  const post = async (message: HostToPanelMessage) => {
    await page.evaluate((m) => window.postMessage(m, '*'), message);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
  };
  const texts = (selector: string) => page.locator(selector).allTextContents();

  it('lists the attempts best first with status, figures, the judge\'s reasons and the chosen mark', async () => {
    await post({ type: 'snapshot', state: snapshot() });
    assert.deepEqual(await texts('#attempts .attempt-id'), ['attempt-2', 'attempt-1', 'attempt-3']);
    assert.deepEqual(await texts('#attempts .attempt-rank'), ['#1', '#2', '#3']);
    assert.equal(await page.locator('#attempts .attempt.chosen').getAttribute('data-attempt'), 'attempt-2');
    assert.deepEqual(await texts('#attempts .chosen-chip'), ['Chosen']);
    assert.equal((await texts('#attempts-headline'))[0], 'Chosen: attempt-2 (verified, 0 failing, 0 regressions).');
    const figures = await texts('#attempts .attempt-figures');
    assert.equal(figures[0], '0 failing · 0 regressions · 2 changed lines · 2 steps · 989 tokens', 'no price: no dollar figure');
    assert.equal(figures[2], '2 failing · 1 regression · 2 changed lines · 2 steps · 989 tokens · $0.0004');
    assert.deepEqual(await texts('#attempts .attempt[data-attempt="attempt-1"] .attempt-reasons li'), ['attempt-2 over attempt-1 by verified: verified vs not verified.']);
    assert.deepEqual(await texts('#attempts .attempt-status'), ['Verified', 'Stopped', 'Stopped']);
    assert.match((await texts('#attempts .attempt[data-attempt="attempt-1"]'))[0], /\(max steps\)/);
  });

  it('asks the host for an attempt\'s diff, and says so when the host no longer has it', async () => {
    await post({ type: 'snapshot', state: snapshot() });
    await page.locator('#attempts .attempt[data-attempt="attempt-3"] .attempt-diff[data-path="src/text.js"]').click();
    const request = await page.waitForFunction(() => (window as unknown as FakeHostWindow).__posted.find((m) => (m as { type?: string }).type === 'request'));
    const sent = await request.jsonValue() as { id: number; method: string; params: unknown };
    assert.equal(sent.method, 'openAttemptDiff');
    assert.deepEqual(sent.params, { taskId: 'task-1', attempt: 'attempt-3', path: 'src/text.js' });
    await post({ type: 'reply', id: sent.id, method: 'openAttemptDiff', ok: true, result: { opened: false } });
    assert.equal((await texts('#banner'))[0], 'The diff of attempt-3 for src/text.js is no longer available.');
  });

  it('shows the cost per role, per attempt and per verified fix under the meter, and follows patches', async () => {
    await post({ type: 'snapshot', state: { ...snapshot(), attempts: { ...snapshot().attempts!, judged: false, chosen: null, reasons: [],
      rows: snapshot().attempts!.rows.map((r) => ({ ...r, rank: null, chosen: false, state: 'running' as const, status: null })) } } });
    assert.deepEqual(await texts('#costs .cost-chip'), ['Coder gpt-4.1-mini · 6 calls · 3.0k tokens · $0.0012', 'attempt-1 989 tokens · $0.0004', 'Per verified fix 3.0k tokens · $0.0012']);
    assert.equal((await texts('#attempts-headline'))[0], '3 of 3 still running (2 at once).');
    assert.deepEqual(await texts('#attempts .attempt-id'), ['attempt-1', 'attempt-2', 'attempt-3'], 'in attempt order before the judge');
    await post({ type: 'patch', patch: { attempts: snapshot().attempts, costs: { roles: [], attempts: [], perVerifiedFix: null } } });
    assert.deepEqual(await texts('#attempts .attempt-id'), ['attempt-2', 'attempt-1', 'attempt-3']);
    assert.equal(await page.locator('#costs').count(), 0, 'nothing spent: no breakdown');
  });

  it('shows no Attempts section for a task of one attempt', async () => {
    await post({ type: 'snapshot', state: { ...snapshot(), attempts: null } });
    assert.equal(await page.locator('#attempts').count(), 0);
  });
});
