// The queue runner with a scripted executor on real folders and real git: order, resuming an entry whose runner
// died (same task id, not started afresh), leaving alone one a live runner holds, cancelling, and worktree mode.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { currentOwner, type LockOwner } from '../../../src/agent/queue/locks';
import { runQueue, type TaskRun } from '../../../src/agent/queue/runner';
import { QueueStore } from '../../../src/agent/queue/store';

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' });

describe('queue runner', () => {
  let root: string;
  let home: string;
  const previousHome = process.env.PATCHPILOT_WORKTREES_DIR;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-runner-'));
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-runner-wt-'));
    process.env.PATCHPILOT_WORKTREES_DIR = home;
  });
  afterEach(() => {
    if (previousHome === undefined) delete process.env.PATCHPILOT_WORKTREES_DIR;
    else process.env.PATCHPILOT_WORKTREES_DIR = previousHome;
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  });

  const journalDir = () => path.join(root, '.patchpilot', 'tasks');

  it('runs entries oldest first, in place, and resumes one whose runner died with its own task id', async () => {
    const dead: LockOwner = { ...currentOwner(), pid: 2 ** 22 + 777 };
    const store = new QueueStore(root);
    const interrupted = store.add({ goal: 'interrupted' }, new Date('2026-01-01T00:00:00Z'));
    store.add({ goal: 'next' }, new Date('2026-01-02T00:00:00Z'));
    store.update(interrupted.id, { state: 'running', taskId: 'task-1', mode: 'in-place', runs: 1, runnerPid: dead.pid });
    assert.equal(store.claim(interrupted.id, dead).acquired, true);
    fs.mkdirSync(journalDir(), { recursive: true });
    fs.writeFileSync(path.join(journalDir(), 'task-1.jsonl'), '{}\n');
    const runs: TaskRun[] = [];
    const finished = await runQueue(store, { journalDir: journalDir(), execute: async (run) => {
      runs.push(run);
      return { status: 'verified', reason: null, summary: `did ${run.entry.goal}` };
    } });
    assert.deepEqual(runs.map((run) => [run.entry.goal, run.fresh, run.cwd === root]), [['interrupted', false, true], ['next', true, true]]);
    assert.equal(runs[0].taskId, 'task-1');
    assert.deepEqual(finished.map((entry) => [entry.goal, entry.state, entry.status, entry.runs]), [['interrupted', 'done', 'verified', 2], ['next', 'done', 'verified', 1]]);
    assert.equal(store.holder(interrupted.id), null, 'locks released');
  });

  it('leaves an entry a live runner holds, and cancels a running one when its marker appears', async () => {
    const store = new QueueStore(root, () => true); // the holder of 'held' counts as a live runner
    const held = store.add({ goal: 'held' }, new Date('2026-01-01T00:00:00Z'));
    store.update(held.id, { state: 'running', taskId: 'other' });
    assert.equal(store.claim(held.id, { ...currentOwner(), pid: 4242 }).acquired, true);
    const mine = store.add({ goal: 'mine' }, new Date('2026-01-02T00:00:00Z'));
    const finished = await runQueue(store, { journalDir: journalDir(), cancelPollMs: 10, execute: (run) => new Promise((resolve) => {
      fs.writeFileSync(path.join(store.dir, `${mine.id}.cancel`), 'now');
      run.signal.addEventListener('abort', () => resolve({ status: 'stopped', reason: 'cancelled', summary: 'Stopped.' }));
    }) });
    assert.deepEqual(finished.map((entry) => [entry.goal, entry.state]), [['mine', 'cancelled']]);
    assert.equal(store.get(held.id)!.state, 'running', "the other runner's entry is untouched");
    assert.equal(store.cancelRequested(mine.id), false, 'the marker is cleared');
  });

  it('in worktree mode the task works in a worktree, its result becomes a patch and the person\'s files stay', async () => {
    git(root, 'init', '-q');
    fs.writeFileSync(path.join(root, 'a.txt'), 'one\n');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'start');
    const store = new QueueStore(root);
    store.add({ goal: 'change a' });
    const finished = await runQueue(store, { parallel: 2, journalDir: journalDir(), execute: async (run) => {
      assert.notEqual(run.cwd, root);
      assert.equal(store.get(run.entry.id)!.worktree?.path, run.cwd, 'the worktree is recorded before the task runs');
      fs.writeFileSync(path.join(run.cwd, 'a.txt'), 'two\n'); // same size, same second as the checkout
      fs.writeFileSync(path.join(run.cwd, 'new.bin'), Buffer.from([0, 1, 2, 255]));
      return { status: 'verified', reason: null, summary: 'changed' };
    } });
    const entry = finished[0];
    assert.equal(entry.mode, 'worktree');
    assert.equal(fs.readFileSync(path.join(root, 'a.txt'), 'utf8'), 'one\n');
    const patch = fs.readFileSync(path.join(root, entry.proposal!), 'utf8');
    assert.match(patch, /-one\n\+two/);
    assert.match(patch, /GIT binary patch/);
    assert.deepEqual(fs.readdirSync(home), [], 'the worktree is removed');
    git(root, 'apply', path.join(root, entry.proposal!));
    assert.equal(fs.readFileSync(path.join(root, 'a.txt'), 'utf8'), 'two\n');
    assert.deepEqual([...fs.readFileSync(path.join(root, 'new.bin'))], [0, 1, 2, 255]);
  });
});
