#!/usr/bin/env node
// Runs the in-VS-Code tests: code-server (the real VS Code server + workbench) with the extension under development,
// mocha inside its extension host, and Playwright driving the workbench on request of those tests. Exit code = result.
// With PATCHPILOT_VSCODE_EXECUTABLE (a desktop VS Code) the same scenarios also run through @vscode/test-electron.
//   node test/vscode/run.js [--route code-server|electron] [--only <scenario>] [--specs a,b] [--grep <text>] [--keep]
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { launchWorkbench } = require('./launch');
const { launchElectron, checkExecutable } = require('./electron');
const { chooseRoutes } = require('./electronArgs');
const { startDriverServer } = require('./driverServer');
const { scenarios } = require('./scenarios');

const repoRoot = path.resolve(__dirname, '../..');
const argValue = (name) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
const artifactsDir = path.join(repoRoot, 'test-artifacts/vscode');
const started = Date.now();
const lapAs = (tag) => (message) => console.log(`[${tag} ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);
const lap = lapAs('vscode');

function checkBuilt() {
  const needed = ['dist/extension.js', 'media/dist/panel.js', 'out/test/vscode/suite/index.js', 'out/test/vscode/ui/actions.js'];
  const missing = needed.filter((file) => !fs.existsSync(path.join(repoRoot, file)));
  if (missing.length > 0) throw new Error(`build first (npm run build): missing ${missing.join(', ')}`);
}

function checkCodeServer() {
  if (!fs.existsSync(path.join(process.env.VSCODE_E2E_DIR ? path.resolve(process.env.VSCODE_E2E_DIR) : path.join(repoRoot, '.vscode-e2e'), 'node_modules/.bin/code-server'))) {
    throw new Error('code-server is not installed: run scripts/vscode-test/install.sh');
  }
}

// The code-server route keeps its original messages; the desktop route tags its own and writes its screenshots apart.
const routes = {
  'code-server': { tag: '[vscode]', lap, artifactsDir, logHint: ' (code-server.log inside)',
    check: () => { checkBuilt(); checkCodeServer(); }, launch: (args) => launchWorkbench(args) },
  electron: { tag: '[vscode electron]', lap: lapAs('vscode electron'), artifactsDir: path.join(artifactsDir, 'electron'), logHint: '',
    check: (executable) => { checkExecutable(executable); checkBuilt(); }, launch: (args) => launchElectron(args) },
};

async function runScenario(scenario, totals, route, executable) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `pp-vscode-${route === routes.electron ? 'electron-' : ''}${scenario.name}-`));
  const specs = argValue('specs') ? argValue('specs').split(',') : undefined;
  const lap = route.lap;
  const driver = await startDriverServer({ scenario, artifactsDir: route.artifactsDir, lap, grep: argValue('grep'), specs });
  let outcome;
  try {
    const workspace = scenario.prepare ? await scenario.prepare(root) : path.join(root, 'ws');
    fs.mkdirSync(workspace, { recursive: true });
    outcome = await route.launch({ root, workspace, scenario, driver, repoRoot, lap, executable, artifactsDir: route.artifactsDir });
  } catch (error) {
    outcome = { error };
  } finally {
    await driver.close();
  }
  const results = driver.results();
  const counted = results.passed + results.failed;
  if (outcome.error) {
    console.error(`${route.tag} scenario ${scenario.name} broke: ${outcome.error.stack || outcome.error}`);
    results.failed += counted === 0 ? 1 : 0;
  }
  if (counted === 0 && !outcome.error) {
    console.error(`${route.tag} scenario ${scenario.name} reported no test results`);
    results.failed += 1;
  }
  // Desktop VS Code exits non-zero when the suite failed; a non-zero exit with no failure reported is a crash.
  if (route === routes.electron && counted > 0 && !outcome.error && outcome.code !== 0 && results.failed === 0) {
    console.error(`${route.tag} scenario ${scenario.name}: VS Code exited with ${outcome.code} although no test failed`);
    results.failed += 1;
  }
  totals.passed += results.passed;
  totals.failed += results.failed;
  const keep = process.argv.includes('--keep') || results.failed > 0;
  if (keep) console.log(`${route.tag} kept ${root}${route.logHint}`);
  else fs.rmSync(root, { recursive: true, force: true });
}

async function runRoute(name, executable) {
  const route = routes[name];
  const counts = { passed: 0, failed: 0 };
  try {
    route.check(executable);
    fs.mkdirSync(route.artifactsDir, { recursive: true });
    const only = argValue('only');
    const routeName = route === routes.electron ? 'electron' : 'code-server';
    for (const scenario of scenarios.filter((s) => !only || s.name === only)) {
      if (scenario.routes && !scenario.routes.includes(routeName)) {
        route.lap(`scenario ${scenario.name} skipped: it runs on the ${scenario.routes.join(', ')} route only`);
        continue;
      }
      route.lap(`scenario ${scenario.name}`);
      await runScenario(scenario, counts, route, executable);
    }
  } catch (error) {
    console.error(`${name === 'electron' ? `${route.tag} ` : ''}${error instanceof Error ? error.message : error}`);
    counts.failed += 1;
  }
  return counts;
}

(async () => {
  const totals = { passed: 0, failed: 0 };
  const choice = chooseRoutes(argValue('route'), process.env);
  if (choice.error) {
    console.error(`[vscode] ${choice.error}`);
    totals.failed += 1;
  }
  for (const name of choice.routes) {
    const counts = await runRoute(name, choice.executable);
    if (choice.routes.length > 1 || name === 'electron') console.log(`[vscode ${name}] ${counts.passed} passed, ${counts.failed} failed`);
    totals.passed += counts.passed;
    totals.failed += counts.failed;
  }
  if (choice.skipped) console.log(`[vscode electron] skipped: ${choice.skipped}`);
  lap(`done; screenshots in ${path.relative(repoRoot, artifactsDir)}`);
  console.log(`vscode: ${totals.passed} passed, ${totals.failed} failed`);
  process.exit(totals.failed > 0 ? 1 : 0);
})();
