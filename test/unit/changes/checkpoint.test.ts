// Checkpoints on real temporary git repositories: the person's git state must come out byte-identical.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  createCheckpoint,
  listCheckpointChanges,
  readFileAtCheckpoint,
  restoreFromCheckpoint,
} from '../../../src/tools/changes/checkpoint';

const identity = ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false'];

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', [...identity, ...args], { cwd, encoding: 'utf8' });
}

function write(root: string, relative: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  fs.writeFileSync(path.join(root, relative), content);
}

function read(root: string, relative: string): Buffer {
  return fs.readFileSync(path.join(root, relative));
}

/** Everything about the person's git state a checkpoint must leave alone. */
function gitState(root: string): Record<string, string> {
  return {
    status: git(root, 'status', '--porcelain=v1', '--untracked-files=all'),
    stash: git(root, 'stash', 'list'),
    head: git(root, 'rev-parse', 'HEAD'),
    branch: git(root, 'symbolic-ref', 'HEAD'),
    staged: git(root, 'diff', '--cached'),
    unstaged: git(root, 'diff'),
    index: git(root, 'ls-files', '--stage'),
    refs: git(root, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads', 'refs/stash', 'refs/tags'),
  };
}

/** A repository in the middle of work: a stash entry, a staged change, an unstaged change, an untracked file. */
function busyRepository(root: string): void {
  git(root, 'init', '-q', '-b', 'main');
  write(root, '.gitignore', 'ignored.log\n');
  write(root, 'staged.txt', 'staged v1\n');
  write(root, 'unstaged.txt', 'unstaged v1\r\n');
  write(root, 'deleted-later.txt', 'will be deleted\n');
  write(root, 'bin/tool.sh', '#!/bin/sh\necho hi\n');
  fs.chmodSync(path.join(root, 'bin/tool.sh'), 0o755);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'initial');
  write(root, 'unstaged.txt', 'stashed change\n');
  git(root, 'stash', 'push', '-q', '-m', 'work in progress');
  write(root, 'staged.txt', 'staged v2\n');
  git(root, 'add', 'staged.txt');
  write(root, 'unstaged.txt', 'unstaged v2\r\nno final newline');
  write(root, 'untracked.txt', 'untracked\n');
  write(root, 'ignored.log', 'noise\n');
}

