// The OS sandbox for real: bubblewrap around real child processes. Each test is a command that tries to do what the
// sandbox forbids — write outside the workspace, read a secret, reach the network, leave a daemon behind — and
// checks on the real filesystem, network and process table that it could not.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { CommandRequest } from '../../../src/agent/ports';
import { runProcess } from '../../../src/tools/process/runProcess';
import { explainSandboxBlock } from '../../../src/tools/process/sandbox/blocked';
import { HostProxy } from '../../../src/tools/process/sandbox/hostProxy';
import type { SandboxPolicy } from '../../../src/tools/process/sandbox/policy';
import { externalAddress, requireSandbox, sandboxFixture, type SandboxFixture } from './sandboxSupport';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function listen(host: string): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((_request, response) => response.end('reached the host server\n'));
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

describe('sandbox (bubblewrap, real processes)', function () {
  this.timeout(30_000);
  let fx: SandboxFixture;
  const run = (command: string, policy: SandboxPolicy | undefined, extra: Partial<CommandRequest> = {}) =>
    runProcess({ command, cwd: fx.workspace, timeoutMs: 15_000, purpose: 'command', sandbox: policy, ...extra });

  before(function () {
    requireSandbox(this);
  });
  beforeEach(() => {
    fx = sandboxFixture();
  });
  afterEach(() => fx.cleanup());

  it('lets a command write in the workspace and its temp folder, and nowhere else', async () => {
    const outsideFile = path.join(fx.outside, 'planted.txt');
    const result = await run(`echo ok > made.txt && echo tmp > /tmp/scratch && echo bad > ${outsideFile}; rm -f ${path.join(fx.outside, 'keep.txt')}; echo done`, fx.policy());
    assert.equal(fs.readFileSync(path.join(fx.workspace, 'made.txt'), 'utf8'), 'ok\n');
    assert.equal(fs.readFileSync(path.join(fx.tempDir, 'scratch'), 'utf8'), 'tmp\n', '/tmp inside is the task\'s temp folder');
    assert.ok(!fs.existsSync(outsideFile), 'nothing was written outside');
    assert.ok(fs.existsSync(path.join(fx.outside, 'keep.txt')), 'nothing was deleted outside');
    assert.match(result.output, /Read-only file system/);
    assert.match(explainSandboxBlock(result.output, fx.policy()) ?? '', /a write was blocked/);
  });

  it('the same command without the sandbox does write outside: the control case', async () => {
    const outsideFile = path.join(fx.outside, 'planted.txt');
    await run(`echo bad > ${outsideFile}`, undefined);
    assert.ok(fs.existsSync(outsideFile));
  });

  it('keeps .git and the protected test files read-only, while new test files can be added', async () => {
    const result = await run('touch .git/hooks-planted; echo changed > test/a.test.js; rm -f test/a.test.js; echo new > test/b.test.js; echo done', fx.policy());
    assert.match(result.output, /done/);
    assert.ok(!fs.existsSync(path.join(fx.workspace, '.git', 'hooks-planted')));
    assert.equal(fs.readFileSync(path.join(fx.workspace, 'test', 'a.test.js'), 'utf8'), 'original test\n');
    assert.equal(fs.readFileSync(path.join(fx.workspace, 'test', 'b.test.js'), 'utf8'), 'new\n');
  });

  it('hides protected files and credential stores: the secret cannot be read', async () => {
    const stores = path.join(fx.outside, '.ssh');
    fs.mkdirSync(stores);
    fs.writeFileSync(path.join(stores, 'id_ed25519'), 'PRIVATE KEY MATERIAL\n');
    const policy = fx.policy({ hidden: [path.join(fx.workspace, '.env'), stores] });
    const result = await run(`cat .env; ls -A ${stores}; cat ${stores}/id_ed25519; node -e "console.log(require('fs').readdirSync('${stores}').length)"`, policy);
    assert.doesNotMatch(result.output, /sk-live|PRIVATE KEY/);
    assert.match(result.output, /^0$/m, 'the folder looks empty from inside');
    assert.match(explainSandboxBlock(result.output, policy) ?? '', /\.env.*cannot be read/);
  });

  it('read-only mode: not even the workspace is writable, the temp folder is', async () => {
    const result = await run('echo x > made.txt; echo y > /tmp/ok && cat /tmp/ok', fx.policy({ mode: 'read-only' }));
    assert.ok(!fs.existsSync(path.join(fx.workspace, 'made.txt')));
    assert.match(result.output, /^y$/m);
  });

  it('blocks the network except loopback: a server on this machine\'s address is unreachable, one the command starts on localhost works', async function () {
    const address = externalAddress();
    if (!address) this.skip();
    const { server, port } = await listen('0.0.0.0');
    try {
      const fetchScript = (url: string) => `node -e "fetch('${url}').then(r => r.text()).then(t => console.log('GOT', t.trim()), e => console.log('FAILED', e.cause?.code ?? e.message))"`;
      const unconfined = await run(fetchScript(`http://${address}:${port}/`), undefined);
      assert.match(unconfined.output, /GOT reached the host server/, 'control: reachable without the sandbox');
      const confined = await run(fetchScript(`http://${address}:${port}/`), fx.policy());
      assert.match(confined.output, /FAILED/);
      assert.doesNotMatch(confined.output, /reached the host server/);
      const local = await run(`node -e "const s=require('http').createServer((q,r)=>r.end('loopback ok')).listen(0,'127.0.0.1',()=>fetch('http://127.0.0.1:'+s.address().port).then(r=>r.text()).then(t=>{console.log(t);s.close()}))"`, fx.policy());
      assert.match(local.output, /loopback ok/);
    } finally {
      server.close();
    }
  });

  it('reaches allowed hosts through the proxy and refuses the others with a reason', async function () {
    const address = externalAddress();
    if (!address) this.skip();
    const { server, port } = await listen('0.0.0.0');
    const socketPath = path.join(fx.tempDir, 'proxy.sock');
    const decisions: string[] = [];
    const proxy = await HostProxy.start(socketPath, [address], (d) => decisions.push(`${d.host}:${d.allowed}`));
    try {
      // A proxy-aware client, as curl, npm or pip are: it sends the absolute URL to $HTTP_PROXY.
      const viaProxy = (url: string) => `node -e "const p=new URL(process.env.HTTP_PROXY);require('http').get({host:p.hostname,port:p.port,path:'${url}'},r=>{let b='';r.on('data',c=>b+=c);r.on('end',()=>console.log(r.statusCode,b.trim()))}).on('error',e=>console.log('ERR',e.message))"`;
      const policy = fx.policy({ allowHosts: [address], proxy: { socketPath } });
      const allowed = await run(viaProxy(`http://${address}:${port}/`), policy);
      assert.match(allowed.output, /200 reached the host server/);
      const refused = await run(viaProxy('http://example.invalid/'), policy);
      assert.match(refused.output, /403 Patchpilot sandbox: the host 'example.invalid' is not among the allowed hosts/);
      assert.deepEqual(decisions, [`${address}:true`, 'example.invalid:false']);
    } finally {
      await proxy.close();
      server.close();
    }
  });

  it('ends every process with the command, a daemon in its own session included', async () => {
    const script = 'setsid sh -c "sleep 300" > /dev/null 2>&1 & sleep 0.3; pgrep -n -f "sleep 300"';
    const result = await run(script, fx.policy());
    assert.equal(result.exitCode, 0, result.output);
    // The pid printed inside is of the sandbox's namespace; look for the process from outside instead. The kernel
    // kills the namespace's processes as its init exits, which on a busy machine can take a moment: a leaked daemon
    // would live for its whole 300 s, so a few seconds of patience cannot hide one.
    const survivors = () => fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry) && isAlive(Number(entry)) && readCmdline(entry) === 'sleep 300');
    for (let waited = 0; survivors().length > 0 && waited < 5000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(survivors(), []);
  });

  it('without the sandbox, a daemon that left the process group is still stopped after the command', async () => {
    // The pause lets setsid() happen first, so only the sweep (not the process-group signal) can reach the daemon.
    const result = await run('setsid sleep 301 > /dev/null 2>&1 & sleep 0.3; echo $!', undefined);
    const pid = Number(/^(\d+)$/m.exec(result.output)?.[1]);
    assert.ok(pid > 0, result.output);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(isAlive(pid), false);
    assert.ok((result.strayProcessesKilled ?? 0) >= 1);
  });
});

function readCmdline(pid: string): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}
