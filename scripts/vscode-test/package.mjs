// Packs the .vsix offline from a staging folder holding only what ships (package.json, README, bundles, media):
// vsce then has nothing else to walk (the repository holds hundreds of MB of tools) and .vscodeignore stays the
// single list of what ships, checked again by the packaged-extension test.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '../..');
const out = resolve(process.argv[2] ?? join(repoRoot, 'patchpilot.vsix'));
const shipped = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore', 'dist/extension.js', 'media/panel.css', 'media/icon.png', 'media/dist/panel.js', 'docs/images'];

const staging = mkdtempSync(join(tmpdir(), 'patchpilot-vsix-'));
try {
  for (const file of shipped) {
    if (existsSync(join(repoRoot, file))) cpSync(join(repoRoot, file), join(staging, file), { recursive: true });
  }
  if (!existsSync(join(staging, 'dist/extension.js')) || !existsSync(join(staging, 'media/dist/panel.js'))) {
    throw new Error('build first: dist/extension.js or media/dist/panel.js is missing (node scripts/build.mjs)');
  }
  execFileSync(join(repoRoot, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--skip-license', '--out', out], { cwd: staging, stdio: 'inherit' });
  console.log(`${out}: ${(statSync(out).size / 1024).toFixed(1)} KiB`);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
