// bundle_bytes: the shipped sizes — the extension bundle (dist/extension.js), the review panel's webview bundle
// (media/dist/panel.js) and the packaged .vsix (built with vsce into bench/.work). gzip sizes beside the raw ones
// say what a download costs. Needs a prior build (npm run bench builds first).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { benchMain, repoRoot, workDir } from './support/main';
import { type BenchEntries } from './support/stats';

interface FileSize { path: string; bytes: number | null; gzip_bytes: number | null; note?: string }

function sizeOf(relative: string, minBytes = 1): FileSize {
  const absolute = path.join(repoRoot, relative);
  if (!fs.existsSync(absolute)) return { path: relative, bytes: null, gzip_bytes: null, note: `not measured: ${relative} does not exist (build first)` };
  const content = fs.readFileSync(absolute);
  if (content.length < minBytes) return { path: relative, bytes: content.length, gzip_bytes: null, note: `not measured: ${relative} is ${content.length} bytes, a placeholder rather than a built bundle` };
  return { path: relative, bytes: content.length, gzip_bytes: gzipSync(content).length };
}

/** Packs the extension with the repository's own packaging rules; never invents a package list of its own. */
function packageVsix(): FileSize {
  const out = path.join(workDir, 'patchpilot.vsix');
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { files?: unknown };
  if (!fs.existsSync(path.join(repoRoot, '.vscodeignore')) && manifest.files === undefined) {
    return { path: path.relative(repoRoot, out), bytes: null, gzip_bytes: null, note: 'not measured: no .vscodeignore and no "files" in package.json yet, so vsce would pack the whole checkout' };
  }
  const vsce = path.join(repoRoot, 'node_modules', '.bin', 'vsce');
  fs.mkdirSync(workDir, { recursive: true });
  fs.rmSync(out, { force: true });
  const run = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', out], { cwd: repoRoot, encoding: 'utf8', timeout: 180_000 });
  if (run.status !== 0 || !fs.existsSync(out)) {
    const reason = `${run.stderr ?? ''}${run.stdout ?? ''}`.split('\n').find((line) => /error/i.test(line)) ?? `vsce exited ${run.status}`;
    return { path: path.relative(repoRoot, out), bytes: null, gzip_bytes: null, note: `not measured: vsce package failed: ${reason.trim().slice(0, 200)}` };
  }
  return { path: path.relative(repoRoot, out), bytes: fs.statSync(out).size, gzip_bytes: null };
}

function describe(label: string, size: FileSize): string {
  if (size.bytes === null || size.note) return `${label} ${size.note ?? 'not measured'}`;
  return `${label} ${size.bytes.toLocaleString('en-US')} B${size.gzip_bytes !== null ? ` (gzip ${size.gzip_bytes.toLocaleString('en-US')})` : ''}`;
}

export async function measureBundleSize(): Promise<BenchEntries> {
  const extension = sizeOf('dist/extension.js');
  const webview = sizeOf('media/dist/panel.js', 1024);
  const cli = sizeOf('dist/cli.js');
  const vsix = packageVsix();
  return {
    bundle_bytes: {
      value: extension.bytes,
      unit: 'bytes',
      runs: 1,
      extension,
      webview,
      vsix,
      cli,
      ...(extension.note ? { note: extension.note } : {}),
      summary: [describe('extension bundle', extension), describe('webview bundle', webview), describe('.vsix', vsix), describe('CLI bundle', cli)].join('; '),
    },
  };
}

benchMain(module, measureBundleSize);
