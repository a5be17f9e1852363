// macOS: a SandboxPolicy as a Seatbelt profile for `sandbox-exec -p PROFILE`. The same rules as bubblewrap, written
// each as one deny with its exceptions inside, so the result never depends on rule order.
//
// Differences from Linux, stated in the README: there is no PID namespace (a daemon that leaves the process group can
// outlive the command), /tmp is not remapped (writes to the per-task folder are allowed through $TMPDIR, the system
// temp folders stay writable because many macOS tools need them), and allowed hosts go through the same proxy as on
// Linux, reached on a loopback port. Built and unit-tested here; it cannot be run on these Linux machines.
import { existsSync, lstatSync } from 'node:fs';
import type { SandboxProcess } from './bubblewrap';
import type { SandboxPolicy } from './policy';

export const SANDBOX_EXEC = '/usr/bin/sandbox-exec';

/** Quotes a path for SBPL: a string literal with backslashes and quotes escaped. */
function literal(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function pathFilter(target: string): string {
  const stat = existsSync(target) ? lstatSync(target) : null;
  return stat?.isDirectory() ? `(subpath ${literal(target)})` : `(literal ${literal(target)})`;
}

export function seatbeltProfile(policy: SandboxPolicy): string {
  const writable = [
    `(subpath ${literal(policy.tempDir)})`,
    '(subpath "/private/tmp")', '(subpath "/private/var/folders")',
    '(literal "/dev/null")', '(literal "/dev/zero")', '(literal "/dev/tty")', '(regex #"^/dev/fd/")', '(regex #"^/dev/ttys")',
  ];
  if (policy.mode === 'workspace-write') {
    const readOnly = policy.readOnly.map(pathFilter);
    writable.push(readOnly.length
      ? `(require-all (subpath ${literal(policy.workspace)}) (require-not (require-any ${readOnly.join(' ')})))`
      : `(subpath ${literal(policy.workspace)})`);
  }
  const lines = [
    '(version 1)',
    '(allow default)',
    `(deny file-write* (require-not (require-any ${writable.join(' ')})))`,
  ];
  if (policy.hidden.length) lines.push(`(deny file-read* file-write* (require-any ${policy.hidden.map(pathFilter).join(' ')}))`);
  if (!policy.allowHosts.includes('*')) {
    lines.push('(deny network-outbound (require-not (require-any (remote ip "localhost:*") (remote unix-socket))))');
  }
  return lines.join('\n') + '\n';
}

export function seatbeltCommand(policy: SandboxPolicy, inner: string[]): SandboxProcess {
  return { file: SANDBOX_EXEC, args: ['-p', seatbeltProfile(policy), ...inner] };
}
