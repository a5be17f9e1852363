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

/** Packs the extension with the repository's own packaging script (what `npm run package` ships), into bench/.work. */
function packageVsix(): FileSize {
  const out = path.join(workDir, 'patchpilot.vsix');
  const relativeOut = path.relative(repoRoot, out);
  const packer = path.join(repoRoot, 'scripts', 'vscode-test', 'package.mjs');
  if (!fs.existsSync(packer)) return { path: relativeOut, bytes: null, gzip_bytes: null, note: 'not measured: there is no packaging script (scripts/vscode-test/package.mjs) yet' };
  fs.mkdirSync(workDir, { recursive: true });
  fs.rmSync(out, { force: true });
  const run = spawnSync(process.execPath, [packer, out], { cwd: repoRoot, encoding: 'utf8', timeout: 180_000 });
  if (run.status !== 0 || !fs.existsSync(out)) {
    const output = `${run.stderr ?? ''}\n${run.stdout ?? ''}`;
    const reason = output.split('\n').find((line) => /error/i.test(line)) ?? `the packaging script exited ${run.status}`;
    return { path: relativeOut, bytes: null, gzip_bytes: null, note: `not measured: packaging failed: ${reason.trim().slice(0, 200)}` };
  }
  return { path: relativeOut, bytes: fs.statSync(out).size, gzip_bytes: null };
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
