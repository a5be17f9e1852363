// The runner's driver server over real HTTP: waiting for the window to attach, and how each route reloads it.
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadDriverServer, type DriverServer } from './modules';

const { startDriverServer } = loadDriverServer();

interface Reply {
  ok: boolean;
  result?: unknown;
  error?: string;
}

async function call(driver: DriverServer, method: 'GET' | 'POST', route: string, body?: unknown): Promise<Reply> {
  const response = await fetch(`${driver.url}${route}`, { method, headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body) });
  return (await response.json()) as Reply;
}

async function until(check: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !check(); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 25));
}

describe('vscode-runner: driver server', function () {
  this.timeout(20000);
  let driver: DriverServer | undefined;
  const artifactsDir = path.join(os.tmpdir(), 'pp-vscode-runner-artifacts');

  afterEach(async () => {
    if (driver) await driver.close();
    driver = undefined;
  });

  it('holds an early UI request until the window attaches', async () => {
    driver = await startDriverServer({ scenario: { name: 'reload' }, artifactsDir, lap: () => undefined, attachWaitMs: 10000 });
    const reloads: string[] = [];
    const pending = call(driver, 'POST', '/ui', { action: 'reloadWindow', args: { phase: 'second' } });
    driver.attach({ page: {}, reload: async () => { reloads.push('reload'); } });
    assert.deepEqual(await pending, { ok: true, result: null });
    await until(() => reloads.length > 0);
    assert.deepEqual(reloads, ['reload']);
  });

  it('answers that the workbench is not attached when it never does', async () => {
    driver = await startDriverServer({ scenario: { name: 'trusted' }, artifactsDir, lap: () => undefined, attachWaitMs: 50 });
    const reply = await call(driver, 'POST', '/ui', { action: 'screenshot', args: { name: 'x' } });
    assert.equal(reply.ok, false);
    assert.match(reply.error ?? '', /not attached/);
  });

  it('reloads through the context when it can (desktop) and moves to the next phase', async () => {
    driver = await startDriverServer({ scenario: { name: 'reload', specs: (phase: string) => [phase] }, artifactsDir, lap: () => undefined });
    const gotos: string[] = [];
    let reloads = 0;
    driver.attach({ page: { goto: async (url: string) => { gotos.push(url); } }, workbenchUrl: 'http://x/', reload: async () => { reloads += 1; } });
    await call(driver, 'POST', '/ui', { action: 'reloadWindow', args: { phase: 'reloaded' } });
    await until(() => reloads > 0);
    assert.equal(reloads, 1);
    assert.deepEqual(gotos, []);
    const config = await call(driver, 'GET', '/config');
    assert.deepEqual((config.result as { phase: string; specs: string[] }).specs, ['reloaded']);
  });

  it('keeps loading the workbench URL again when the context has no reload (code-server)', async () => {
    driver = await startDriverServer({ scenario: { name: 'reload' }, artifactsDir, lap: () => undefined });
    const gotos: string[] = [];
    driver.attach({ page: { goto: async (url: string) => { gotos.push(url); } }, workbenchUrl: 'http://127.0.0.1:1/?folder=%2Fws' });
    await call(driver, 'POST', '/ui', { action: 'reloadWindow', args: { phase: 'reloaded' } });
    await until(() => gotos.length > 0);
    assert.deepEqual(gotos, ['http://127.0.0.1:1/?folder=%2Fws']);
  });
});
