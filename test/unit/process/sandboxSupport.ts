// Shared by the sandbox tests: the real sandbox or a clear skip. Where PATCHPILOT_REQUIRE_SANDBOX is set (CI), a
// missing sandbox fails the run instead, so the tests can never pass by skipping there.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sandboxSupport } from '../../../src/tools/process/sandbox';
import type { SandboxPolicy } from '../../../src/tools/process/sandbox/policy';

export function requireSandbox(context: Mocha.Context): void {
  const support = sandboxSupport();
  if (support.available) return;
  if (process.env.PATCHPILOT_REQUIRE_SANDBOX) throw new Error(`The sandbox is required here but not available: ${support.reason}`);
  context.skip();
}

/** The first IPv4 address of this machine that is not loopback: unreachable from inside the sandbox. */
export function externalAddress(): string | null {
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  return null;
}

export interface SandboxFixture {
  root: string;
  workspace: string;
  tempDir: string;
  outside: string;
  policy(extra?: Partial<SandboxPolicy>): SandboxPolicy;
  cleanup(): void;
}

/** A workspace, a temp folder and a folder outside both, each real; outside lives in the home folder, not /tmp. */
export function sandboxFixture(): SandboxFixture {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-sandbox-')));
  const workspace = path.join(root, 'ws');
  const tempDir = path.join(root, 'task-tmp');
  const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.homedir(), '.pp-outside-')));
  for (const dir of [workspace, tempDir, path.join(workspace, '.git'), path.join(workspace, 'test')]) fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(workspace, '.env'), 'API_TOKEN=sk-live-0123456789abcdef\n');
  fs.writeFileSync(path.join(workspace, 'test', 'a.test.js'), 'original test\n');
  fs.writeFileSync(path.join(outside, 'keep.txt'), 'the person\'s file\n');
  return {
    root, workspace, tempDir, outside,
    policy: (extra = {}) => ({
      mode: 'workspace-write', workspace, tempDir, readOnly: [path.join(workspace, '.git'), path.join(workspace, 'test', 'a.test.js')],
      hidden: [path.join(workspace, '.env')], allowHosts: [], ...extra,
    }),
    cleanup: () => {
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    },
  };
}
