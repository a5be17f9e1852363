// Task worktrees on real temporary git repositories: made from the person's working tree (uncommitted work
// included), their changes read back exactly, the person's git state untouched, and leftovers of a crash removed.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  adoptWorktree, cleanupStaleWorktrees, createWorktree, listWorktrees, removeWorktree, worktreeChanges,
} from '../../../src/tools/changes/worktrees';

const identity = ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false'];

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', [...identity, ...args], { cwd, encoding: 'utf8' });
}

function write(root: string, relative: string, content: string): void {
  fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  fs.writeFileSync(path.join(root, relative), content);
}

function gitState(root: string): Record<string, string> {
  return {
    status: git(root, 'status', '--porcelain=v1', '--untracked-files=all'),
    head: git(root, 'rev-parse', 'HEAD'),
    branch: git(root, 'symbolic-ref', 'HEAD'),
    index: git(root, 'ls-files', '--stage'),
    stash: git(root, 'stash', 'list'),
  };
}

describe('task worktrees', () => {
  let root: string;
  let home: string;
  const previousHome = process.env.PATCHPILOT_WORKTREES_DIR;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-wt-root-'));
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-wt-home-'));
    process.env.PATCHPILOT_WORKTREES_DIR = home;
    git(root, 'init', '-q', '-b', 'main');
    write(root, '.gitignore', 'node_modules/\n.env\n');
    write(root, 'src/a.js', 'module.exports = 1;\n');
    write(root, 'src/gone.js', 'old\n');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'start');
    write(root, 'src/a.js', 'module.exports = 2; // uncommitted\n');
    write(root, 'notes.txt', 'untracked\n');
    write(root, 'node_modules/dep/index.js', 'dep\n');
    write(root, '.env', 'SECRET=1\n');
  });

  afterEach(() => {
    if (previousHome === undefined) delete process.env.PATCHPILOT_WORKTREES_DIR;
    else process.env.PATCHPILOT_WORKTREES_DIR = previousHome;
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('holds the working tree as it is (uncommitted and untracked work included), with dependencies linked and protected files left out', async () => {
    const before = gitState(root);
    const worktree = await createWorktree(root, { purpose: 'attempt 1', label: 'attempt 1', isProtected: (name) => name === '.env' });
    assert.ok(worktree.path.startsWith(home), 'the worktree is outside the workspace');
    assert.match(worktree.id, /^attempt-1-/);
    assert.equal(fs.readFileSync(path.join(worktree.path, 'src/a.js'), 'utf8'), 'module.exports = 2; // uncommitted\n');
    assert.equal(fs.readFileSync(path.join(worktree.path, 'notes.txt'), 'utf8'), 'untracked\n');
    assert.equal(fs.readFileSync(path.join(worktree.path, 'node_modules/dep/index.js'), 'utf8'), 'dep\n');
    assert.equal(fs.existsSync(path.join(worktree.path, '.env')), false, 'a protected ignored file is not linked in');
    assert.deepEqual(gitState(root), before, "the person's git state is untouched");
    assert.deepEqual(listWorktrees(root).map((entry) => [entry.id, entry.ownerPid, entry.keep]), [[worktree.id, process.pid, false]]);
    await removeWorktree(worktree);
  });

  it('reads back what changed in it, byte for byte, and leaves the person\'s files alone', async () => {
    const worktree = await createWorktree(root, { purpose: 'attempt' });
    write(worktree.path, 'src/a.js', 'module.exports = 3;\n');
    write(worktree.path, 'src/new.js', 'new\n');
    fs.rmSync(path.join(worktree.path, 'src/gone.js'));
    const changes = await worktreeChanges(worktree);
    assert.deepEqual(changes.map((c) => [c.path, c.before?.toString() ?? null, c.after?.toString() ?? null]), [
      ['src/a.js', 'module.exports = 2; // uncommitted\n', 'module.exports = 3;\n'],
      ['src/gone.js', 'old\n', null],
      ['src/new.js', null, 'new\n'],
    ]);
    assert.equal(fs.readFileSync(path.join(root, 'src/a.js'), 'utf8'), 'module.exports = 2; // uncommitted\n');
    assert.ok(fs.existsSync(path.join(root, 'src/gone.js')));
    await removeWorktree(worktree);
  });

  it('removal takes the folder, git\'s bookkeeping, the base ref and the registry entry', async () => {
    const worktree = await createWorktree(root, { purpose: 'attempt' });
    assert.match(git(root, 'worktree', 'list'), new RegExp(worktree.id));
    await removeWorktree(worktree);
    assert.equal(fs.existsSync(worktree.path), false);
    assert.doesNotMatch(git(root, 'worktree', 'list'), new RegExp(worktree.id));
    assert.equal(git(root, 'for-each-ref', worktree.baseRef), '');
    assert.deepEqual(listWorktrees(root), []);
    assert.equal(git(root, 'status', '--porcelain', '--untracked-files=all').includes('.patchpilot/worktrees'), false);
  });

  it('after a crash, the next start removes worktrees whose owner is gone, and keeps kept ones and live ones', async () => {
    const crashed = await createWorktree(root, { purpose: 'attempt of a crashed run' });
    const kept = await createWorktree(root, { purpose: 'queued task', keep: true });
    const live = await createWorktree(root, { purpose: 'running attempt' });
    const deadPid = 999_999_999;
    const registry = path.join(root, '.patchpilot', 'worktrees', `${crashed.id}.json`);
    fs.writeFileSync(registry, JSON.stringify({ ...JSON.parse(fs.readFileSync(registry, 'utf8')), ownerPid: deadPid }));
    const keptRegistry = path.join(root, '.patchpilot', 'worktrees', `${kept.id}.json`);
    fs.writeFileSync(keptRegistry, JSON.stringify({ ...JSON.parse(fs.readFileSync(keptRegistry, 'utf8')), ownerPid: deadPid }));
    const removed = await cleanupStaleWorktrees(root);
    assert.deepEqual(removed.map((w) => w.id), [crashed.id]);
    assert.equal(fs.existsSync(crashed.path), false);
    assert.ok(fs.existsSync(kept.path) && fs.existsSync(live.path));
    const adopted = await adoptWorktree(root, kept.id, false);
    assert.equal(adopted?.path, kept.path);
    assert.equal(listWorktrees(root).find((w) => w.id === kept.id)?.ownerPid, process.pid);
    assert.equal(await adoptWorktree(root, 'no-such-id', true), null);
    await removeWorktree(kept);
    await removeWorktree(live);
  });

  it('can start from a given commit (a task\'s checkpoint) and then leaves that commit\'s ref alone', async () => {
    const head = git(root, 'rev-parse', 'HEAD').trim();
    const worktree = await createWorktree(root, { purpose: 'original tests', commit: head });
    assert.equal(fs.readFileSync(path.join(worktree.path, 'src/a.js'), 'utf8'), 'module.exports = 1;\n');
    assert.equal(fs.existsSync(path.join(worktree.path, 'notes.txt')), false);
    await removeWorktree(worktree);
    assert.equal(git(root, 'rev-parse', 'HEAD').trim(), head);
    assert.deepEqual(listWorktrees(root), []);
  });

  it('refuses a folder that is not a git repository with a plain message', async () => {
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-wt-plain-'));
    try {
      await assert.rejects(createWorktree(plain, { purpose: 'x' }), /is not a git repository: separate worktrees need one/);
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
    }
  });
});
