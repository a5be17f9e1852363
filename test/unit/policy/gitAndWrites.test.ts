// The path- and git-aware command policy: writes outside the workspace are denied in every mode, git commands that
// lose work or plant hooks are refused unattended, protected test files cannot be deleted unattended.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { evaluateCommand, type WriteScope } from '../../../src/agent/policy/commandPolicy';
import { gitRisk } from '../../../src/agent/policy/gitPolicy';

describe('command policy: where commands write', () => {
  let root: string;
  let scope: WriteScope;
  const judge = (command: string, extra: Partial<WriteScope> = {}) => evaluateCommand(command, {}, { writeScope: { ...scope, ...extra } });

  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-scope-')));
    fs.mkdirSync(path.join(root, 'src'));
    fs.mkdirSync(path.join(root, 'test'));
    fs.writeFileSync(path.join(root, 'test', 'a.test.js'), '');
    scope = { cwd: root, roots: [root, path.join(root, '..', 'task-tmp')] };
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const outside = [
    'rm -rf /srv/data', 'rm -rf ~/projects/other', 'rm -r $HOME/notes', 'mv src /opt/stolen', 'cp -r src ~/backup',
    'cp -t /etc src/a.js', 'echo x > /etc/motd', 'echo x >> ../sibling.txt', 'tee /var/log/x < src/a', 'touch ../escape',
    'sed -i s/a/b/ /etc/hosts', 'dd if=/dev/zero of=/home/someone/disk.img', 'find /srv -name "*.log" -delete',
    'cd .. && rm -rf sibling', 'cd /opt; rm -rf app', 'tar -xf x.tar -C /usr/local', 'npm install -g left-pad', 'chmod 777 /srv/app/run.sh',
    'git clone https://example.invalid/x.git /opt/x', 'ln -s src/a.js /usr/bin/a', 'mkdir -p /srv/new', 'bash -c "rm -rf /srv/data"',
  ];
  for (const command of outside) {
    it(`denies \`${command}\` in every mode`, () => {
      const verdict = judge(command);
      assert.equal(verdict.verdict, 'deny', verdict.reason);
      assert.match(verdict.reason, /outside the workspace/);
    });
  }

  const inside = ['rm -rf build', 'echo hi > out.txt', 'cp src/a.js src/b.js', 'mkdir -p dist/x', 'cd src && touch y', 'echo x > /dev/null 2>&1',
    'sed -i s/a/b/ src/a.js', 'find . -name "*.tmp" -delete', 'tar -xf x.tar', 'npm install left-pad'];
  for (const command of inside) {
    it(`does not deny \`${command}\` (inside the workspace)`, () => {
      assert.notEqual(judge(command).verdict, 'deny');
    });
  }

  it('counts the task temp folder as writable, and /tmp only when the roots say so (the sandbox remaps it)', () => {
    assert.notEqual(judge(`echo x > ${path.join(root, '..', 'task-tmp', 'f')}`).verdict, 'deny');
    assert.equal(judge('rm -rf /tmp/someone-else').verdict, 'deny');
    assert.notEqual(judge('rm -rf /tmp/someone-else', { roots: [...scope.roots, '/tmp'] }).verdict, 'deny');
  });

  it('judges a symlink inside the workspace by where it leads', () => {
    fs.symlinkSync('/etc', path.join(root, 'etc-link'));
    assert.equal(judge('echo x > etc-link/motd').verdict, 'deny');
  });

  it('marks a target known only at run time, and relative targets after a cd it cannot follow', () => {
    assert.match(judge('rm -rf $BUILD_DIR').unknownWriteTarget ?? '', /only known when it runs/);
    assert.match(judge('cd "$(mktemp -d)" && rm -rf x').unknownWriteTarget ?? '', /only known/);
  });

  it('refuses deleting or moving protected test files unattended, but not adding new ones', () => {
    const protectsTest = (absolute: string) => absolute === path.join(root, 'test', 'a.test.js') || absolute === path.join(root, 'test') || absolute === root;
    for (const command of ['rm -rf test', 'rm test/a.test.js', 'mv test/a.test.js old.js', 'find test -delete', 'truncate -s 0 test/a.test.js']) {
      const verdict = judge(command, { protectsTest });
      assert.match(verdict.autoRefusal ?? '', /test files that existed when the task started/, command);
      assert.equal(verdict.verdict, 'ask', command);
    }
    assert.equal(judge('touch test/new.test.js', { protectsTest }).autoRefusal, undefined);
  });
});

describe('command policy: git', () => {
  const refusedUnattended = [
    'git checkout -- .', 'git checkout src/a.js', 'git checkout main', 'git checkout -f', 'git restore .', 'git restore --staged a.js',
    'git switch --discard-changes main', 'git switch other', 'git stash', 'git stash -u', 'git stash pop', 'git stash drop',
    'git clean -d -x', 'git reset HEAD~1', 'git reset --soft HEAD~1', 'git commit --amend -m x', 'git rebase -i HEAD~3',
    'git branch -D feature', 'git branch -d --force feature', 'git push', 'git push origin main', 'git push --force',
    'git config core.hooksPath .githooks', 'git config --global alias.co checkout', 'git config credential.helper store',
    'git config --unset core.hooksPath', 'git -c core.hooksPath=/tmp/h commit -m x', 'git update-ref -d refs/heads/main',
    'git reflog expire --expire=now --all', 'git filter-branch --tree-filter x', 'git merge other', 'git cherry-pick abc',
    'git -C sub reset --hard', 'sh -c "git stash"', 'git config --edit',
  ];
  for (const command of refusedUnattended) {
    it(`\`${command}\` never runs unattended`, () => {
      const verdict = evaluateCommand(command);
      if (verdict.verdict === 'deny') return; // the deny rules (reset --hard, force push, clean -f) already refuse it everywhere
      assert.equal(verdict.verdict, 'ask');
      assert.ok(verdict.autoRefusal, `${command}: ${JSON.stringify(verdict)}`);
    });
  }

  const harmless = ['git status', 'git diff HEAD', 'git log --oneline -5', 'git show HEAD:src/a.js', 'git checkout -b feature',
    'git switch -c feature', 'git stash list', 'git branch', 'git branch -d merged', 'git config --get user.name', 'git config user.email',
    'git commit -m "wip"', 'git add -A', 'git blame src/a.js', 'git clean -n'];
  for (const command of harmless) {
    it(`\`${command}\` is not refused unattended`, () => {
      assert.equal(evaluateCommand(command).autoRefusal, undefined);
    });
  }

  it('says why, in words', () => {
    assert.match(gitRisk(['git', 'stash'])?.why ?? '', /uncommitted work/);
    assert.match(gitRisk(['git', 'config', 'core.hooksPath', 'x'])?.why ?? '', /hook/);
    assert.equal(gitRisk(['npm', 'test']), null);
  });
});
