// Process runner: real child processes — exit codes, env, closed stdin, killing whole trees on timeout and
// cancel, bounded output with a spill file, UTF-8 decoding across chunk boundaries.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CommandRequest } from '../../../src/agent/ports';
import { NodeCommandRunner, runProcess } from '../../../src/tools/process/runProcess';

/** Alive and not a zombie (a reparented zombie is dead for our purposes, whoever reaps it). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

/** Polls until the process is gone, giving up after a generous limit; returns whether it died. */
async function waitForDeath(pid: number, limitMs = 8000): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

function firstPid(output: string): number {
  const match = /^(\d+)$/m.exec(output);
  assert.ok(match, `expected a pid in the output: ${JSON.stringify(output)}`);
  return Number(match[1]);
}

describe('runProcess', () => {
  let workDir: string;
  const request = (command: string, extra: Partial<CommandRequest> = {}): CommandRequest => ({
    command, cwd: workDir, timeoutMs: 15000, purpose: 'command', ...extra,
  });

  beforeEach(() => {
    workDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-proc-')));
  });
  afterEach(() => fs.rmSync(workDir, { recursive: true, force: true }));

  describe('exit status and environment', () => {
    it('reports exit codes', async () => {
      assert.equal((await runProcess(request('true'))).exitCode, 0);
      const failed = await runProcess(request('echo failing; exit 3'));
      assert.equal(failed.exitCode, 3);
      assert.equal(failed.output, 'failing\n');
      assert.equal(failed.timedOut, false);
      assert.equal(failed.cancelled, false);
      assert.equal(failed.truncated, false);
      assert.equal(failed.totalBytes, 8);
    });

    it('reports a signal when the command kills itself', async () => {
      const result = await runProcess(request('kill -TERM $$'));
      assert.equal(result.exitCode, null);
      assert.equal(result.signal, 'SIGTERM');
      assert.equal(result.timedOut, false);
    });

    it('runs in the requested folder', async () => {
      assert.equal((await runProcess(request('pwd'))).output, `${workDir}\n`);
    });

    it('sets a non-interactive environment that the request can override', async () => {
      const result = await runProcess(request('echo "$CI $NO_COLOR $FORCE_COLOR $GIT_TERMINAL_PROMPT $PAGER $GIT_PAGER $MY_VAR"', {
        env: { GIT_PAGER: 'less', MY_VAR: 'mine' },
      }));
      assert.equal(result.output, '1 1 0 0 cat less mine\n');
    });

    it('runs through bash, so bash syntax works', async () => {
      assert.equal((await runProcess(request('x=(a b c); echo ${#x[@]}'))).output, '3\n');
    });

    it('interleaves stdout and stderr in arrival order and streams the same text', async () => {
      const chunks: string[] = [];
      const result = await runProcess(request('echo out1; sleep 0.3; echo err1 >&2; sleep 0.3; echo out2', {
        onOutput: (chunk) => chunks.push(chunk),
      }));
      assert.equal(result.output, 'out1\nerr1\nout2\n');
      assert.equal(chunks.join(''), result.output);
    });

    it('resolves with an explanation when the working folder does not exist', async () => {
      const result = await runProcess(request('ls', { cwd: path.join(workDir, 'missing') }));
      assert.equal(result.exitCode, null);
      assert.match(result.output, /working folder .*missing does not exist/);
    });
  });

  describe('stdin', () => {
    it('is closed, so commands waiting for input end instead of hanging', async () => {
      const cat = await runProcess(request('cat', { timeoutMs: 10000 }));
      assert.equal(cat.timedOut, false);
      assert.equal(cat.exitCode, 0);
      assert.equal(cat.output, '');
      const read = await runProcess(request('read answer; echo "status=$? answer=[$answer]"', { timeoutMs: 10000 }));
      assert.equal(read.timedOut, false);
      assert.equal(read.output, 'status=1 answer=[]\n');
    });
  });

  describe('timeouts and cancellation kill the whole tree', () => {
    it('kills a hanging command and its grandchild at the timeout', async () => {
      const result = await runProcess(request("bash -c 'sleep 30 & echo $!; sleep 30'", { timeoutMs: 1000 }));
      assert.equal(result.timedOut, true);
      assert.equal(result.cancelled, false);
      assert.equal(result.exitCode, null);
      const grandchild = firstPid(result.output);
      assert.equal(await waitForDeath(grandchild), true, `grandchild ${grandchild} still alive`);
    });

    it('uses SIGKILL after the grace period when SIGTERM is ignored', async () => {
      const result = await runProcess(
        request("trap '' TERM; sleep 30 & echo $!; wait", { timeoutMs: 500 }),
        { killGraceMs: 300 },
      );
      assert.equal(result.timedOut, true);
      assert.equal(result.exitCode, null);
      const child = firstPid(result.output);
      assert.equal(await waitForDeath(child), true, `child ${child} ignored SIGTERM and survived SIGKILL`);
    });

    it('cancels through an AbortSignal', async () => {
      const controller = new AbortController();
      const result = await runProcess(request("bash -c 'sleep 30 & echo $!; sleep 30'", {
        timeoutMs: 60000,
        signal: controller.signal,
        onOutput: () => controller.abort(),
      }));
      assert.equal(result.cancelled, true);
      assert.equal(result.timedOut, false);
      assert.equal(result.exitCode, null);
      assert.equal(await waitForDeath(firstPid(result.output)), true);
    });

    it('does not start a command whose signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      const result = await runProcess(request('touch started', { signal: controller.signal }));
      assert.equal(result.cancelled, true);
      assert.equal(result.exitCode, null);
      assert.equal(fs.existsSync(path.join(workDir, 'started')), false);
    });

    it('returns when the shell exits even if a background child keeps the pipes open, and stops that child', async () => {
      const result = await runProcess(request('sleep 30 & echo $!', { timeoutMs: 60000 }));
      assert.equal(result.exitCode, 0);
      assert.equal(result.timedOut, false);
      assert.equal(await waitForDeath(firstPid(result.output)), true);
    });
  });

  describe('bounded output', () => {
    it('keeps head and tail of a 5 MB output with a marker, and spills everything to a file', async () => {
      const spillDir = path.join(workDir, 'spill', 'nested');
      const lines = 750000;
      const expected = Array.from({ length: lines }, (_, i) => `${i + 1}\n`).join('');
      const result = await runProcess(request(`seq 1 ${lines}`), { spillDir });

      assert.equal(result.exitCode, 0);
      assert.equal(result.totalBytes, Buffer.byteLength(expected));
      assert.ok(result.totalBytes > 5_000_000);
      assert.equal(result.truncated, true);
      assert.ok(result.spillPath?.startsWith(spillDir), `spill path ${result.spillPath}`);
      assert.equal(fs.readFileSync(result.spillPath!, 'utf8'), expected);

      const [head, rest] = result.output.split(/\n\[… /);
      assert.ok(rest, 'expected a marker line');
      assert.ok(expected.startsWith(`${head}\n`));
      assert.ok(Buffer.byteLength(head) <= 16 * 1024 && Buffer.byteLength(head) > 12 * 1024);
      const markerMatch = /^([\d,]+) bytes left out; full output in (.+) …\]\n/.exec(rest);
      assert.ok(markerMatch, `marker: ${rest.slice(0, 200)}`);
      assert.equal(markerMatch[2], result.spillPath);
      const tail = rest.slice(markerMatch[0].length);
      assert.ok(expected.endsWith(tail));
      assert.ok(Buffer.byteLength(tail) <= 48 * 1024 && Buffer.byteLength(tail) > 36 * 1024);
      const leftOut = Number(markerMatch[1].replace(/,/g, ''));
      assert.equal(leftOut, result.totalBytes - Buffer.byteLength(head) - 1 - Buffer.byteLength(tail));
    });

    it('keeps small output whole and writes no spill file', async () => {
      const spillDir = path.join(workDir, 'spill');
      const result = await runProcess(request('seq 1 1000'), { spillDir });
      assert.equal(result.truncated, false);
      assert.equal(result.spillPath, undefined);
      assert.equal(result.output.split('\n').length, 1001);
      assert.equal(fs.existsSync(spillDir), false);
    });

    it('decodes multi-byte UTF-8 split across chunks without replacement characters', async () => {
      const text = 'é€😀'.repeat(40000);
      const script = path.join(workDir, 'emit.js');
      fs.writeFileSync(script, `process.stdout.write(${JSON.stringify(text)});`);
      const chunks: string[] = [];
      const whole = await runProcess(request(`node ${script}`, { onOutput: (chunk) => chunks.push(chunk) }),
        { headBytes: 1 << 20, tailBytes: 1 << 20 });
      assert.equal(chunks.join(''), text);
      assert.equal(whole.output, text);

      const cut = await runProcess(request(`node ${script}`), { headBytes: 1001, tailBytes: 2003, spillDir: workDir });
      assert.equal(cut.truncated, true);
      assert.ok(!cut.output.includes('\uFFFD'), 'a character was split at the head or tail boundary');
      assert.equal(fs.readFileSync(cut.spillPath!, 'utf8'), text);
    });
  });
});

describe('NodeCommandRunner', () => {
  it('runs commands, echoing output and forwarding it to the request', async () => {
    const echoed: string[] = [];
    const streamed: string[] = [];
    const runner = new NodeCommandRunner({ echo: (chunk) => echoed.push(chunk) });
    const result = await runner.run({
      command: 'echo hello; exit 4', cwd: os.tmpdir(), timeoutMs: 10000, purpose: 'test',
      onOutput: (chunk) => streamed.push(chunk),
    });
    assert.equal(result.exitCode, 4);
    assert.equal(result.output, 'hello\n');
    assert.equal(echoed.join(''), 'hello\n');
    assert.equal(streamed.join(''), 'hello\n');
  });
});
