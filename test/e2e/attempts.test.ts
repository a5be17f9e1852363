// Parallel attempts end to end: the real CLI, real git worktrees, real test runs, and one scripted server over HTTP
// that tells attempts apart by the X-Patchpilot-Attempt header each request carries.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Script, ScriptTurn } from '../../src/scripted/script';
import type { ScriptedServer } from '../../src/scripted/server';
import { cleanupAll, cliPath, FIXED_ADD, git, makeRepo, read, readReport, runCli, scripted, taskArgs, type Report } from './support/harness';

interface AttemptsReport extends Report {
  attempts: { id: string; model: string; status: string; verified: boolean; failingTests: number | null; regressions: number | null; diffLines: number;
    usage: { promptTokens: number; completionTokens: number; costUsd: number | null }; journal: string; changes: { path: string; diff: string }[] }[];
  chosenAttempt: string | null;
  judge: { ranking: string[]; reasons: string[]; ties: string[][] };
}

const WRONG_ADD = { path: 'src/math.js', edits: [{ search: '  return a - b;', replace: '  return b - a;' }] };
const BROKEN_MULTIPLY = { path: 'src/math.js', edits: [{ search: '  return a * b;', replace: '  return a + b;' }] };
const finish = (summary: string): ScriptTurn => ({ tool_calls: [{ name: 'finish', arguments: { summary } }] });
const edit = (args: Record<string, unknown>, extra: Partial<ScriptTurn> = {}): ScriptTurn => ({ tool_calls: [{ name: 'edit_file', arguments: args }], ...extra });

/** Three attempts: only the second fixes add(); the first swaps the operands, the third breaks multiply. */
function threeAttempts(secondFinish: Partial<ScriptTurn> = {}): Script {
  return { turns: [], attempts: [
    { turns: [edit(WRONG_ADD), finish('swapped')] },
    { turns: [edit(FIXED_ADD), { ...finish('add adds'), ...secondFinish }] },
    { turns: [edit(BROKEN_MULTIPLY), finish('changed multiply')] },
  ] };
}

function worktreeHome(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pp-e2e-worktrees-'));
  return dir;
}

function worktreeList(repo: string): string[] {
  return git(repo, 'worktree', 'list', '--porcelain').split('\n').filter((line) => line.startsWith('worktree ')).map((line) => line.slice('worktree '.length));
}

function personState(repo: string) {
  return { math: read(repo, 'src/math.js'), mtime: statSync(join(repo, 'src/math.js')).mtimeMs, status: git(repo, 'status', '--porcelain') };
}

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The CLI as a child whose output is read as it comes, for answering a review and for killing it mid-run. */
const children: ChildProcess[] = [];

function startCli(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string; done: Promise<number | null> } {
  const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, OPENAI_API_KEY: 'test-key', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  children.push(child);
  return { child, output: () => output, done };
}

