// Path policy: escapes from the workspace (.., absolute, ~, symlinks) and protected paths are refused.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_PROTECTED_PATTERNS, PathPolicy, unprotectProblems, type PathCheck } from '../../../src/agent/policy/pathPolicy';

function codeOf(check: PathCheck): string {
  return check.ok ? 'ok' : check.code;
}

describe('PathPolicy', () => {
  let sandbox: string;
  let root: string;
  let outside: string;

  beforeEach(() => {
    sandbox = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-path-')));
    root = path.join(sandbox, 'workspace');
    outside = path.join(sandbox, 'elsewhere');
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(root, 'src', 'a.ts'), 'export {};\n');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'outside\n');
  });

  afterEach(() => fs.rmSync(sandbox, { recursive: true, force: true }));

  describe('normalising paths inside the workspace', () => {
    it('accepts relative paths and returns a POSIX relative and an absolute path', () => {
      const check = new PathPolicy(root).check('src/../src/./a.ts', 'read');
      assert.deepEqual(check, { ok: true, relative: 'src/a.ts', absolute: path.join(root, 'src', 'a.ts') });
    });

    it('accepts absolute paths under the root', () => {
      const check = new PathPolicy(root).check(path.join(root, 'src', 'a.ts'), 'write');
      assert.equal(check.ok && check.relative, 'src/a.ts');
    });

    it('accepts files that do not exist yet', () => {
      const check = new PathPolicy(root).check('new/dir/file.ts', 'write');
      assert.equal(check.ok && check.relative, 'new/dir/file.ts');
    });

    it('treats the root itself as "."', () => {
      const check = new PathPolicy(root).check('.', 'read');
      assert.equal(check.ok && check.relative, '.');
    });

    it('accepts a symlink that stays inside the workspace', () => {
      fs.symlinkSync(path.join(root, 'src'), path.join(root, 'alias'));
      const check = new PathPolicy(root).check('alias/a.ts', 'read');
      assert.equal(check.ok && check.relative, 'alias/a.ts');
    });
  });

  describe('escapes', () => {
    const escapes: [string, (outsideDir: string) => string][] = [
      ['parent traversal', () => '../elsewhere/secret.txt'],
      ['traversal hidden in the middle', () => 'src/../../elsewhere/secret.txt'],
      ['an absolute path elsewhere', (dir) => path.join(dir, 'secret.txt')],
      ['a system path', () => '/etc/passwd'],
      ['the home shorthand', () => '~/.bashrc'],
      ['bare home', () => '~'],
    ];
    for (const [name, input] of escapes) {
      it(`refuses ${name}`, () => {
        const check = new PathPolicy(root).check(input(outside), 'read');
        assert.equal(codeOf(check), 'outside_workspace');
        assert.match(!check.ok ? check.message : '', /outside the workspace/);
      });
    }

    it('refuses a symlinked folder that points outside, for existing and new files', () => {
      fs.symlinkSync(outside, path.join(root, 'linkdir'));
      const policy = new PathPolicy(root);
      assert.equal(codeOf(policy.check('linkdir/secret.txt', 'read')), 'outside_workspace');
      assert.equal(codeOf(policy.check('linkdir/not-yet/new.txt', 'write')), 'outside_workspace');
      assert.equal(codeOf(policy.check('linkdir', 'read')), 'outside_workspace');
    });

    it('refuses a symlinked file that points outside', () => {
      fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'innocent.txt'));
      const check = new PathPolicy(root).check('innocent.txt', 'read');
      assert.equal(codeOf(check), 'outside_workspace');
      assert.match(!check.ok ? check.message : '', /symbolic link/);
    });

    it('refuses a dangling symlink whose target would be created outside', () => {
      fs.symlinkSync(path.join(outside, 'created-by-write.txt'), path.join(root, 'dangling.txt'));
      assert.equal(codeOf(new PathPolicy(root).check('dangling.txt', 'write')), 'outside_workspace');
    });

    it('works when the root itself is reached through a symlink', () => {
      const linkedRoot = path.join(sandbox, 'root-link');
      fs.symlinkSync(root, linkedRoot);
      const policy = new PathPolicy(linkedRoot);
      assert.equal(codeOf(policy.check('src/a.ts', 'read')), 'ok');
      assert.equal(codeOf(policy.check('../elsewhere/secret.txt', 'read')), 'outside_workspace');
    });
  });

  describe('protected paths', () => {
    const protectedPaths = [
      '.git/config', '.git', 'packages/lib/.git/HEAD', '.env', '.env.local', '.env.production', 'config/.env',
      'certs/server.pem', 'server.key', 'id_rsa', 'id_rsa.pub', 'keys/id_ed25519', 'id_ecdsa', 'store.p12',
      'cert.pfx', '.npmrc', '.netrc', '.ssh/config', '.aws/credentials', 'nested/.aws/config',
    ];
    for (const protectedPath of protectedPaths) {
      it(`refuses reading and writing ${protectedPath}`, () => {
        const policy = new PathPolicy(root);
        for (const access of ['read', 'write'] as const) {
          const check = policy.check(protectedPath, access);
          assert.equal(codeOf(check), 'protected_path', `${access} ${protectedPath}`);
          assert.match(!check.ok ? check.message : '', /patchpilot\.protectedPaths/);
          assert.match(!check.ok ? check.message : '', /--unprotect/);
        }
      });
    }

    it('keeps .env.example and .env.sample readable and writable (they document variables, hold no secrets)', () => {
      const policy = new PathPolicy(root);
      for (const name of ['.env.example', '.env.sample', 'app/.env.example']) {
        assert.equal(codeOf(policy.check(name, 'read')), 'ok', name);
        assert.equal(codeOf(policy.check(name, 'write')), 'ok', name);
      }
    });

    it('does not over-match similar names', () => {
      const policy = new PathPolicy(root);
      for (const name of ['.github/workflows/ci.yml', '.gitignore', 'src/environment.ts', 'docs/keys.md', 'monkey.ts']) {
        assert.equal(codeOf(policy.check(name, 'read')), 'ok', name);
      }
    });

    it('refuses a symlink inside the workspace that points at a protected file', () => {
      fs.writeFileSync(path.join(root, '.env'), 'TOKEN=1\n');
      fs.symlinkSync(path.join(root, '.env'), path.join(root, 'notes.txt'));
      const check = new PathPolicy(root).check('notes.txt', 'read');
      assert.equal(codeOf(check), 'protected_path');
      assert.match(!check.ok ? check.message : '', /resolves to '\.env'/);
    });

    it('keeps the built-in patterns when more are added (settings and flags only add)', () => {
      const extended = new PathPolicy(root, { extraProtected: ['*.sqlite', 'secrets/'] });
      assert.equal(codeOf(extended.check('data/app.sqlite', 'write')), 'protected_path');
      assert.equal(codeOf(extended.check('secrets/db.txt', 'read')), 'protected_path');
      assert.equal(codeOf(extended.check('.env', 'read')), 'protected_path');
      assert.equal(codeOf(extended.check('.git/config', 'write')), 'protected_path');
    });

    it('removes a built-in pattern only when it is named in the explicit unprotected list, never .git', () => {
      const loosened = new PathPolicy(root, { unprotected: ['.npmrc', '.git'] });
      assert.equal(codeOf(loosened.check('.npmrc', 'write')), 'ok');
      assert.equal(codeOf(loosened.check('.git/config', 'write')), 'protected_path');
      assert.equal(codeOf(loosened.check('.env', 'read')), 'protected_path');
      assert.deepEqual(unprotectProblems(['.npmrc', '.git', 'src/']).map((problem) => problem.split(' ')[0]), ["'.git'", "'src/'"]);
      assert.match(unprotectProblems(['.git'])[0], /stays protected/);
      assert.match(unprotectProblems(['src/'])[0], /not a built-in protected pattern/);
    });

    it('protects the task journals (the record of what the agent did) from the agent', () => {
      assert.equal(codeOf(new PathPolicy(root).check('.patchpilot/tasks/x.jsonl', 'write')), 'protected_path');
      assert.equal(codeOf(new PathPolicy(root).check('.patchpilot/memory.md', 'read')), 'ok');
    });

    it('has a boundary-only variant for Patchpilot\'s own restore code', () => {
      const boundary = PathPolicy.boundaryOnly(root);
      assert.equal(codeOf(boundary.check('.npmrc', 'write')), 'ok');
      assert.equal(codeOf(boundary.check('../x', 'write')), 'outside_workspace');
    });

    it('exports the default patterns', () => {
      assert.ok(DEFAULT_PROTECTED_PATTERNS.includes('.env'));
      assert.ok(DEFAULT_PROTECTED_PATTERNS.includes('!.env.example'));
    });
  });
});
