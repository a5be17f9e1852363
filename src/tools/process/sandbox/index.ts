// The one entry point the process runner uses: is a sandbox available on this OS, and the confined command line for
// a policy. Both command runners (the CLI's child process and the VS Code terminal) go through runProcess, so no
// path runs a command unconfined by accident.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bubblewrapAvailability, bubblewrapCommand, bwrapPath, type Availability, type InnerPrefix, type SandboxProcess } from './bubblewrap';
import { BRIDGE_SOURCE } from './hostProxy';
import type { SandboxPolicy } from './policy';
import { SANDBOX_EXEC, seatbeltCommand } from './seatbelt';

export type { Availability, SandboxProcess } from './bubblewrap';
export { describeSandboxPolicy, SANDBOX_MODES, type SandboxMode, type SandboxPolicy } from './policy';

export interface SandboxSupport extends Availability {
  /** What enforces it: 'bubblewrap' (Linux), 'sandbox-exec' (macOS), or null when nothing can. */
  enforcedBy: 'bubblewrap' | 'sandbox-exec' | null;
  /** True when every process the command starts ends with it (a PID namespace). */
  killsWholeTree: boolean;
}

export function sandboxSupport(platform: NodeJS.Platform = process.platform): SandboxSupport {
  if (platform === 'linux') {
    const availability = bubblewrapAvailability();
    return { ...availability, enforcedBy: availability.available ? 'bubblewrap' : null, killsWholeTree: availability.available };
  }
  if (platform === 'darwin') {
    const available = fs.existsSync(SANDBOX_EXEC);
    return { available, enforcedBy: available ? 'sandbox-exec' : null, killsWholeTree: false,
      reason: available ? `sandbox-exec at ${SANDBOX_EXEC}` : `${SANDBOX_EXEC} is missing, so commands cannot be confined on this Mac.` };
  }
  return { available: false, enforcedBy: null, killsWholeTree: false,
    reason: `there is no command sandbox for ${platform} yet; run Patchpilot inside WSL (Linux) to get one.` };
}

/** The confined command line: `inner` (e.g. [bash, -c, command]) run under the policy, started in `cwd`. */
export function sandboxedProcess(policy: SandboxPolicy, cwd: string, inner: string[], platform: NodeJS.Platform = process.platform): SandboxProcess & { env: Record<string, string> } {
  if (platform === 'darwin') {
    const env: Record<string, string> = { TMPDIR: policy.tempDir, PATCHPILOT_SANDBOX: policy.mode };
    if (policy.proxy?.url) Object.assign(env, proxyEnvironment(policy.proxy.url));
    return { ...seatbeltCommand(policy, inner), env };
  }
  const bwrap = bwrapPath();
  if (!bwrap) throw new Error(`The sandbox is not available: ${bubblewrapAvailability().reason}`);
  let prefix: InnerPrefix | undefined;
  if (policy.proxy?.socketPath) {
    // The socket lives in the task's temp folder, which the sandbox sees as /tmp.
    const inside = path.posix.join('/tmp', path.relative(policy.tempDir, policy.proxy.socketPath).split(path.sep).join('/'));
    prefix = { argv: [process.execPath, '-e', BRIDGE_SOURCE, inside, '--'], env: { ELECTRON_RUN_AS_NODE: '1' } };
  }
  return { ...bubblewrapCommand(bwrap, policy, cwd, inner, prefix), env: {} };
}

export function proxyEnvironment(url: string): Record<string, string> {
  const env: Record<string, string> = { NO_PROXY: 'localhost,127.0.0.1,::1', no_proxy: 'localhost,127.0.0.1,::1' };
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy', 'npm_config_proxy', 'npm_config_https_proxy']) env[name] = url;
  return env;
}