describe('checkpoints', () => {
  let root: string;

  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-checkpoint-')));
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('snapshots the working tree without touching status, stash, HEAD, branch or index', async () => {
    busyRepository(root);
    const before = gitState(root);
    const indexBytes = read(root, '.git/index');

    const checkpoint = await createCheckpoint(root, 'task 42/first write');

    assert.ok(checkpoint, 'a checkpoint inside a git work tree');
    assert.deepEqual(read(root, '.git/index'), indexBytes, 'the index file is not rewritten');
    assert.deepEqual(gitState(root), before);
    assert.equal(checkpoint.ref, 'refs/patchpilot/checkpoints/task-42-first-write');
    assert.equal(git(root, 'rev-parse', checkpoint.ref).trim(), checkpoint.commit);
    assert.equal(git(root, 'rev-parse', `${checkpoint.commit}^`).trim(), before.head.trim(), 'parented on HEAD');
  });

  it('holds the working-tree content: staged, unstaged, untracked; not ignored files', async () => {
    busyRepository(root);
    const checkpoint = await createCheckpoint(root, 't1');
    assert.ok(checkpoint);
    assert.equal((await readFileAtCheckpoint(root, checkpoint, 'staged.txt'))?.toString(), 'staged v2\n');
    assert.equal((await readFileAtCheckpoint(root, checkpoint, 'unstaged.txt'))?.toString(), 'unstaged v2\r\nno final newline');
    assert.equal((await readFileAtCheckpoint(root, checkpoint, 'untracked.txt'))?.toString(), 'untracked\n');
    assert.equal(await readFileAtCheckpoint(root, checkpoint, 'ignored.log'), null);
    assert.equal(await readFileAtCheckpoint(root, checkpoint, 'never-existed.txt'), null);
  });

  it('lists the paths changed since the checkpoint and restores modified, created and deleted files exactly', async () => {
    busyRepository(root);
    const binary = Buffer.from([0, 1, 2, 255, 13, 10, 0]);
    write(root, 'data.bin', binary);
    const checkpoint = await createCheckpoint(root, 't2');
    assert.ok(checkpoint);
    const stateAfterCheckpoint = gitState(root);

    write(root, 'unstaged.txt', 'the agent rewrote this\n');
    write(root, 'data.bin', 'text now');
    write(root, 'src/created.ts', 'export {};\n');
    fs.rmSync(path.join(root, 'deleted-later.txt'));
    fs.writeFileSync(path.join(root, 'bin/tool.sh'), 'echo changed\n');
    write(root, 'ignored.log', 'more noise\n');

    const changed = await listCheckpointChanges(root, checkpoint);
    assert.deepEqual(changed, ['bin/tool.sh', 'data.bin', 'deleted-later.txt', 'src/created.ts', 'unstaged.txt']);

    await restoreFromCheckpoint(root, checkpoint, changed);

    assert.equal(read(root, 'unstaged.txt').toString(), 'unstaged v2\r\nno final newline');
    assert.deepEqual(read(root, 'data.bin'), binary);
    assert.equal(read(root, 'deleted-later.txt').toString(), 'will be deleted\n');
    assert.equal(read(root, 'bin/tool.sh').toString(), '#!/bin/sh\necho hi\n');
    assert.ok(fs.statSync(path.join(root, 'bin/tool.sh')).mode & 0o100, 'the executable bit is back');
    assert.equal(fs.existsSync(path.join(root, 'src/created.ts')), false);
    assert.deepEqual(await listCheckpointChanges(root, checkpoint), []);
    assert.deepEqual(gitState(root), stateAfterCheckpoint, 'restoring touches neither index nor HEAD');
  });

  it('works without commits, without a configured identity, with askpass/editor variables set (as in VS Code)', async () => {
    execFileSync('git', ['init', '-q'], { cwd: root });
    write(root, 'a.txt', 'first\n');
    const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: root, XDG_CONFIG_HOME: root, GIT_ASKPASS: '/bin/false', EDITOR: 'vi' };
    const savedEnv = process.env;
    process.env = env;
    try {
      const checkpoint = await createCheckpoint(root, 'empty-repo');
      assert.ok(checkpoint);
      assert.throws(() => execFileSync('git', ['config', 'user.name'], { cwd: root, stdio: 'pipe' }), 'no identity configured');
      assert.equal((await readFileAtCheckpoint(root, checkpoint, 'a.txt'))?.toString(), 'first\n');
      assert.equal(execFileSync('git', ['log', '-1', '--format=%an', checkpoint.commit], { cwd: root, encoding: 'utf8' }), 'Patchpilot\n');
      assert.equal(git(root, 'status', '--porcelain'), '?? a.txt\n');
      assert.throws(() => execFileSync('git', ['rev-parse', '--verify', '-q', 'HEAD'], { cwd: root, stdio: 'pipe' }), 'still no HEAD commit');
    } finally {
      process.env = savedEnv;
    }
  });

  it('uses paths relative to a workspace root inside the repository', async () => {
    busyRepository(root);
    write(root, 'pkg/lib/x.ts', 'x1\n');
    const workspace = path.join(root, 'pkg');
    const checkpoint = await createCheckpoint(workspace, 'sub');
    assert.ok(checkpoint);
    write(workspace, 'lib/x.ts', 'x2\n');
    write(root, 'untracked.txt', 'outside the workspace, changed\n');
    assert.deepEqual(await listCheckpointChanges(workspace, checkpoint), ['lib/x.ts']);
    assert.equal((await readFileAtCheckpoint(workspace, checkpoint, 'lib/x.ts'))?.toString(), 'x1\n');
    await restoreFromCheckpoint(workspace, checkpoint, ['lib/x.ts']);
    assert.equal(read(workspace, 'lib/x.ts').toString(), 'x1\n');
  });

  it('returns null for a folder that is not in a git work tree', async () => {
    write(root, 'a.txt', 'plain folder\n');
    assert.equal(await createCheckpoint(root, 'none'), null);
    assert.equal(await createCheckpoint(path.join(root, 'missing'), 'none'), null);
  });

  it('refuses paths that leave the root', async () => {
    busyRepository(root);
    const checkpoint = await createCheckpoint(root, 't3');
    assert.ok(checkpoint);
    await assert.rejects(restoreFromCheckpoint(root, checkpoint, ['../escape.txt']), /outside the workspace/);
  });
});
