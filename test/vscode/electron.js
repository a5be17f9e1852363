// Runs one scenario in a desktop VS Code through @vscode/test-electron and drives its window over CDP with Playwright.
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const electronArgs = require('./electronArgs');

const DEFAULT_LIMITS = { connectMs: 90000, exitMs: 240000, stopMs: 10000, reloadMs: 90000 };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Throws a message naming the environment variable when the path cannot be a VS Code executable. */
function checkExecutable(executable) {
  const name = electronArgs.EXECUTABLE_ENV;
  let stat;
  try { stat = fs.statSync(executable); } catch { throw new Error(`${name}=${executable}: no such file`); }
  if (!stat.isFile()) throw new Error(`${name}=${executable}: not a file (on macOS give the executable inside the .app's Contents/MacOS)`);
  try { fs.accessSync(executable, fs.constants.X_OK); } catch { throw new Error(`${name}=${executable}: not executable`); }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
  });
}

/**
 * Starts VS Code through runTests. runTests does not hand out its child process; its own Ctrl+C handlers (graceful,
 * then a forced kill of the process tree) are the one public way to stop it, so stop() calls exactly those listeners.
 */
function startWithRunTests(options) {
  const { runTests } = require('@vscode/test-electron');
  const before = new Set(process.listeners('SIGINT'));
  // After a Ctrl+C that no one else listens to, runTests ends the whole runner (process.exit(1)) once VS Code is
  // gone: this listener keeps the runner alive until then, and still lets a person's real Ctrl+C end it.
  const guard = () => process.exit(130);
  const ownListeners = () => process.listeners('SIGINT').filter((listener) => !before.has(listener) && listener !== guard);
  const exited = runTests(options).then(() => 0, (error) => {
    if (typeof error.code === 'number') return error.code;
    if (error.signal) return error.signal;
    throw error;
  });
  const stop = async (waitMs) => {
    process.on('SIGINT', guard);
    exited.finally(() => setImmediate(() => process.removeListener('SIGINT', guard))).catch(() => undefined);
    for (const listener of ownListeners()) listener('SIGINT');
    if (await settlesWithin(exited, waitMs / 2)) return;
    for (const listener of ownListeners()) listener('SIGINT');
    await settlesWithin(exited, waitMs / 2);
  };
  return { exited, stop };
}

/** The untrusted scenario: runTests' command line minus '--disable-workspace-trust', spawned here. */
function startDirectly(options) {
  const args = electronArgs.directSpawnArgs(options);
  const env = { ...process.env, ...options.extensionTestsEnv };
  const ownGroup = process.platform !== 'win32';
  const child = spawn(options.vscodeExecutablePath, args, { env, detached: ownGroup, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (data) => process.stdout.write(data));
  child.stderr.on('data', (data) => process.stderr.write(data));
  const kill = (signal) => {
    try { if (ownGroup) process.kill(-child.pid, signal); else child.kill(signal); } catch { /* already gone */ }
  };
  const killOnExit = () => kill('SIGKILL');
  process.on('exit', killOnExit);
  const exited = new Promise((resolve, reject) => {
    child.on('error', (error) => reject(error));
    child.on('exit', (code, signal) => resolve(code === null ? signal : code));
  }).finally(() => process.removeListener('exit', killOnExit));
  const stop = async (waitMs) => {
    kill('SIGTERM');
    if (!(await settlesWithin(exited, waitMs / 2))) kill('SIGKILL');
    await settlesWithin(exited, waitMs / 2);
    kill('SIGKILL'); // helpers left in the group
  };
  return { exited, stop };
}

async function settlesWithin(promise, ms) {
  let timer;
  const done = await Promise.race([promise.then(() => true, () => true),
    new Promise((resolve) => { timer = setTimeout(() => resolve(false), ms); })]);
  clearTimeout(timer);
  return done;
}

/**
 * Connects Playwright to VS Code's remote-debugging port, retrying until it answers, VS Code exits or time is up.
 * Some Electron builds refuse Browser.setDownloadBehavior on their default context, which Playwright sends on
 * connecting; `noDefaults` (Playwright leaves that context's settings alone) is the retry for that refusal.
 */
async function connectOverCdp({ chromium, port, hasExited, limitMs }) {
  const deadline = Date.now() + limitMs;
  let lastError;
  let noDefaults = false;
  while (Date.now() < deadline && !hasExited()) {
    try {
      const timeout = Math.max(1000, Math.min(10000, deadline - Date.now()));
      return await chromium.connectOverCDP(`http://127.0.0.1:${port}`, { timeout, ...(noDefaults ? { noDefaults } : {}) });
    } catch (error) {
      lastError = error;
      if (/setDownloadBehavior/.test(String(error && error.message))) noDefaults = true;
      else await sleep(250);
    }
  }
  if (hasExited()) return undefined;
  throw new Error(`VS Code's remote-debugging port ${port} did not answer within ${limitMs / 1000} s (${lastError ? lastError.message.split('\n')[0] : 'no attempt'})`);
}

function workbenchPages(browser) {
  return browser.contexts().flatMap((context) => context.pages())
    .filter((page) => !page.isClosed() && page.url().includes('workbench') && !page.url().startsWith('devtools:'));
}

/** The workbench window's page; with `notMarked`, only one loaded after the marker was set (a reloaded window). */
async function findWorkbenchPage({ browser, hasExited, limitMs, notMarked }) {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline && !hasExited()) {
    for (const page of workbenchPages(browser)) {
      if (!notMarked) return page;
      const marked = await page.evaluate(() => Boolean(globalThis.__patchpilotBeforeReload)).catch(() => true);
      if (!marked) return page;
    }
    await sleep(250);
  }
  if (hasExited()) return undefined;
  throw new Error(`no ${notMarked ? 'reloaded ' : ''}VS Code workbench page within ${limitMs / 1000} s`);
}

