// A worktree's proposal read back file by file (before and after), after its worktree is gone: what the sidebar's
// review of a finished worktree entry is built on — a changed, a new, a deleted and a binary file, exactly.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProposalApplyError, proposalChanges, writeWorktreeProposal } from '../../../src/agent/queue/proposals';
import { createWorktree, removeWorktree } from '../../../src/tools/changes/worktrees';

describe('queue: proposal changes', function () {
  this.timeout(20_000);
  let root: string;
  let home: string;
  const previousHome = process.env.PATCHPILOT_WORKTREES_DIR;
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], { cwd: root, stdio: 'pipe' });

  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-proposal-')));
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-proposal-wt-'));
    process.env.PATCHPILOT_WORKTREES_DIR = home;
    fs.writeFileSync(path.join(root, 'a.js'), 'one\ntwo\nthree\n');
    fs.writeFileSync(path.join(root, 'gone.js'), 'delete me\n');
    fs.writeFileSync(path.join(root, 'logo.bin'), Buffer.from([0, 1, 2, 3, 255]));
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'base');
  });
  afterEach(() => {
    if (previousHome === undefined) delete process.env.PATCHPILOT_WORKTREES_DIR;
    else process.env.PATCHPILOT_WORKTREES_DIR = previousHome;
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('reads each file\'s before and after from the patch after its worktree was removed', async () => {
    // Uncommitted work of the person's is part of the worktree's base, not of the proposal.
    fs.writeFileSync(path.join(root, 'a.js'), 'one\ntwo\nthree\nfour (uncommitted)\n');
    const worktree = await createWorktree(root, { purpose: 'test', label: 'queue' });
    fs.writeFileSync(path.join(worktree.path, 'a.js'), 'one\nTWO\nthree\nfour (uncommitted)\n');
    fs.writeFileSync(path.join(worktree.path, 'new.js'), 'brand new\n');
    fs.rmSync(path.join(worktree.path, 'gone.js'));
    fs.writeFileSync(path.join(worktree.path, 'logo.bin'), Buffer.from([0, 9, 9, 255]));
    const proposal = await writeWorktreeProposal(worktree, 'q-test');
    assert.ok(proposal);
    await removeWorktree(worktree);

    const changes = await proposalChanges(root, proposal.patchPath);
    const byPath = new Map(changes.map((change) => [change.path, change]));
    assert.deepEqual([...byPath.keys()].sort(), ['a.js', 'gone.js', 'logo.bin', 'new.js']);
    assert.equal(byPath.get('a.js')?.before?.toString(), 'one\ntwo\nthree\nfour (uncommitted)\n');
    assert.equal(byPath.get('a.js')?.after?.toString(), 'one\nTWO\nthree\nfour (uncommitted)\n');
    assert.equal(byPath.get('new.js')?.before, null);
    assert.equal(byPath.get('new.js')?.after?.toString(), 'brand new\n');
    assert.equal(byPath.get('gone.js')?.before?.toString(), 'delete me\n');
    assert.equal(byPath.get('gone.js')?.after, null);
    assert.deepEqual([...(byPath.get('logo.bin')?.after ?? [])], [0, 9, 9, 255]);
  });

  it('says what to do when the patch is gone', async () => {
    await assert.rejects(proposalChanges(root, path.join(root, 'nope.patch')), (error: unknown) => error instanceof ProposalApplyError && /is gone/.test(error.message));
  });
});
