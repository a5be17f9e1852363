// The desktop route's window handling over CDP, against Debian's Chromium (VS Code's engine) showing a stand-in workbench page.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { loadActions, loadChromium, loadElectron, repoRoot } from './modules';

const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const workbenchUrl = pathToFileURL(path.join(repoRoot, 'test/fixtures/vscode-runner/workbench.html')).href;
const electron = loadElectron();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('vscode-runner: electron window over CDP (Chromium stand-in)', function () {
  this.timeout(60000);
  let profile: string;
  let child: ChildProcess | undefined;
  let exited = false;
  let browser: Browser | undefined;
  const laps: string[] = [];
  const hasExited = () => exited;

  async function start(query: string): Promise<Browser> {
    const port = await freePort();
    child = spawn(chromiumPath, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage',
      '--disable-background-networking', `--user-data-dir=${profile}`, `--remote-debugging-port=${port}`, `${workbenchUrl}${query}`],
    { detached: true, stdio: 'ignore' });
    child.on('exit', () => { exited = true; });
    // Connecting right after the spawn exercises the retry: Chromium opens its port a moment later.
    const connected = await electron.connectOverCdp({ chromium: loadChromium(), port, hasExited, limitMs: 30000 });
    assert.ok(connected, 'connected to the debugging port');
    browser = connected;
    return connected;
  }

  before(function () {
    if (!fs.existsSync(chromiumPath)) this.skip();
  });

  beforeEach(() => {
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-vscode-cdp-'));
    exited = false;
    laps.length = 0;
  });

  afterEach(async () => {
    if (browser) await browser.close().catch(() => undefined);
    browser = undefined;
    if (child?.pid && !exited) {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
      await new Promise((resolve) => child?.once('exit', resolve));
    }
    child = undefined;
    fs.rmSync(profile, { recursive: true, force: true });
  });

  it('finds the workbench page among the targets', async () => {
    const connected = await start('');
    const page = await electron.findWorkbenchPage({ browser: connected, hasExited, limitMs: 20000 });
    assert.ok(page);
    assert.match(page.url(), /workbench\.html/);
  });

  it('reloads through the command palette and keeps the page when it survives', async () => {
    const connected = await start('');
    const page = await electron.findWorkbenchPage({ browser: connected, hasExited, limitMs: 20000 });
    assert.ok(page);
    const session = { page, scenario: 'cdp' };
    await page.evaluate(() => { (globalThis as { loadedBefore?: boolean }).loadedBefore = true; });
    const reloaded = await electron.reloadWorkbench({ session, browser: connected, hasExited, limitMs: 20000, lap: (m) => laps.push(m),
      runCommand: loadActions().runCommand });
    assert.equal(reloaded, page);
    assert.equal(session.page, page);
    assert.equal(await page.evaluate(() => Boolean((globalThis as { loadedBefore?: boolean }).loadedBefore)), false, 'a fresh document');
    assert.ok(laps.includes('palette: Developer: Reload Window'));
    assert.ok(laps.includes('reloaded (same page)'));
  });

  it('follows the window to a new page object when the reload replaces it', async () => {
    const connected = await start('?replace=1');
    const page = await electron.findWorkbenchPage({ browser: connected, hasExited, limitMs: 20000 });
    assert.ok(page);
    const session = { page, scenario: 'cdp' };
    const reloaded = await electron.reloadWorkbench({ session, browser: connected, hasExited, limitMs: 20000, lap: (m) => laps.push(m),
      runCommand: loadActions().runCommand });
    assert.notEqual(reloaded, page);
    assert.equal(session.page, reloaded);
    assert.match(reloaded.url(), /replace=0/);
    assert.ok(laps.includes('reloaded (new page)'));
  });

  it('falls back to a plain page reload when there is no workbench to type into', async () => {
    const connected = await start('');
    const page = await electron.findWorkbenchPage({ browser: connected, hasExited, limitMs: 20000 });
    assert.ok(page);
    await page.evaluate(() => document.querySelector('.monaco-workbench')?.remove());
    const session = { page, scenario: 'cdp' };
    const reloaded = await electron.reloadWorkbench({ session, browser: connected, hasExited, limitMs: 20000, lap: (m) => laps.push(m),
      runCommand: loadActions().runCommand });
    assert.equal(reloaded, page);
    assert.ok(!laps.some((m) => m.startsWith('palette:')), 'the palette was not used');
    assert.equal(await page.locator('.monaco-workbench').count(), 1, 'the page loaded again');
  });
});