/**
 * Reloads the window the way a person does (Developer: Reload Window), so VS Code's main process restarts the
 * extension host as it would for them; a raw page.reload() is the fallback when there is no workbench to type into.
 * The page object may survive the reload or be replaced: the session is re-pointed at whichever page loaded anew.
 */
async function reloadWorkbench({ session, browser, hasExited, limitMs, lap, runCommand }) {
  const previous = session.page;
  await previous.evaluate(() => { globalThis.__patchpilotBeforeReload = true; });
  const hasWorkbench = (await previous.locator('.monaco-workbench').count().catch(() => 0)) > 0;
  if (hasWorkbench) {
    await runCommand({ page: previous, artifactsDir: session.artifactsDir, lap, scenario: session.scenario }, { title: 'Developer: Reload Window' });
  } else {
    await previous.reload({ timeout: limitMs }).catch((error) => lap(`page.reload: ${error.message.split('\n')[0]}`));
  }
  const page = await findWorkbenchPage({ browser, hasExited, limitMs, notMarked: true });
  if (!page) throw new Error('VS Code exited during the reload');
  session.page = page;
  lap(page === previous ? 'reloaded (same page)' : 'reloaded (new page)');
  return page;
}

function prepareProfile({ root, scenario, env, executable, repoRoot, lap }) {
  const dirs = electronArgs.profileDirs(root);
  for (const dir of [dirs.home, path.join(dirs.userDataDir, 'User'), dirs.extensionsDir]) fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dirs.userDataDir, 'User/settings.json'), JSON.stringify(electronArgs.electronUserSettings(scenario), null, 1));
  if (!scenario.installVsix) return;
  const { resolveCliArgsFromVSCodeExecutablePath } = require('@vscode/test-electron');
  // reuseMachineInstall: only the CLI path; this scenario's own profile dirs are added by installVsixArgs.
  const cliArgs = resolveCliArgsFromVSCodeExecutablePath(executable, { reuseMachineInstall: true });
  if (!fs.existsSync(cliArgs[0])) throw new Error(`${electronArgs.EXECUTABLE_ENV}: no VS Code CLI at ${cliArgs[0]} to install the .vsix with`);
  const vsix = scenario.installVsix(repoRoot);
  const { command, args } = electronArgs.installVsixArgs(cliArgs, { root, vsix });
  execFileSync(command, args, { env: { ...process.env, ...env }, stdio: 'pipe', timeout: 120000, shell: process.platform === 'win32' });
  lap(`installed ${path.basename(vsix)} into ${dirs.extensionsDir}`);
}

/** Runs one scenario; resolves { code } with VS Code's exit code, rejects on a launch failure or a timeout. */
async function launchElectron({ root, workspace, scenario, driver, repoRoot, lap, executable, artifactsDir, limits: given }) {
  const limits = { ...DEFAULT_LIMITS, ...(scenario.timeoutMs ? { exitMs: scenario.timeoutMs } : {}), ...given };
  checkExecutable(executable);
  const debugPort = await freePort();
  const options = electronArgs.runTestsOptions({ executable, scenario, repoRoot, workspace, root, debugPort, driverUrl: driver.url });
  prepareProfile({ root, scenario, env: options.extensionTestsEnv, executable, repoRoot, lap });
  const trust = electronArgs.needsWorkspaceTrust(scenario);
  const vscode = trust ? startDirectly(options) : startWithRunTests(options);
  lap(`VS Code started (${trust ? 'direct, workspace trust on' : 'runTests'}), remote debugging on ${debugPort}`);
  let exitValue;
  const exitedOrError = vscode.exited.then((code) => { exitValue = { code }; }, (error) => { exitValue = { error }; });
  const hasExited = () => exitValue !== undefined;
  let browser;
  try {
    const { chromium } = require(path.join(repoRoot, 'node_modules/playwright-core'));
    browser = await connectOverCdp({ chromium, port: debugPort, hasExited, limitMs: limits.connectMs });
    const page = browser && await findWorkbenchPage({ browser, hasExited, limitMs: limits.connectMs });
    if (page) {
      const { runCommand } = require(path.join(repoRoot, 'out/test/vscode/ui/actions.js'));
      const session = { page, workspace, root, artifactsDir, scenario: scenario.name };
      session.reload = async () => {
        await reloadWorkbench({ session, browser, hasExited, limitMs: limits.reloadMs, lap, runCommand });
        driver.attach(session);
      };
      driver.attach(session);
      lap('attached to the VS Code window');
    }
    const finished = await settlesWithin(exitedOrError, limits.exitMs);
    if (!finished) {
      const shot = path.join(root, 'timeout.png');
      const current = browser && workbenchPages(browser)[0];
      if (current) await current.screenshot({ path: shot, timeout: 5000 }).catch(() => undefined);
      throw new Error(`timed out after ${limits.exitMs / 1000} s${current ? `; screenshot in ${shot}` : ''}`);
    }
    if (exitValue.error) throw new Error(`VS Code did not start: ${exitValue.error.message} (check ${electronArgs.EXECUTABLE_ENV})`);
    lap(`scenario ${scenario.name} finished, exit code ${exitValue.code}`);
    return { code: exitValue.code };
  } finally {
    if (browser) await browser.close().catch(() => undefined);
    if (!hasExited()) await vscode.stop(limits.stopMs);
  }
}

module.exports = { launchElectron, checkExecutable, connectOverCdp, findWorkbenchPage, reloadWorkbench, startWithRunTests, startDirectly };
