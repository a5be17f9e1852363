#!/usr/bin/env node
// Runs the in-VS-Code tests: code-server (the real VS Code server + workbench) with the extension under development,
// mocha inside its extension host, and Playwright driving the workbench on request of those tests. Exit code = result.
//   node test/vscode/run.js [--only <scenario>] [--specs a,b] [--grep <text>] [--keep]
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { launchWorkbench } = require('./launch');
const { startDriverServer } = require('./driverServer');
const { scenarios } = require('./scenarios');

const repoRoot = path.resolve(__dirname, '../..');
const argValue = (name) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
const artifactsDir = path.join(repoRoot, 'test-artifacts/vscode');
const started = Date.now();
const lap = (message) => console.log(`[vscode ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

function checkBuilt() {
  const needed = ['dist/extension.js', 'media/dist/panel.js', 'out/test/vscode/suite/index.js', 'out/test/vscode/ui/actions.js'];
  const missing = needed.filter((file) => !fs.existsSync(path.join(repoRoot, file)));
  if (missing.length > 0) throw new Error(`build first (npm run build): missing ${missing.join(', ')}`);
  if (!fs.existsSync(path.join(repoRoot, '.vscode-e2e/node_modules/.bin/code-server'))) {
    throw new Error('code-server is not installed: run scripts/vscode-test/install.sh');
  }
}

async function runScenario(scenario, totals) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `pp-vscode-${scenario.name}-`));
  const specs = argValue('specs') ? argValue('specs').split(',') : undefined;
  const driver = await startDriverServer({ scenario, artifactsDir, lap, grep: argValue('grep'), specs });
  let outcome;
  try {
    const workspace = scenario.prepare ? await scenario.prepare(root) : path.join(root, 'ws');
    fs.mkdirSync(workspace, { recursive: true });
    outcome = await launchWorkbench({ root, workspace, scenario, driver, repoRoot, lap });
  } catch (error) {
    outcome = { error };
  } finally {
    await driver.close();
  }
  const results = driver.results();
  const counted = results.passed + results.failed;
  if (outcome.error) {
    console.error(`[vscode] scenario ${scenario.name} broke: ${outcome.error.stack || outcome.error}`);
    results.failed += counted === 0 ? 1 : 0;
  }
  if (counted === 0 && !outcome.error) {
    console.error(`[vscode] scenario ${scenario.name} reported no test results`);
    results.failed += 1;
  }
  totals.passed += results.passed;
  totals.failed += results.failed;
  const keep = process.argv.includes('--keep') || results.failed > 0;
  if (keep) console.log(`[vscode] kept ${root} (code-server.log inside)`);
  else fs.rmSync(root, { recursive: true, force: true });
}

(async () => {
  const totals = { passed: 0, failed: 0 };
  try {
    checkBuilt();
    fs.mkdirSync(artifactsDir, { recursive: true });
    const only = argValue('only');
    for (const scenario of scenarios.filter((s) => !only || s.name === only)) {
      lap(`scenario ${scenario.name}`);
      await runScenario(scenario, totals);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    totals.failed += 1;
  }
  lap(`done; screenshots in ${path.relative(repoRoot, artifactsDir)}`);
  console.log(`vscode: ${totals.passed} passed, ${totals.failed} failed`);
  process.exit(totals.failed > 0 ? 1 : 0);
})();
