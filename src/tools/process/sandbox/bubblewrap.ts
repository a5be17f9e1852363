// Linux: a SandboxPolicy as a bubblewrap (bwrap) command line. bwrap is small (one binary, Debian package
// `bubblewrap`), needs no daemon, and as an unprivileged user uses user namespaces; as root it needs nothing more.
//
// Why each part is there:
// - `--ro-bind / /` then writable binds: everything stays readable (compilers, node_modules, caches), nothing outside
//   the workspace and the temp folder is writable. Later binds win, so read-only and hidden paths come last.
// - The per-task temp folder is mounted on /tmp and /var/tmp: tools that ignore $TMPDIR still write only there.
// - `--unshare-pid`: the command runs in its own PID namespace; when it ends, the kernel kills every process left in
//   it, daemons that called setsid() included. `--die-with-parent` ends it all if Patchpilot itself dies.
// - `--unshare-net`: a network namespace with only loopback, so tests that start a local server keep working and
//   nothing else is reachable. Allowed hosts go through Patchpilot's proxy, reached over a Unix socket (sandboxProxy).
// - Hidden files are covered by /dev/null, hidden folders by an empty read-only tmpfs: they read as empty.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SandboxPolicy } from './policy';

export interface SandboxProcess {
  file: string;
  args: string[];
}

/** What runs inside the sandbox in front of the command (the network bridge), and what it needs bound. */
export interface InnerPrefix {
  argv: string[];
  env: Record<string, string>;
}

export interface Availability {
  available: boolean;
  /** What to tell the person when it is not available (how to get it). */
  reason: string;
}

const BWRAP_CANDIDATES = ['/usr/bin/bwrap', '/usr/local/bin/bwrap', '/bin/bwrap'];
let cachedAvailability: { path: string | null; availability: Availability } | undefined;

/** Where bwrap is, or null. */
export function bwrapPath(): string | null {
  return bubblewrapAvailability().available ? cachedAvailability!.path : null;
}

/**
 * Whether bwrap exists and can really create the namespaces we use (containers often forbid user namespaces):
 * probed once per process by running `true` under the same flags.
 */
export function bubblewrapAvailability(): Availability {
  if (cachedAvailability) return cachedAvailability.availability;
  // PATCHPILOT_BWRAP names another bwrap (or a missing one, to see how Patchpilot behaves without a sandbox).
  const override = process.env.PATCHPILOT_BWRAP;
  const found = override !== undefined ? (isExecutable(override) ? override : null)
    : BWRAP_CANDIDATES.find((candidate) => isExecutable(candidate)) ?? findOnPath('bwrap');
  if (!found) {
    cachedAvailability = { path: null, availability: {
      available: false,
      reason: 'bubblewrap (bwrap) is not installed. Install it with your package manager, e.g. `sudo apt install bubblewrap` (Debian/Ubuntu), `sudo dnf install bubblewrap` (Fedora), `sudo pacman -S bubblewrap` (Arch).',
    } };
    return cachedAvailability.availability;
  }
  const probe = spawnSync(found, ['--die-with-parent', '--unshare-pid', '--unshare-net', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--', 'true'], {
    stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000, encoding: 'utf8',
  });
  const ok = probe.status === 0;
  cachedAvailability = { path: ok ? found : null, availability: ok
    ? { available: true, reason: `bubblewrap at ${found}` }
    : { available: false, reason: `bubblewrap at ${found} cannot create a sandbox here: ${(probe.stderr || probe.error?.message || `exit ${probe.status}`).trim()}. ` +
      'User namespaces may be disabled (sysctl kernel.unprivileged_userns_clone=1, or an AppArmor rule for bwrap on Ubuntu 24.04+).' } };
  return cachedAvailability.availability;
}

/** The bwrap command line that runs `inner` (already a full argv, e.g. [bash, -c, command]) under the policy. */
export function bubblewrapCommand(bwrap: string, policy: SandboxPolicy, cwd: string, inner: string[], prefix?: InnerPrefix): SandboxProcess {
  const args = ['--die-with-parent', '--unshare-pid', '--unshare-ipc'];
  if (!policy.allowHosts.includes('*')) args.push('--unshare-net');
  args.push('--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/dev/shm');
  args.push('--bind', policy.tempDir, '/tmp', '--bind', policy.tempDir, '/var/tmp');
  // Binds under /tmp must come after /tmp itself, or the temp mount would cover them (the workspace may be in /tmp).
  if (policy.mode === 'workspace-write') args.push('--bind', policy.workspace, policy.workspace);
  else args.push('--ro-bind', policy.workspace, policy.workspace);
  for (const target of sortedExisting(policy.readOnly)) args.push('--ro-bind', target.path, target.path);
  for (const target of sortedExisting(policy.hidden)) {
    if (target.directory) args.push('--tmpfs', target.path, '--remount-ro', target.path);
    else args.push('--ro-bind', '/dev/null', target.path);
  }
  args.push('--setenv', 'TMPDIR', '/tmp', '--setenv', 'PATCHPILOT_SANDBOX', policy.mode);
  for (const [name, value] of Object.entries(prefix?.env ?? {})) args.push('--setenv', name, value);
  args.push('--chdir', cwd, '--', ...(prefix?.argv ?? []), ...inner);
  return { file: bwrap, args };
}

interface ExistingTarget { path: string; directory: boolean }

/** Existing paths only (a bind needs its source), parents before children so nested binds are not covered. */
function sortedExisting(paths: readonly string[]): ExistingTarget[] {
  const seen = new Set<string>();
  const targets: ExistingTarget[] = [];
  for (const candidate of paths) {
    const absolute = path.resolve(candidate);
    if (seen.has(absolute)) continue;
    seen.add(absolute);
    const stat = fs.lstatSync(absolute, { throwIfNoEntry: false });
    // A symlink would be followed by the bind; its target is judged by its own entry (or not at all if outside).
    if (!stat || stat.isSymbolicLink()) continue;
    targets.push({ path: absolute, directory: stat.isDirectory() });
  }
  return targets.sort((a, b) => a.path.split(path.sep).length - b.path.split(path.sep).length);
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

/** For tests: forget the probe so the next call probes again. */
export function resetBubblewrapProbe(): void {
  cachedAvailability = undefined;
}
