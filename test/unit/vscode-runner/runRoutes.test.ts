// test/vscode/run.js route selection and failure reporting for the desktop route, run as a real child process.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fakeCodeSource, runnerDir } from './modules';

const ENV_NAME = 'PATCHPILOT_VSCODE_EXECUTABLE';

function runRunner(args: string[], env: Record<string, string | undefined>) {
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete merged[name];
  const result = spawnSync(process.execPath, [path.join(runnerDir, 'run.js'), ...args], { env: merged, encoding: 'utf8', timeout: 60000 });
  const lines = result.stdout.trim().split('\n');
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, last: lines[lines.length - 1] };
}

describe('vscode-runner: run.js routes', function () {
  this.timeout(60000);

  it('fails fast, naming the variable, when the desktop VS Code path does not exist', () => {
    const run = runRunner(['--route', 'electron'], { [ENV_NAME]: '/nonexistent/code' });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /\[vscode electron\] PATCHPILOT_VSCODE_EXECUTABLE=\/nonexistent\/code: no such file/);
    assert.match(run.stdout, /\[vscode electron\] 0 passed, 1 failed/);
    assert.equal(run.last, 'vscode: 0 passed, 1 failed');
  });

  it('refuses --route electron without the variable, and an unknown route', () => {
    const missing = runRunner(['--route', 'electron'], { [ENV_NAME]: undefined });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /--route electron needs PATCHPILOT_VSCODE_EXECUTABLE/);
    assert.equal(missing.last, 'vscode: 0 passed, 1 failed');
    const unknown = runRunner(['--route', 'desktop'], { [ENV_NAME]: undefined });
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /unknown --route desktop/);
  });

  it('counts a VS Code that exits without reporting test results as a failure', () => {
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-vscode-runner-'));
    try {
      const fakeCode = path.join(temp, 'fake-code');
      fs.copyFileSync(fakeCodeSource, fakeCode);
      fs.chmodSync(fakeCode, 0o755);
      const recordFile = path.join(temp, 'record.jsonl');
      const run = runRunner(['--route', 'electron', '--only', 'restricted'], { [ENV_NAME]: fakeCode, FAKE_VSCODE_RECORD: recordFile });
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /\[vscode electron\] scenario restricted reported no test results/);
      assert.equal(run.last, 'vscode: 0 passed, 1 failed');
      const recorded = JSON.parse(fs.readFileSync(recordFile, 'utf8').trim()) as { argv: string[]; env: Record<string, string | null> };
      assert.equal(recorded.env.PATCHPILOT_E2E_SCENARIO, 'restricted');
      assert.ok(!recorded.argv.includes('--disable-workspace-trust'));
      // The scenario's own fixture workspace (a git repository prepared by scenarios.js) is what VS Code opens.
      const kept = /\[vscode electron\] kept (\S+)/.exec(run.stdout);
      assert.ok(kept, 'a failing scenario keeps its folder');
      assert.equal(path.dirname(recorded.argv[0]), kept[1]);
      assert.ok(fs.existsSync(path.join(recorded.argv[0], '.git')));
      fs.rmSync(kept[1], { recursive: true, force: true });
    } finally {
      fs.rmSync(temp, { recursive: true, force: true });
    }
  });
});
