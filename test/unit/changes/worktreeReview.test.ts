// A background task's worktree reviewed against the person's files as they are now, on a real git repository: the
// person keeps editing (another file, the same file elsewhere, the same lines), the review shows what still applies and
// marks the rest as conflicts, and applying never overwrites what the person wrote — also when they edit during review.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createWorktree, removeWorktree, type TaskWorktree } from '../../../src/tools/changes/worktrees';
import { applyAccepted, proposedChanges, rebaseOntoWorkspace, taskChanges } from '../../../src/tools/changes/worktreeReview';

const identity = ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false'];
const numbered = (n: number) => Array.from({ length: n }, (_, i) => `const v${i + 1} = ${i + 1};\n`).join('');

describe('worktree review against the person\'s current files', () => {
  let root: string;
  let home: string;
  let worktree: TaskWorktree;
  const previousHome = process.env.PATCHPILOT_WORKTREES_DIR;
  const write = (dir: string, relative: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    fs.writeFileSync(path.join(dir, relative), text);
  };
  const read = (relative: string) => fs.readFileSync(path.join(root, relative), 'utf8');

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-wr-'));
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-wr-home-'));
    process.env.PATCHPILOT_WORKTREES_DIR = home;
    execFileSync('git', [...identity, 'init', '-q', '-b', 'main'], { cwd: root });
    write(root, 'src/calc.js', numbered(30));
    write(root, 'src/other.js', 'module.exports = 1;\n');
    write(root, '.env', 'SECRET=1\n');
    write(root, '.gitignore', '.env\n');
    execFileSync('git', [...identity, 'add', '-A'], { cwd: root });
    execFileSync('git', [...identity, 'commit', '-qm', 'start'], { cwd: root });
    worktree = await createWorktree(root, { purpose: 'background test' });
    // The task edits lines 3 and 25 of calc.js, creates a file, and notes something in memory.
    write(worktree.path, 'src/calc.js', numbered(30).replace('const v3 = 3;', 'const v3 = 300;').replace('const v25 = 25;', 'const v25 = 2500;'));
    write(worktree.path, 'src/new.js', 'module.exports = "new";\n');
    write(worktree.path, '.patchpilot/memory.md', '- calc lives in src/calc.js <!-- task:bg date:2025-01-01 -->\n');
  });

  afterEach(async () => {
    await removeWorktree(worktree);
    if (previousHome === undefined) delete process.env.PATCHPILOT_WORKTREES_DIR;
    else process.env.PATCHPILOT_WORKTREES_DIR = previousHome;
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('shows the task\'s hunks against the person\'s edits: moved where they still apply, a conflict on the lines the person changed', async () => {
    // The person, meanwhile: another file, two lines added at the top of calc.js, and line 25 changed.
    write(root, 'src/other.js', 'module.exports = 2;\n');
    write(root, 'src/calc.js', '// header\n// more\n' + numbered(30).replace('const v25 = 25;', 'const v25 = -25;'));
    const changes = await taskChanges(worktree);
    assert.deepEqual(changes.map((c) => c.path).sort(), ['.patchpilot/memory.md', 'src/calc.js', 'src/new.js']);
    const rebased = rebaseOntoWorkspace(root, changes);
    const calc = rebased.find((f) => f.path === 'src/calc.js')!;
    assert.equal(calc.hunks.length, 2);
    assert.equal(calc.hunks[0].conflict, undefined);
    assert.match(calc.hunks[1].conflict ?? '', /You changed line 25/);
    const proposed = proposedChanges(rebased).find((c) => c.path === 'src/calc.js')!;
    assert.ok(proposed.before?.startsWith('// header\n'), 'the review\'s "before" is the person\'s file now');
    assert.ok(proposed.after?.includes('const v3 = 300;') && proposed.after.includes('const v25 = -25;'));

    const accepted = new Map(rebased.map((f) => [f.path, new Set(f.hunks.map((h) => h.index))]));
    const report = await applyAccepted(root, changes, accepted);
    assert.deepEqual(report.written.sort(), ['.patchpilot/memory.md', 'src/calc.js', 'src/new.js']);
    assert.deepEqual(report.refused.map((r) => `${r.path}#${r.index}`), ['src/calc.js#1']);
    assert.equal(read('src/calc.js'), '// header\n// more\n' + numbered(30).replace('const v3 = 3;', 'const v3 = 300;').replace('const v25 = 25;', 'const v25 = -25;'));
    assert.equal(read('src/other.js'), 'module.exports = 2;\n', 'the person\'s other file is untouched');
    assert.equal(read('src/new.js'), 'module.exports = "new";\n');
    assert.match(read('.patchpilot/memory.md'), /calc lives in src\/calc\.js/);
  });

  it('rebases again when applying: an edit made while the review was open turns that hunk into a refusal, not an overwrite', async () => {
    const changes = await taskChanges(worktree);
    const rebased = rebaseOntoWorkspace(root, changes);
    assert.ok(rebased.every((f) => f.hunks.every((h) => !h.conflict)), 'nothing conflicts when the review opens');
    write(root, 'src/calc.js', numbered(30).replace('const v3 = 3;', 'const v3 = 3; // person, during review'));
    const report = await applyAccepted(root, changes, new Map([['src/calc.js', new Set([0, 1])]]));
    assert.deepEqual(report.refused.map((r) => r.index), [0]);
    assert.match(read('src/calc.js'), /const v3 = 3; \/\/ person, during review/);
    assert.match(read('src/calc.js'), /const v25 = 2500;/);
  });

  it('never applies a protected path, even when a command in the worktree wrote one', async () => {
    const changes = await taskChanges(worktree);
    const isProtected = (p: string) => p === 'src/new.js';
    const rebased = rebaseOntoWorkspace(root, changes, { isProtected });
    assert.match(rebased.find((f) => f.path === 'src/new.js')!.hunks[0].conflict ?? '', /protected path/);
    const report = await applyAccepted(root, changes, new Map([['src/new.js', new Set([0])]]), { isProtected });
    assert.deepEqual(report.written, []);
    assert.equal(fs.existsSync(path.join(root, 'src/new.js')), false);
  });
});
