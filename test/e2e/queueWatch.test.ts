// The task queue and watch mode through the real CLI: a queue that survives a SIGKILL of its runner in the middle of a
// task (resumed from its journal, nothing lost), two queued tasks at once in worktrees with their results as patches,
// and a watch session that proposes a fix for a change that broke a test — without touching the person's files.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Script } from '../../src/scripted/script';
import { cleanupAll, cliPath, git, makeRepo, read, runCli, scripted } from './support/harness';

interface Entry { id: string; state: string; status: string | null; taskId: string | null; runs: number; proposal: string | null; mode: string | null; goal: string }

const SHOUT_TEST = `'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { shout, whisper } = require('../src/strings');
test('shout ends with an exclamation mark', () => assert.equal(shout('hi'), 'HI!'));
test('whisper ends with an ellipsis', () => assert.equal(whisper('HI'), 'hi…'));
`;

function edit(path: string, search: string, replace: string) {
  return { name: 'edit_file', arguments: { path, edits: [{ search, replace }] } };
}
const finish = (summary: string) => ({ name: 'finish', arguments: { summary } });

function queueEntries(cwd: string): Entry[] {
  return JSON.parse(execCli(['queue', 'list', '--cwd', cwd, '--json'])) as Entry[];
}

function execCli(args: string[]): string {
  return execFileSync(process.execPath, [cliPath, ...args], { encoding: 'utf8' });
}

