// Watch mode's own test runs go through the same sandbox as a session's commands: a test command that writes outside
// the workspace is blocked (and reads as a failing run), one that writes inside it works, credentials do not reach it —
// and with the sandbox off the same command does write outside, so the blocking is the sandbox's doing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PathPolicy } from '../../../src/agent/policy/pathPolicy';
import { SandboxedTestRunner } from '../../../src/agent/watch/sandboxedTests';
import type { CommandRequest, CommandResult, CommandRunner } from '../../../src/agent/ports';
import { NodeCommandRunner } from '../../../src/tools/process/runProcess';
import { requireSandbox } from '../process/sandboxSupport';

/** The real child-process runner, remembering what it was asked to run. */
class RecordingRunner implements CommandRunner {
  readonly requests: CommandRequest[] = [];
  private readonly inner = new NodeCommandRunner();
  run(request: CommandRequest): Promise<CommandResult> {
    this.requests.push(request);
    return this.inner.run(request);
  }
}

describe('watch: sandboxed test runs', function () {
  this.timeout(30_000);
  let workspace: string;
  let outside: string;

  beforeEach(() => {
    workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-watch-sandbox-')));
    // Outside the workspace and outside /tmp: the person's other files.
    outside = fs.realpathSync(fs.mkdtempSync(path.join(os.homedir(), '.pp-watch-outside-')));
    fs.writeFileSync(path.join(outside, 'keep.txt'), 'the person\'s file\n');
  });
  afterEach(() => {
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  async function runOnce(testCommand: string, sandbox: 'workspace-write' | 'off', environment?: Record<string, string>) {
    const runner = new RecordingRunner();
    const saved = { ...process.env };
    if (environment) Object.assign(process.env, environment);
    try {
      const tests = await SandboxedTestRunner.create({ root: workspace, testCommand, runner, pathPolicy: new PathPolicy(workspace), sandbox, timeoutMs: 20_000 });
      try {
        return { verdict: await tests.run(new AbortController().signal), runner, note: tests.note };
      } finally {
        await tests.close();
      }
    } finally {
      process.env = saved;
    }
  }

  it('blocks a test command that writes outside the workspace; the run counts as failing', async function () {
    requireSandbox(this);
    const planted = path.join(outside, 'planted.txt');
    const { verdict, runner, note } = await runOnce(`echo x > ${planted} && echo ok > inside.txt`, 'workspace-write');
    assert.equal(fs.existsSync(planted), false, 'nothing was written outside the workspace');
    assert.deepEqual(fs.readdirSync(outside), ['keep.txt']);
    assert.equal(verdict.passed, false);
    assert.notEqual(verdict.exitCode, 0);
    assert.equal(runner.requests[0].sandbox?.mode, 'workspace-write');
    assert.equal(runner.requests[0].purpose, 'test');
    assert.match(note, /sandbox \(bubblewrap|sandbox-exec/);
  });

  it('lets it write inside the workspace, and passes when the command does', async function () {
    requireSandbox(this);
    const { verdict } = await runOnce('echo ok > inside.txt && cat inside.txt', 'workspace-write');
    assert.equal(verdict.passed, true);
    assert.equal(fs.readFileSync(path.join(workspace, 'inside.txt'), 'utf8'), 'ok\n');
  });

  it('keeps credentials out of the test command\'s environment', async function () {
    const marker = path.join(workspace, 'env.txt');
    await runOnce(`printenv PP_WATCH_API_TOKEN > ${marker}; true`, 'workspace-write', { PP_WATCH_API_TOKEN: 'sk-live-0123456789abcdef' });
    assert.equal(fs.readFileSync(marker, 'utf8'), '', 'the credential-like variable was dropped');
  });

  it('with the sandbox off (chosen explicitly) the same command does write outside: the blocking above is the sandbox', async () => {
    const planted = path.join(outside, 'planted.txt');
    const { verdict, runner, note } = await runOnce(`echo x > ${planted}`, 'off');
    assert.equal(verdict.passed, true);
    assert.equal(fs.readFileSync(planted, 'utf8'), 'x\n');
    assert.equal(runner.requests[0].sandbox, undefined);
    assert.match(note, /sandbox is off/);
  });
});
