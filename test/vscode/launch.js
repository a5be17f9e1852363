// Starts code-server and a headless Chromium on one workspace and waits until the in-host mocha suite reports its exit.
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

// `[CHAT] extension request ERRORED` / `request FAILED`: VS Code logs, with the whole stack, every error a chat model's provider throws;
// the vscode-lm scenario's test models throw on purpose (consent, quota, a model gone) and the specs assert what the
// person sees instead.
const WORKBENCH_NOISE = /Ignoring fetching additional builtin extensions|Updating additional builtin extensions cache|Creating a socket|Resolving connection token|Resolved connection token|\[Service Worker\]|ChatSessionStore|reading 'extensionHost'|\[CHAT\] (extension request ERRORED|request FAILED)|^\s*$/;

function userSettings(scenario) {
  return {
    'workbench.startupEditor': 'none', 'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'security.workspace.trust.enabled': Boolean(scenario.untrusted),
    'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'always',
    'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'chat.disableAIFeatures': true,
    // The DOM renderer keeps terminal text readable by the UI driver (the GPU renderer draws on a canvas).
    'terminal.integrated.gpuAcceleration': 'off', 'git.enabled': false, 'git.autoRepositoryDetection': false,
    'workbench.colorTheme': scenario.theme || 'Default Dark Modern',
    ...(scenario.userSettings || {}),
  };
}

function isolatedEnv(root, extra) {
  return {
    ...process.env, HOME: path.join(root, 'home'), XDG_CONFIG_HOME: path.join(root, 'home/.config'),
    XDG_DATA_HOME: path.join(root, 'home/.local/share'), XDG_CACHE_HOME: path.join(root, 'home/.cache'),
    TMPDIR: path.join(root, 'tmp'), EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: '' }), ...extra,
  };
}

function startCodeServer(codeServer, root, env, trustEnabled) {
  const args = ['--auth', 'none', '--bind-addr', '127.0.0.1:0', '--config', '/dev/null',
    '--user-data-dir', path.join(root, 'ud'), '--extensions-dir', path.join(root, 'exts'),
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override'];
  if (!trustEnabled) args.push('--disable-workspace-trust');
  const child = spawn(codeServer, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = fs.createWriteStream(path.join(root, 'code-server.log'));
  child.stderr.pipe(log);
  const port = new Promise((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (data) => {
      log.write(data);
      seen += data;
      const match = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(seen);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`code-server exited early (${code}); see ${root}/code-server.log`)));
    setTimeout(() => reject(new Error('code-server did not start within 60 s')), 60000).unref();
  });
  const stop = async () => {
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    await new Promise((resolve) => setTimeout(resolve, 300));
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  };
  return { port, stop };
}

function testPayload(host, repoRoot, scenario) {
  const payload = [['extensionTestsPath', `vscode-remote://${host}${path.join(repoRoot, 'out/test/vscode/suite/index.js')}`],
    ['skipWelcome', 'true']];
  // VS Code runs extensionTestsPath only for a development extension: the packaged scenario uses an empty one, so
  // the Patchpilot under test is the copy installed from the .vsix.
  const developmentPath = scenario.installVsix ? path.join(__dirname, 'harness-extension') : repoRoot;
  payload.unshift(['extensionDevelopmentPath', `vscode-remote://${host}${developmentPath}`]);
  return encodeURIComponent(JSON.stringify(payload));
}

async function launchWorkbench({ root, workspace, scenario, driver, repoRoot, lap }) {
  for (const dir of ['home', 'ud/User', 'exts', 'tmp']) fs.mkdirSync(path.join(root, dir), { recursive: true });
  fs.writeFileSync(path.join(root, 'ud/User/settings.json'), JSON.stringify(userSettings(scenario), null, 1));
  const env = isolatedEnv(root, { PATCHPILOT_E2E_DRIVER: driver.url, PATCHPILOT_E2E_SCENARIO: scenario.name,
    PATCHPILOT_E2E_WORKSPACE: workspace, OPENAI_API_KEY: '' });
  const codeServer = path.join(process.env.VSCODE_E2E_DIR ? path.resolve(process.env.VSCODE_E2E_DIR) : path.join(repoRoot, '.vscode-e2e'), 'node_modules/.bin/code-server');
  const vsixes = [...(scenario.installVsix ? [scenario.installVsix(repoRoot)] : []), ...(scenario.extensions || []).map((pack) => pack(repoRoot, root))];
  for (const vsix of vsixes) {
    execFileSync(codeServer, ['--extensions-dir', path.join(root, 'exts'), '--user-data-dir', path.join(root, 'ud'),
      '--install-extension', vsix], { env, stdio: 'pipe' });
    lap(`installed ${path.basename(vsix)} into code-server`);
  }
  const server = startCodeServer(codeServer, root, env, Boolean(scenario.untrusted));
  const { chromium } = require(path.join(repoRoot, 'node_modules/playwright-core'));
  let browser;
  try {
    const port = await server.port;
    lap(`code-server listening on ${port}`);
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, env, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    let reportExit;
    const exited = new Promise((resolve) => { reportExit = resolve; });
    await page.exposeFunction('codeAutomationExit', (code) => reportExit(code));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = util.format(...args);
      // The workbench's own chatter (offline gallery, socket setup) reads like trouble and is not; the tests' lines stay.
      if (!process.env.PATCHPILOT_E2E_CONSOLE && WORKBENCH_NOISE.test(line)) return;
      console.log(`  ${line}`);
    });
    if (process.env.PATCHPILOT_E2E_CONSOLE) page.on('console', (message) => console.log(`  [browser ${message.type()}] ${message.text()}`));
    const host = `127.0.0.1:${port}`;
    driver.attach({ page, workbenchUrl: `http://${host}/?folder=${encodeURIComponent(workspace)}&payload=${testPayload(host, repoRoot, scenario)}`, workspace, root });
    await page.goto(driver.workbenchUrl());
    lap('workbench page loaded');
    const timeoutMs = scenario.timeoutMs || 240000;
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref())]);
    if (code === 'timeout') {
      await page.screenshot({ path: path.join(root, 'timeout.png') }).catch(() => undefined);
      throw new Error(`timed out after ${timeoutMs / 1000} s; screenshot in ${root}/timeout.png`);
    }
    lap(`scenario ${scenario.name} finished, exit code ${code}`);
    return { code };
  } finally {
    if (browser) await browser.close().catch(() => undefined);
    await server.stop();
  }
}

module.exports = { launchWorkbench, userSettings };
