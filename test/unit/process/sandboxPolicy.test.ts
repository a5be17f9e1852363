// The sandbox policy as data: the bwrap command line and the macOS profile it turns into, host matching, and the
// explanations a blocked command gets. (The real enforcement is tested in sandbox.test.ts.)
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bubblewrapCommand } from '../../../src/tools/process/sandbox/bubblewrap';
import { explainSandboxBlock } from '../../../src/tools/process/sandbox/blocked';
import { describeSandboxPolicy, hostAllowed, type SandboxPolicy } from '../../../src/tools/process/sandbox/policy';
import { seatbeltProfile } from '../../../src/tools/process/sandbox/seatbelt';

describe('sandbox policy', () => {
  let dir: string;
  let policy: SandboxPolicy;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-policy-')));
    fs.mkdirSync(path.join(dir, 'ws', '.git'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'tmp'));
    fs.writeFileSync(path.join(dir, 'ws', '.env'), 'X=1\n');
    policy = { mode: 'workspace-write', workspace: path.join(dir, 'ws'), tempDir: path.join(dir, 'tmp'), readOnly: [path.join(dir, 'ws', '.git')],
      hidden: [path.join(dir, 'ws', '.env'), path.join(dir, 'missing')], allowHosts: [] };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('builds a bwrap command line: read-only root, writable workspace after /tmp, read-only and hidden paths last', () => {
    const { args } = bubblewrapCommand('/usr/bin/bwrap', policy, policy.workspace, ['bash', '-c', 'true']);
    const text = args.join(' ');
    assert.ok(text.includes('--unshare-pid') && text.includes('--unshare-net') && text.includes('--die-with-parent'));
    assert.ok(text.indexOf(`--bind ${policy.tempDir} /tmp`) < text.indexOf(`--bind ${policy.workspace} ${policy.workspace}`));
    assert.ok(text.indexOf(`--bind ${policy.workspace}`) < text.indexOf(`--ro-bind ${policy.workspace}/.git`));
    assert.ok(text.includes(`--ro-bind /dev/null ${policy.workspace}/.env`));
    assert.ok(!text.includes('missing'), 'paths that do not exist are not bound');
    assert.deepEqual(args.slice(-3), ['bash', '-c', 'true']);
    const readOnly = bubblewrapCommand('/usr/bin/bwrap', { ...policy, mode: 'read-only' }, policy.workspace, ['true']).args.join(' ');
    assert.ok(readOnly.includes(`--ro-bind ${policy.workspace} ${policy.workspace}`));
    const open = bubblewrapCommand('/usr/bin/bwrap', { ...policy, allowHosts: ['*'] }, policy.workspace, ['true']).args;
    assert.ok(!open.includes('--unshare-net'));
  });

  it('writes an equivalent macOS profile, one deny per rule with its exceptions inside', () => {
    const profile = seatbeltProfile(policy);
    assert.match(profile, /^\(version 1\)\n\(allow default\)\n/);
    assert.match(profile, /\(deny file-write\* \(require-not \(require-any .*\(require-all \(subpath ".*\/ws"\) \(require-not \(require-any \(subpath ".*\/ws\/\.git"\)\)\)\)\)\)\)/);
    assert.match(profile, /\(deny file-read\* file-write\* \(require-any \(literal ".*\/ws\/\.env"\)/);
    assert.match(profile, /\(deny network-outbound \(require-not \(require-any \(remote ip "localhost:\*"\)/);
    assert.doesNotMatch(seatbeltProfile({ ...policy, allowHosts: ['*'] }), /network-outbound/);
    assert.match(seatbeltProfile({ ...policy, workspace: '/a "quoted" path' }), /"\/a \\"quoted\\" path"/);
  });

  it('matches allowed hosts exactly or by *.domain, never by suffix alone', () => {
    assert.ok(hostAllowed('registry.npmjs.org', ['registry.npmjs.org']));
    assert.ok(hostAllowed('files.pythonhosted.org', ['*.pythonhosted.org']));
    assert.ok(!hostAllowed('pythonhosted.org.evil.com', ['*.pythonhosted.org']));
    assert.ok(!hostAllowed('evilnpmjs.org', ['npmjs.org']));
    assert.ok(hostAllowed('anything', ['*']));
  });

  it('explains a blocked write, a hidden file and a blocked connection, and says nothing about an ordinary failure', () => {
    assert.match(explainSandboxBlock("touch: cannot touch '/etc/x': Read-only file system", policy) ?? '', /write was blocked.*--sandbox off/);
    assert.match(explainSandboxBlock('cat: .env: Permission denied', policy) ?? '', /\.env cannot be read/);
    assert.match(explainSandboxBlock('Error: getaddrinfo EAI_AGAIN registry.npmjs.org', policy) ?? '', /only loopback.*--allow-host HOST/);
    assert.equal(explainSandboxBlock('AssertionError: 2 !== 3', policy), null);
    assert.match(describeSandboxPolicy(policy, 'bubblewrap'), /bubblewrap, workspace-write: .*no network except loopback/);
  });
});
