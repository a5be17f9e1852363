// The desktop VS Code route's process plumbing, against a recording stand-in executable (not a real VS Code).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fakeCodeSource, loadDriverServer, loadElectron, loadElectronArgs, repoRoot, type DriverServer, type Scenario } from './modules';

interface Recorded {
  pid: number;
  argv: string[];
  env: Record<string, string | null>;
}

const electronArgs = loadElectronArgs();
const { launchElectron } = loadElectron();
const { startDriverServer } = loadDriverServer();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('vscode-runner: electron route with a stand-in executable', function () {
  this.timeout(30000);
  let temp: string;
  let fakeCode: string;
  let recordFile: string;
  let driver: DriverServer | undefined;
  const savedEnv = { ...process.env };
  const laps: string[] = [];

  // @vscode/test-electron's runTests prints the stand-in's exit ("Exit code: 3", "Closing VS Code gracefully…"):
  // expected here, and noise in the test output that reads like a failure. Those lines only are kept out.
  const print = console.log;
  before(() => {
    console.log = (...args: unknown[]) => {
      if (/^(Exit code:|Closing VS Code)/.test(String(args[0]))) return;
      print(...args);
    };
  });
  after(() => {
    console.log = print;
  });

  beforeEach(() => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-vscode-runner-'));
    fakeCode = path.join(temp, 'fake-code');
    fs.copyFileSync(fakeCodeSource, fakeCode);
    fs.chmodSync(fakeCode, 0o755);
    recordFile = path.join(temp, 'record.jsonl');
    process.env.FAKE_VSCODE_RECORD = recordFile;
  });

  afterEach(async () => {
    for (const name of ['FAKE_VSCODE_RECORD', 'FAKE_VSCODE_MODE', 'FAKE_VSCODE_EXIT_CODE', 'ELECTRON_RUN_AS_NODE']) {
      if (savedEnv[name] === undefined) delete process.env[name];
      else process.env[name] = savedEnv[name];
    }
    if (driver) await driver.close();
    driver = undefined;
    fs.rmSync(temp, { recursive: true, force: true });
  });

  function records(): Recorded[] {
    return fs.readFileSync(recordFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Recorded);
  }

  async function launch(scenario: Scenario, limits?: { connectMs?: number; exitMs?: number; stopMs?: number }) {
    driver = await startDriverServer({ scenario, artifactsDir: path.join(temp, 'artifacts'), lap: (m) => laps.push(m), attachWaitMs: 100 });
    const root = path.join(temp, 'root');
    const workspace = path.join(root, 'ws');
    fs.mkdirSync(workspace, { recursive: true });
    const outcome = launchElectron({ root, workspace, scenario, driver, repoRoot, lap: (m) => laps.push(m), executable: fakeCode,
      artifactsDir: path.join(temp, 'artifacts'), limits });
    return { root, workspace, outcome, driverUrl: driver.url };
  }

  it('builds the same command line as the installed runTests, minus --disable-workspace-trust', async () => {
    const { runTests } = require('@vscode/test-electron') as { runTests(options: unknown): Promise<number> };
    const options = electronArgs.runTestsOptions({ executable: fakeCode, scenario: { name: 'restricted', untrusted: true }, repoRoot,
      workspace: path.join(temp, 'ws'), root: temp, debugPort: 45000, driverUrl: 'http://127.0.0.1:1' });
    assert.equal(await runTests(options), 0);
    const [recorded] = records();
    assert.ok(recorded.argv.includes(electronArgs.DISABLE_TRUST), 'runTests still adds the flag');
    assert.deepEqual(recorded.argv.filter((arg) => arg !== electronArgs.DISABLE_TRUST), electronArgs.directSpawnArgs(options));
  });

  it('starts VS Code through runTests with the scenario profile, settings, port and environment', async () => {
    process.env.ELECTRON_RUN_AS_NODE = '1'; // as inside a VS Code terminal: must not reach the executable
    const { root, workspace, outcome, driverUrl } = await launch({ name: 'trusted' });
    assert.deepEqual(await outcome, { code: 0 });
    const [recorded] = records();
    assert.equal(recorded.argv[0], workspace);
    assert.ok(recorded.argv.includes(electronArgs.DISABLE_TRUST));
    assert.ok(recorded.argv.some((arg) => /^--remote-debugging-port=\d+$/.test(arg)));
    assert.ok(recorded.argv.includes(`--extensionDevelopmentPath=${repoRoot}`));
    assert.equal(recorded.env.PATCHPILOT_E2E_DRIVER, driverUrl);
    assert.equal(recorded.env.PATCHPILOT_E2E_SCENARIO, 'trusted');
    assert.equal(recorded.env.PATCHPILOT_E2E_WORKSPACE, workspace);
    assert.equal(recorded.env.OPENAI_API_KEY, '');
    assert.equal(recorded.env.ELECTRON_RUN_AS_NODE, null);
    const settings = JSON.parse(fs.readFileSync(path.join(root, 'ud/User/settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(settings['window.dialogStyle'], 'custom');
  });

  it('starts the untrusted scenario itself, without --disable-workspace-trust', async () => {
    process.env.ELECTRON_RUN_AS_NODE = '1';
    const { workspace, outcome } = await launch({ name: 'restricted', untrusted: true });
    assert.deepEqual(await outcome, { code: 0 });
    const [recorded] = records();
    assert.equal(recorded.argv[0], workspace);
    assert.ok(!recorded.argv.includes(electronArgs.DISABLE_TRUST));
    assert.equal(recorded.env.PATCHPILOT_E2E_SCENARIO, 'restricted');
    assert.equal(recorded.env.ELECTRON_RUN_AS_NODE, null);
  });

  it('reports a failing exit code from either start', async () => {
    process.env.FAKE_VSCODE_EXIT_CODE = '3';
    assert.deepEqual(await (await launch({ name: 'trusted' })).outcome, { code: 3 });
    await driver?.close();
    driver = undefined;
    assert.deepEqual(await (await launch({ name: 'restricted', untrusted: true })).outcome, { code: 3 });
  });

  it('names the environment variable when the path is missing or not executable', async () => {
    fakeCode = path.join(temp, 'missing');
    await assert.rejects((await launch({ name: 'trusted' })).outcome, new RegExp(`${electronArgs.EXECUTABLE_ENV}=.*missing: no such file`));
    await driver?.close();
    fakeCode = path.join(temp, 'plain.txt');
    fs.writeFileSync(fakeCode, 'not a program');
    await assert.rejects((await launch({ name: 'trusted' })).outcome, new RegExp(`${electronArgs.EXECUTABLE_ENV}=.*: not executable`));
  });

  for (const scenario of [{ name: 'trusted' }, { name: 'restricted', untrusted: true }]) {
    it(`stops a VS Code that never opens its debugging port (${scenario.untrusted ? 'direct start' : 'runTests'})`, async () => {
      process.env.FAKE_VSCODE_MODE = 'hang';
      const { outcome } = await launch(scenario, { connectMs: 1500, stopMs: 6000 });
      await assert.rejects(outcome, /remote-debugging port \d+ did not answer/);
      const [recorded] = records();
      assert.equal(isAlive(recorded.pid), false, 'the stand-in was stopped');
    });
  }
});
