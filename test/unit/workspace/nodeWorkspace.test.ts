// NodeWorkspace file access: policy delegation, clear errors, atomic writes, .gitignore-aware listing (git and walker).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileEnumerator } from '../../../src/tools/workspace/fileEnumeration';
import { NodeWorkspace } from '../../../src/tools/workspace/nodeWorkspace';
import { WorkspaceError } from '../../../src/tools/workspace/types';
import { allFilesOnDisk, gitInit, makeTree, simpleChecker } from './helpers';

function workspaceOn(files: Record<string, string | Buffer>): NodeWorkspace {
  const root = makeTree(files);
  return new NodeWorkspace(root, simpleChecker(root));
}

async function rejectsWith(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof WorkspaceError, `expected a WorkspaceError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  });
}

describe('NodeWorkspace', () => {
  const roots: string[] = [];
  function track(workspace: NodeWorkspace): NodeWorkspace {
    roots.push(workspace.root);
    return workspace;
  }
  after(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

  describe('resolve', () => {
    it('returns the checker\'s relative path and throws its code and message', () => {
      const ws = track(workspaceOn({ 'a.txt': 'a' }));
      assert.equal(ws.resolve('./src/../a.txt', 'read'), 'a.txt');
      assert.equal(ws.resolve(path.join(ws.root, 'x/y.ts'), 'write'), 'x/y.ts');
      assert.throws(() => ws.resolve('../etc/passwd', 'read'), (e: unknown) => e instanceof WorkspaceError && e.code === 'outside_workspace' && /outside/.test(e.message));
      assert.throws(() => ws.resolve('.git/config', 'write'), (e: unknown) => e instanceof WorkspaceError && e.code === 'protected_path');
    });

    it('refuses relative paths that leave the root even without the checker', async () => {
      const ws = track(workspaceOn({ 'a.txt': 'a' }));
      await rejectsWith(ws.readFile('../outside.txt'), 'outside_workspace', /outside the workspace/);
      await rejectsWith(ws.writeFileAtomic('/tmp/abs.txt', 'x'), 'outside_workspace', /outside the workspace/);
    });
  });

  describe('readFile', () => {
    it('reads bytes as they are on disk', async () => {
      const ws = track(workspaceOn({ 'src/a.ts': '\uFEFFconst a = 1;\r\n' }));
      assert.deepEqual(await ws.readFile('src/a.ts'), Buffer.from('\uFEFFconst a = 1;\r\n'));
    });

    it('says file_not_found and suggests files with the same name elsewhere', async () => {
      const ws = track(workspaceOn({ 'src/utils/format.ts': 'x', 'lib/format.ts': 'y', 'src/other.ts': 'z' }));
      await rejectsWith(ws.readFile('src/format.ts'), 'file_not_found', /File not found: src\/format\.ts\. Did you mean: src\/utils\/format\.ts, lib\/format\.ts\?/);
    });

    it('suggests the same name with another extension, and falls back to a plain hint', async () => {
      const ws = track(workspaceOn({ 'src/index.ts': 'x' }));
      await rejectsWith(ws.readFile('src/index.js'), 'file_not_found', /Did you mean: src\/index\.ts\?/);
      await rejectsWith(ws.readFile('nothing/like/it.md'), 'file_not_found', /Use list_files or search_text/);
    });

    it('says not_a_file for a folder', async () => {
      const ws = track(workspaceOn({ 'src/a.ts': 'x' }));
      await rejectsWith(ws.readFile('src'), 'not_a_file', /src is a folder/);
    });
  });

  describe('writeFileAtomic', () => {
    it('creates parent folders and writes the exact bytes', async () => {
      const ws = track(workspaceOn({}));
      await ws.writeFileAtomic('deep/new/file.txt', 'line\r\nno final newline');
      await ws.writeFileAtomic('bin.dat', Buffer.from([0, 255, 10]));
      assert.equal(fs.readFileSync(path.join(ws.root, 'deep/new/file.txt'), 'utf8'), 'line\r\nno final newline');
      assert.deepEqual(fs.readFileSync(path.join(ws.root, 'bin.dat')), Buffer.from([0, 255, 10]));
      assert.deepEqual(allFilesOnDisk(ws.root), ['bin.dat', 'deep/new/file.txt'], 'no temp files left behind');
    });

    it('keeps the mode of the file it replaces', async () => {
      const ws = track(workspaceOn({ 'run.sh': '#!/bin/sh\n', 'secret.env': 'A=1\n' }));
      fs.chmodSync(path.join(ws.root, 'run.sh'), 0o755);
      fs.chmodSync(path.join(ws.root, 'secret.env'), 0o600);
      await ws.writeFileAtomic('run.sh', '#!/bin/sh\necho hi\n');
      await ws.writeFileAtomic('secret.env', 'A=2\n');
      assert.equal(fs.statSync(path.join(ws.root, 'run.sh')).mode & 0o777, 0o755);
      assert.equal(fs.statSync(path.join(ws.root, 'secret.env')).mode & 0o777, 0o600);
      assert.equal(fs.readFileSync(path.join(ws.root, 'run.sh'), 'utf8'), '#!/bin/sh\necho hi\n');
    });

    it('replaces the file in one step: the inode changes, no temp file stays', async () => {
      const ws = track(workspaceOn({ 'a.txt': 'old' }));
      const inodeBefore = fs.statSync(path.join(ws.root, 'a.txt')).ino;
      for (let i = 0; i < 5; i++) await ws.writeFileAtomic('a.txt', `version ${i}`);
      assert.notEqual(fs.statSync(path.join(ws.root, 'a.txt')).ino, inodeBefore, 'renamed into place, not rewritten in place');
      assert.equal(fs.readFileSync(path.join(ws.root, 'a.txt'), 'utf8'), 'version 4');
      assert.deepEqual(allFilesOnDisk(ws.root), ['a.txt']);
    });

    it('fails cleanly, leaving nothing behind, when the target cannot be a file', async () => {
      const ws = track(workspaceOn({ 'taken/inner.txt': 'x', 'plain.txt': 'keep' }));
      fs.symlinkSync('taken', path.join(ws.root, 'link-to-folder'));
      await rejectsWith(ws.writeFileAtomic('taken', 'y'), 'not_a_file', /folder/);
      await rejectsWith(ws.writeFileAtomic('link-to-folder', 'y'), 'not_a_file', /folder/);
      await rejectsWith(ws.writeFileAtomic('plain.txt/child.txt', 'y'), 'not_a_file', /is a file/);
      assert.deepEqual(allFilesOnDisk(ws.root), ['link-to-folder', 'plain.txt', 'taken/inner.txt']);
      assert.equal(fs.readFileSync(path.join(ws.root, 'plain.txt'), 'utf8'), 'keep');
    });

    it('writes through a symlink inside the workspace and refuses one that leads outside', async () => {
      const ws = track(workspaceOn({ 'real.txt': 'v1' }));
      const outside = makeTree({ 'target.txt': 'outside' });
      roots.push(outside);
      fs.symlinkSync('real.txt', path.join(ws.root, 'alias.txt'));
      fs.symlinkSync(path.join(outside, 'target.txt'), path.join(ws.root, 'escape.txt'));
      await ws.writeFileAtomic('alias.txt', 'v2');
      assert.equal(fs.readFileSync(path.join(ws.root, 'real.txt'), 'utf8'), 'v2');
      assert.ok(fs.lstatSync(path.join(ws.root, 'alias.txt')).isSymbolicLink(), 'the link stays a link');
      await rejectsWith(ws.writeFileAtomic('escape.txt', 'pwned'), 'outside_workspace', /outside/);
      assert.equal(fs.readFileSync(path.join(outside, 'target.txt'), 'utf8'), 'outside');
    });
  });

  it('lists relative to a workspace root that is a folder inside a git repository', async () => {
    const repo = track(workspaceOn({ '.gitignore': '*.gen.ts\n', 'top.txt': 't', 'app/src/main.ts': 'm', 'app/src/x.gen.ts': 'g' }));
    gitInit(repo.root);
    const ws = new NodeWorkspace(path.join(repo.root, 'app'), simpleChecker(path.join(repo.root, 'app')));
    const { entries } = await ws.listFiles('', { recursive: true, limit: 10 });
    assert.deepEqual(entries, [{ path: 'src', kind: 'dir' }, { path: 'src/main.ts', kind: 'file' }]);
    assert.deepEqual((await ws.searchText('m', {})).hits, [{ path: 'src/main.ts', line: 1, text: 'm' }]);
  });

  it('leaves out tracked files deleted from disk, in listing and in search', async () => {
    const ws = track(workspaceOn({ 'kept.ts': 'needle', 'gone.ts': 'needle' }));
    gitInit(ws.root);
    execFileSync('git', ['add', '-A'], { cwd: ws.root });
    fs.rmSync(path.join(ws.root, 'gone.ts'));
    assert.deepEqual((await ws.listFiles('', { recursive: true, limit: 10 })).entries, [{ path: 'kept.ts', kind: 'file' }]);
    assert.deepEqual((await ws.searchText('needle', {})).hits.map((h) => h.path), ['kept.ts']);
  });

  describe('exists and deleteFile', () => {
    it('deletes a file and reports missing files and folders with their codes', async () => {
      const ws = track(workspaceOn({ 'a/b.txt': 'x' }));
      assert.equal(await ws.exists('a/b.txt'), true);
      await ws.deleteFile('a/b.txt');
      assert.equal(await ws.exists('a/b.txt'), false);
      await rejectsWith(ws.deleteFile('a/b.txt'), 'file_not_found', /File not found: a\/b\.txt/);
      await rejectsWith(ws.deleteFile('a'), 'not_a_file', /folder/);
    });
  });

  for (const mode of ['walker (no git)', 'git ls-files'] as const) {
    describe(`listFiles with ${mode}`, () => {
      let ws: NodeWorkspace;
      before(async () => {
        ws = track(workspaceOn({
          '.gitignore': 'dist/\n*.log\n!keep.log\n',
          'README.md': 'r',
          'a-b.txt': 'x',
          'a/z.ts': 'x',
          'a/b/c.ts': 'x',
          'dist/bundle.js': 'ignored',
          'debug.log': 'ignored',
          'keep.log': 'kept by negation',
          'pkg/.gitignore': 'generated/\n*.tmp\n',
          'pkg/index.ts': 'x',
          'pkg/generated/out.ts': 'ignored by nested rule',
          'pkg/scratch.tmp': 'ignored by nested rule',
          'pkg/deeper/.gitignore': '!important.tmp\n',
          'pkg/deeper/important.tmp': 'kept: nested negation',
          'pkg/deeper/other.tmp': 'still ignored',
        }));
        if (mode === 'git ls-files') gitInit(ws.root);
        else fs.mkdirSync(path.join(ws.root, '.git/objects'), { recursive: true }); // a stray .git folder is never listed
        fs.writeFileSync(path.join(ws.root, '.git/HEAD'), 'ref: refs/heads/main\n');
        assert.equal(await new FileEnumerator(ws.root).isGitWorkTree(), mode === 'git ls-files', 'the intended code path runs');
      });

      it('lists the whole tree in tree order, without ignored files or .git', async () => {
        const { entries, truncated } = await ws.listFiles('', { recursive: true, limit: 100 });
        assert.equal(truncated, false);
        assert.deepEqual(entries.map((e) => (e.kind === 'dir' ? `${e.path}/` : e.path)), [
          '.gitignore', 'README.md', 'a/', 'a/b/', 'a/b/c.ts', 'a/z.ts', 'a-b.txt', 'keep.log',
          'pkg/', 'pkg/.gitignore', 'pkg/deeper/', 'pkg/deeper/.gitignore', 'pkg/deeper/important.tmp', 'pkg/index.ts',
        ]);
      });

      it('lists one level with folders marked', async () => {
        const { entries } = await ws.listFiles('pkg', { recursive: false, limit: 100 });
        assert.deepEqual(entries, [
          { path: 'pkg/.gitignore', kind: 'file' },
          { path: 'pkg/deeper', kind: 'dir' },
          { path: 'pkg/index.ts', kind: 'file' },
        ]);
      });

      it('stops at the limit and says so', async () => {
        const { entries, truncated } = await ws.listFiles('', { recursive: true, limit: 3 });
        assert.equal(truncated, true);
        assert.deepEqual(entries.map((e) => e.path), ['.gitignore', 'README.md', 'a']);
      });

      it('reports a missing folder and a file given as folder', async () => {
        await rejectsWith(ws.listFiles('nope', { recursive: false, limit: 10 }), 'file_not_found', /Folder not found: nope/);
        await rejectsWith(ws.listFiles('README.md', { recursive: false, limit: 10 }), 'not_a_file', /is a file/);
      });
    });
  }
});