describe('parallel attempts (CLI, worktrees, scripted model over HTTP)', function () {
  this.timeout(120_000);
  let home: string;
  beforeEach(() => {
    home = worktreeHome();
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await cleanupAll();
    rmSync(home, { recursive: true, force: true });
  });

  it('runs three attempts where only one is right: the judge picks it, and the person\'s tree is untouched until the review', async () => {
    const repo = makeRepo('calc');
    const before = personState(repo);
    // Attempt 2 waits before its finish, so its edit sits in its worktree while the test looks at the person's tree.
    const server = await scripted(threeAttempts({ delay_ms: 1500 }));
    const args = ['fix-tests', ...taskArgs(repo, server, ['--test', 'node --test', '--attempts', '3', '--parallel', '3', '--max-steps', '6', '--approve', 'ask'])];
    const cli = startCli(args, { PATCHPILOT_WORKTREES_DIR: home });
    await until(() => server.requests.some((r) => r.attempt === 2 && r.turn === 2 && r.outcome === 'pending'), 'attempt 2 to wait before its finish');
    const worktrees = worktreeList(repo).filter((path) => path.startsWith(join(home, 'attempt-')));
    assert.equal(worktrees.length, 3, `three attempt worktrees: ${worktreeList(repo).join(', ')}`);
    assert.equal(worktreeList(repo).filter((path) => path.startsWith(join(home, 'baseline-'))).length, 1, 'and one for the tests at the checkpoint');
    assert.ok(worktrees.some((path) => readFileSync(join(path, 'src/math.js'), 'utf8').includes('return a + b;')), 'attempt 2 edited its own worktree');
    assert.deepEqual(personState(repo), before, 'while the attempts run, the person\'s file, its mtime and git status are as they were');

    await until(() => cli.output().includes('Accept this hunk?'), 'the review of the chosen attempt');
    assert.deepEqual(personState(repo), before, 'until the person accepts, nothing is written');
    assert.match(cli.output(), /judge: Chosen: attempt-2 \(verified/);
    cli.child.stdin!.end('a\n');
    assert.equal(await cli.done, 0, cli.output());

    const report = readReport(repo) as AttemptsReport;
    assert.equal(report.status, 'verified');
    assert.equal(report.chosenAttempt, 'attempt-2');
    assert.deepEqual(report.judge.ranking, ['attempt-2', 'attempt-1', 'attempt-3']);
    assert.ok(report.judge.reasons.includes('attempt-1 over attempt-3 by failing tests: 1 failing vs 2 failing.'), report.judge.reasons.join('\n'));
    const byId = Object.fromEntries(report.attempts.map((a) => [a.id, a]));
    assert.deepEqual([byId['attempt-1'].verified, byId['attempt-2'].verified, byId['attempt-3'].verified], [false, true, false]);
    assert.equal(byId['attempt-1'].failingTests, 1);
    assert.equal(byId['attempt-3'].regressions, 1, 'multiply passed at the start and fails in attempt 3');
    assert.equal(byId['attempt-2'].diffLines, 2);
    // The unchosen attempts stay viewable: their diffs in the report, their journals on disk.
    assert.match(byId['attempt-3'].changes[0].diff, /^\+ {2}return a \+ b;$/m);
    assert.ok(existsSync(byId['attempt-1'].journal));
    const totals = report.attempts.reduce((n, a) => n + a.usage.promptTokens, 0);
    assert.equal(report.usage.promptTokens, totals, 'usage is the total across attempts');
    assert.ok(totals > 0);
    // Applied as the task's change set, verified again in the person's tree; worktrees removed afterwards.
    assert.match(read(repo, 'src/math.js'), /return a \+ b;/);
    assert.match(read(repo, 'src/math.js'), /return a \* b;/);
    assert.equal(report.testRuns.at(-1)?.exitCode, 0);
    assert.equal(git(repo, 'status', '--porcelain'), ' M src/math.js\n');
    assert.deepEqual(worktreeList(repo), [repo]);
    assert.deepEqual(readdirSync(home), []);
    // The same undo as any task: the change set was journaled in the person's task.
    const undo = await runCli(['undo', '--cwd', repo, '--task', report.taskId]);
    assert.equal(undo.code, 0, undo.stdout + undo.stderr);
    assert.equal(read(repo, 'src/math.js'), before.math);
  });

  it('gives attempts different models with --attempt-models, and each request says which attempt it serves', async () => {
    const repo = makeRepo('calc');
    const server = await scripted({ turns: [], attempts: [
      { turns: [edit(WRONG_ADD), finish('swapped')] },
      { turns: [edit(FIXED_ADD), finish('add adds')] },
    ] });
    const run = await runCli(['fix-tests', ...taskArgs(repo, server, ['--test', 'node --test', '--attempt-models', 'model-a,model-b', '--max-steps', '4'])],
      { env: { PATCHPILOT_WORKTREES_DIR: home } });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const served = server.requests.map((r) => [r.attempt, r.body?.model]);
    assert.ok(served.length >= 4);
    for (const [attempt, model] of served) assert.equal(model, attempt === 1 ? 'model-a' : 'model-b', JSON.stringify(served));
    const report = readReport(repo) as AttemptsReport;
    assert.deepEqual(report.attempts.map((a) => [a.id, a.model]), [['attempt-1', 'model-a'], ['attempt-2', 'model-b']]);
    assert.equal(report.chosenAttempt, 'attempt-2');
    assert.match(read(repo, 'src/math.js'), /return a \+ b;/);
  });

  it('an attempt that edits the test to pass does not win against one that fixes the code', async () => {
    const repo = makeRepo('calc');
    const cheat = { path: 'test/math.test.js', edits: [{ search: 'assert.equal(add(2, 3), 5);', replace: 'assert.equal(add(2, 3), -1);' }] };
    const server = await scripted({ turns: [], attempts: [
      { turns: [edit(cheat), finish('the test was wrong')] },
      { turns: [edit(FIXED_ADD, { delay_ms: 300 }), finish('add adds')] },
    ] });
    // Test edits allowed, so the cheat is really written in its worktree: the verdict runs the original tests.
    const run = await runCli(['fix-tests', ...taskArgs(repo, server, ['--test', 'node --test', '--attempts', '2', '--allow-test-edits', '--max-steps', '4'])],
      { env: { PATCHPILOT_WORKTREES_DIR: home } });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const report = readReport(repo) as AttemptsReport;
    const cheater = report.attempts.find((a) => a.id === 'attempt-1')!;
    assert.equal(cheater.verified, false, JSON.stringify(cheater));
    assert.match(cheater.changes[0].diff, /-1\);/, 'the test edit was made in its worktree');
    assert.equal(report.chosenAttempt, 'attempt-2');
    assert.equal(read(repo, 'test/math.test.js'), git(repo, 'show', 'HEAD:test/math.test.js'), 'the person\'s test file is as it was');
    assert.match(read(repo, 'src/math.js'), /return a \+ b;/);
  });

  it('never overwrites a file the person changed while the attempts ran: the conflict is reported', async () => {
    const repo = makeRepo('calc');
    const server = await scripted(threeAttempts({ delay_ms: 1500 }));
    const cli = startCli(['fix-tests', ...taskArgs(repo, server, ['--test', 'node --test', '--attempts', '3', '--max-steps', '6'])], { PATCHPILOT_WORKTREES_DIR: home });
    await until(() => server.requests.some((r) => r.attempt === 2 && r.turn === 2 && r.outcome === 'pending'), 'attempt 2 to wait before its finish');
    const mine = read(repo, 'src/math.js').replace('function add', '// my note\nfunction add');
    writeFileSync(join(repo, 'src/math.js'), mine);
    await cli.done;
    const report = readReport(repo) as AttemptsReport & { attemptConflicts: { path: string; reason: string }[] };
    assert.equal(report.chosenAttempt, 'attempt-2');
    assert.equal(read(repo, 'src/math.js'), mine, 'the person\'s edit is kept');
    assert.deepEqual(report.attemptConflicts.map((c) => c.path), ['src/math.js']);
    assert.match(cli.output(), /not applied: src\/math\.js: you changed this file while the attempts ran/);
    assert.notEqual(report.status, 'verified');
  });

  it('removes the worktrees of a crashed run on the next start', async () => {
    const repo = makeRepo('calc');
    const slow: Script = { turns: [], attempts: [1, 2, 3].map(() => ({ turns: [{ ...edit(FIXED_ADD), delay_ms: 60_000 }] })) };
    const server: ScriptedServer = await scripted(slow);
    const cli = startCli(['fix-tests', ...taskArgs(repo, server, ['--test', 'node --test', '--attempts', '3', '--parallel', '3'])], { PATCHPILOT_WORKTREES_DIR: home });
    await until(() => server.requests.filter((r) => r.outcome === 'pending').length === 3, 'three attempts waiting for their model');
    cli.child.kill('SIGKILL');
    await cli.done;
    assert.equal(worktreeList(repo).length, 5, 'the killed run left its worktrees behind (three attempts, one baseline)');
    assert.equal(readdirSync(home).length, 4);

    const next = await scripted({ turns: [edit(FIXED_ADD), finish('add adds')] });
    const run = await runCli(['fix-tests', ...taskArgs(repo, next, ['--test', 'node --test'])], { env: { PATCHPILOT_WORKTREES_DIR: home } });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(worktreeList(repo), [repo], git(repo, 'worktree', 'list'));
    assert.deepEqual(readdirSync(home), []);
    assert.deepEqual(readdirSync(join(repo, '.patchpilot', 'worktrees')).filter((name) => name.endsWith('.json')), []);
  });
});
