// Network faults and interruptions: a 429 with retry-after, a dropped stream, and resuming a killed task.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupAll, cliPath, FIXED_ADD, makeRepo, read, readReport, requestText, runCli, scripted, taskArgs } from './support/harness';

describe('resilience (CLI, scripted model over HTTP)', function () {
  this.timeout(90_000);
  afterEach(cleanupAll);

  it('retries a 429 after retry-after and a dropped stream, then succeeds', async () => {
    const repo = makeRepo('calc');
    const server = await scripted({ turns: [
      { fault: { status: 429, retry_after: 1 }, tool_calls: [{ name: 'edit_file', arguments: FIXED_ADD }] },
      { fault: { drop_after_chunks: 2 }, content: 'Now verifying the fix.', tool_calls: [{ name: 'finish', arguments: { summary: 'fixed' } }] },
    ] });
    const run = await runCli(['fix-tests', ...taskArgs(repo, server, ['--test', 'node --test'])]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(server.requests.length, 4);
    assert.match(run.stdout, /retrying in \d+ ms/);
    assert.equal(readReport(repo).status, 'verified');
  });

  it('resumes an interrupted task from its journal', async () => {
    const repo = makeRepo('calc');
    const marker = `pp-resume-${process.pid}-${Date.now()}`;
    const first = await scripted({ turns: [
      { tool_calls: [{ name: 'update_plan', arguments: { items: [{ title: 'Fix add', status: 'in_progress' }] } }] },
      { tool_calls: [{ name: 'run_command', arguments: { command: `sleep 45 # ${marker}`, timeout_seconds: 120 } }] },
    ] });
    const child = spawn(process.execPath, [cliPath, 'fix-tests', ...taskArgs(repo, first, ['--test', 'node --test'])], {
      env: { ...process.env, OPENAI_API_KEY: 'test-key' }, stdio: 'ignore',
    });
    const journalDir = join(repo, '.patchpilot', 'tasks');
    const journalPath = await waitFor(() => {
      if (!existsSync(journalDir)) return undefined;
      const name = readdirSync(journalDir).find((n) => n.endsWith('.jsonl'));
      const path = name && join(journalDir, name);
      return path && readFileSync(path, 'utf8').includes('"name":"run_command"') && readFileSync(path, 'utf8').includes('tool_started') ? path : undefined;
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    spawn('pkill', ['-f', marker]);
    const taskId = journalPath.split('/').pop()!.replace('.jsonl', '');

    const second = await scripted({ turns: [
      { expect: ['make the failing tests pass', 'Fix add', 'interrupted while run_command ran'], tool_calls: [{ name: 'edit_file', arguments: FIXED_ADD }] },
      { tool_calls: [{ name: 'finish', arguments: { summary: 'fixed after resume' } }] },
    ] });
    const run = await runCli(['resume', '--cwd', repo, '--task', taskId, '--base-url', second.url, '--model', 'scripted', '--approve', 'auto', '--report', join(repo, '..', `${repo.split('/').pop()}-report.json`)]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(requestText(second, 0), /sleep 45/);
    assert.match(read(repo, 'src/math.js'), /a \+ b/);
    const report = readReport(repo);
    assert.equal(report.status, 'verified');
    assert.equal(report.steps, 4);
    // A finished task cannot be resumed again.
    const again = await runCli(['resume', '--cwd', repo, '--task', taskId, '--base-url', second.url, '--model', 'scripted']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already ended/);
  });
});

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