function journalEvents(cwd: string, taskId: string): { type: string; time: number }[] {
  return readFileSync(join(cwd, '.patchpilot', 'tasks', `${taskId}.jsonl`), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

async function waitFor<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 60_000, context: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.\n${context()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function startCli(args: string[], env: Record<string, string> = {}): { child: ChildProcess; output: () => string; exited: Promise<{ code: number | null; signal: string | null }> } {
  const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, OPENAI_API_KEY: 'test-key', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

describe('queue and watch (real CLI, scripted model over HTTP)', function () {
  this.timeout(120_000);
  let worktreesHome: string;
  let env: Record<string, string>;

  beforeEach(() => {
    worktreesHome = mkdtempSync(join(tmpdir(), 'pp-e2e-worktrees-'));
    env = { PATCHPILOT_WORKTREES_DIR: worktreesHome };
  });
  afterEach(async () => {
    await cleanupAll();
    rmSync(worktreesHome, { recursive: true, force: true });
  });

  it('runs a queue of three tasks that survives a SIGKILL of its runner during task 2: the next run resumes it from its journal', async () => {
    const cwd = makeRepo('calc');
    writeFileSync(join(cwd, 'test', 'strings.test.js'), SHOUT_TEST);
    git(cwd, 'add', '-A');
    git(cwd, 'commit', '-qm', 'string tests');
    // One model server for the whole queue, outliving the runner like a real provider does.
    const script: Script = { turns: [
      { expect: ['Goal: make add(2, 3) return 5'], tool_calls: [edit('src/math.js', '  return a - b;', '  return a + b;')] },
      { tool_calls: [finish('add() adds.')] },
      { expect: ['Goal: make shout end with "!"'], tool_calls: [edit('src/strings.js', '  return text.toUpperCase();', "  return text.toUpperCase() + '!';")] },
      // The runner is killed while it waits for this reply; the resumed task asks again and gets it.
      { expect: ["toUpperCase() + '!'"], delay_ms: 4000, tool_calls: [finish('shout() shouts.')] },
      { expect: ['Goal: make whisper end with an ellipsis'], tool_calls: [edit('src/strings.js', '  return text.toLowerCase();', "  return text.toLowerCase() + '…';")] },
      { tool_calls: [finish('whisper() trails off.')] },
    ] };
    const server = await scripted(script);
    const model = ['--base-url', server.url, '--model', 'scripted'];
    execCli(['queue', 'add', '--cwd', cwd, '--goal', 'make add(2, 3) return 5', '--test', 'node --test test/math.test.js', ...model]);
    execCli(['queue', 'add', '--cwd', cwd, '--goal', 'make shout end with "!"', '--test', 'node --test --test-name-pattern=shout test/strings.test.js', ...model]);
    execCli(['queue', 'add', '--cwd', cwd, '--goal', 'make whisper end with an ellipsis', '--test', 'node --test test/strings.test.js', ...model]);
    assert.deepEqual(queueEntries(cwd).map((entry) => entry.state), ['queued', 'queued', 'queued']);

    const first = startCli(['queue', 'run', '--cwd', cwd], env);
    const leftRunning = setTimeout(() => first.child.kill('SIGKILL'), 70_000); // never outlive the test
    const second = await waitFor('task 2 to wait for its model reply', () => {
      const entry = queueEntries(cwd)[1];
      if (entry.state !== 'running' || !entry.taskId || !existsSync(join(cwd, '.patchpilot', 'tasks', `${entry.taskId}.jsonl`))) return null;
      const waiting = server.requests.length === 4 && server.requests[3].outcome === 'pending';
      return waiting ? entry : null;
    }, 60_000, first.output);
    clearTimeout(leftRunning);
    first.child.kill('SIGKILL');
    const killed = await first.exited;
    assert.equal(killed.signal, 'SIGKILL');
    const afterKill = queueEntries(cwd);
    assert.deepEqual(afterKill.map((entry) => [entry.state, entry.status]), [['done', 'verified'], ['running', null], ['queued', null]], first.output());
    assert.match(read(cwd, 'src/strings.js'), /toUpperCase\(\) \+ '!'/, "task 2's edit made before the kill is still there");
    assert.match(execCli(['queue', 'list', '--cwd', cwd]), /runner gone/);

    const again = await runCli(['queue', 'run', '--cwd', cwd], { env, timeoutMs: 90_000 });
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, new RegExp(`resuming ${second.id}`));
    const final = queueEntries(cwd);
    assert.deepEqual(final.map((entry) => [entry.state, entry.status]), [['done', 'verified'], ['done', 'verified'], ['done', 'verified']]);
    assert.equal(final[1].taskId, second.taskId, 'the interrupted entry kept its task');
    assert.equal(final[1].runs, 2);
    const events = journalEvents(cwd, second.taskId!).map((event) => event.type);
    assert.equal(events.filter((type) => type === 'task_started').length, 1, 'one task, not a restart');
    assert.ok(events.includes('task_resumed'), 'resumed from its journal');
    assert.equal(server.remainingTurns(), 0, 'every scripted turn was used: no step was repeated or skipped');
    assert.doesNotThrow(() => execFileSync(process.execPath, ['--test'], { cwd, stdio: 'pipe' }), 'all the tests pass in the person\'s tree');
    assert.match(read(cwd, 'src/math.js'), /return a \+ b;/);
    assert.match(read(cwd, 'src/strings.js'), /toUpperCase\(\) \+ '!'/);
    assert.match(read(cwd, 'src/strings.js'), /toLowerCase\(\) \+ '…'/);
    const listed = await runCli(['tasks', '--cwd', cwd]);
    for (const entry of final) assert.match(listed.stdout, new RegExp(entry.taskId!), 'each task journaled and listed as today');
  });

  it('runs two queued tasks at once in worktrees (--parallel 2): the person\'s files stay as they are, each result is a patch to apply', async () => {
    const cwd = makeRepo('calc');
    writeFileSync(join(cwd, 'test', 'strings.test.js'), SHOUT_TEST.replace(/\ntest\('whisper[^\n]*\n/, '\n'));
    git(cwd, 'add', '-A');
    git(cwd, 'commit', '-qm', 'string tests');
    const scripts = mkdtempSync(join(tmpdir(), 'pp-e2e-scripts-'));
    const mathScript = join(scripts, 'math.json');
    const stringsScript = join(scripts, 'strings.json');
    writeFileSync(mathScript, JSON.stringify({ turns: [
      { expect: ['Goal: make add(2, 3) return 5'], tool_calls: [edit('src/math.js', '  return a - b;', '  return a + b;')] },
      { tool_calls: [finish('add() adds.')] }] }));
    writeFileSync(stringsScript, JSON.stringify({ turns: [
      { expect: ['Goal: make shout end with "!"'], tool_calls: [edit('src/strings.js', '  return text.toUpperCase();', "  return text.toUpperCase() + '!';")] },
      { tool_calls: [finish('shout() shouts.')] }] }));
    try {
      execCli(['queue', 'add', '--cwd', cwd, '--goal', 'make add(2, 3) return 5', '--test', 'node --test test/math.test.js', '--scripted-model', mathScript]);
      execCli(['queue', 'add', '--cwd', cwd, '--goal', 'make shout end with "!"', '--test', 'node --test test/strings.test.js', '--scripted-model', stringsScript]);
      const before = { math: read(cwd, 'src/math.js'), strings: read(cwd, 'src/strings.js'), status: git(cwd, 'status', '--porcelain') };

      const run = await runCli(['queue', 'run', '--cwd', cwd, '--parallel', '2'], { env, timeoutMs: 90_000 });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const entries = queueEntries(cwd);
      assert.deepEqual(entries.map((entry) => [entry.state, entry.status, entry.mode]), [['done', 'verified', 'worktree'], ['done', 'verified', 'worktree']]);
      assert.deepEqual({ math: read(cwd, 'src/math.js'), strings: read(cwd, 'src/strings.js'), status: git(cwd, 'status', '--porcelain') }, before,
        "the person's files and git status are untouched");
      // Both were under way at once: the second started before the first finished.
      const [a, b] = entries.map((entry) => journalEvents(cwd, entry.taskId!));
      const started = (events: { type: string; time: number }[]) => events.find((e) => e.type === 'task_started')!.time;
      const finishedAt = (events: { type: string; time: number }[]) => events.find((e) => e.type === 'task_finished')!.time;
      assert.ok(started(b) < finishedAt(a) && started(a) < finishedAt(b), 'the two tasks overlapped in time');
      assert.deepEqual(readdirSync(worktreesHome), [], 'their worktrees are removed');
      assert.equal(git(cwd, 'worktree', 'list').trim().split('\n').length, 1);

      for (const entry of entries) {
        assert.ok(entry.proposal && existsSync(join(cwd, entry.proposal)), 'a patch per task');
        const applied = await runCli(['queue', 'apply', entry.id, '--cwd', cwd]);
        assert.equal(applied.code, 0, applied.stderr);
      }
      assert.match(read(cwd, 'src/math.js'), /return a \+ b;/);
      assert.match(read(cwd, 'src/strings.js'), /toUpperCase\(\) \+ '!'/);
      const twice = await runCli(['queue', 'apply', entries[0].id, '--cwd', cwd]);
      assert.equal(twice.code, 1);
      assert.match(twice.stderr, /applied already/);
    } finally {
      rmSync(scripts, { recursive: true, force: true });
    }
  });

  it('watch: a change that breaks a test gets a proposal in .patchpilot/proposals; SIGTERM stops it cleanly and the person\'s files are untouched', async () => {
    const cwd = makeRepo('calc');
    writeFileSync(join(cwd, 'src', 'math.js'), read(cwd, 'src/math.js').replace('a - b', 'a + b'));
    git(cwd, 'commit', '-qam', 'green');
    const scriptDir = mkdtempSync(join(tmpdir(), 'pp-e2e-scripts-'));
    const script = join(scriptDir, 'watch.json');
    writeFileSync(script, JSON.stringify({ turns: [
      { expect: ['Goal: make the failing tests pass', 'add sums two numbers'], tool_calls: [{ name: 'read_file', arguments: { path: 'src/math.js' } }] },
      { expect: ['return a * b'], tool_calls: [edit('src/math.js', 'return a * b;\n}\n\nfunction multiply', 'return a + b;\n}\n\nfunction multiply')] },
      { tool_calls: [finish('add() multiplied; it adds again.')] }] }));
    let watch: ReturnType<typeof startCli> | undefined;
    try {
      watch = startCli(['watch', '--cwd', cwd, '--test', 'node --test', '--debounce', '200', '--scripted-model', script, '--proposal-max-steps', '6'], env);
      const output = watch.output;
      await waitFor('the first green run', () => /\[watch\] tests pass/.test(output()), 60_000, output);
      const broken = read(cwd, 'src/math.js').replace('a + b', 'a * b');
      writeFileSync(join(cwd, 'src', 'math.js'), broken);
      const proposals = join(cwd, '.patchpilot', 'proposals');
      const patchName = await waitFor('the proposal', () => existsSync(proposals) && readdirSync(proposals).find((name) => name.endsWith('.patch')), 60_000, output);
      await waitFor('the summary line', () => /\[watch\] proposal: /.test(output()), 60_000, output);
      watch.child.kill('SIGTERM');
      const exit = await watch.exited;
      assert.equal(exit.code, 0, watch.output());
      assert.match(watch.output(), /tests fail .*they passed before this change/);
      assert.match(watch.output(), /\[watch\] stopped/);
      assert.equal(read(cwd, 'src/math.js'), broken, "watch never writes the person's files");
      assert.deepEqual(git(cwd, 'status', '--porcelain').trim(), 'M src/math.js');
      assert.deepEqual(readdirSync(worktreesHome), [], 'the proposal worktree is removed');
      assert.equal(git(cwd, 'worktree', 'list').trim().split('\n').length, 1);
      assert.ok(existsSync(join(proposals, patchName.replace(/\.patch$/, '.md'))), 'a summary beside the patch');
      git(cwd, 'apply', join(proposals, patchName));
      assert.match(read(cwd, 'src/math.js'), /return a \+ b;\n}\n\nfunction multiply/, 'the proposal fixes it');
    } finally {
      if (watch && watch.child.exitCode === null && watch.child.signalCode === null) {
        watch.child.kill('SIGKILL');
        await watch.exited;
      }
      rmSync(scriptDir, { recursive: true, force: true });
    }
  });
});
