// Bundles the CLI and the extension with esbuild; tests and benches are compiled by tsc into out/.
import * as esbuild from 'esbuild';
import { chmodSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

const builds = [
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The GitHub Action (action.yml): runs dist/cli.js beside it.
  { ...common, entryPoints: ['src/action/main.ts'], outfile: 'dist/action.js', format: 'cjs' },
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], format: 'cjs', minify: true },
  { bundle: true, sourcemap: true, logLevel: 'warning', entryPoints: ['src/webview/main.ts'], outfile: 'media/dist/panel.js', platform: 'browser', format: 'iife', target: 'es2022', minify: true },
  { bundle: true, sourcemap: true, logLevel: 'warning', entryPoints: ['src/webview/sidebar/main.ts'], outfile: 'media/dist/sidebar.js', platform: 'browser', format: 'iife', target: 'es2022', minify: true },
];

for (const options of builds) {
  if (watch) await (await esbuild.context(options)).watch();
  else await esbuild.build(options);
}
chmodSync('dist/cli.js', 0o755);
