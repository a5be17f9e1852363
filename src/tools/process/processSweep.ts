// Without a PID namespace (the sandbox off, or macOS), a process that leaves the command's process group — a daemon
// that called setsid() — would outlive the command. Every command gets a unique marker in its environment, which
// descendants inherit whatever session they move to; after the command, the processes that still carry it are
// killed. Linux only (it reads /proc/<pid>/environ of the same user); elsewhere it finds nothing.
import * as fs from 'node:fs';

export const RUN_MARKER_VARIABLE = 'PATCHPILOT_RUN_ID';

/** Pids of live processes whose environment carries `marker`, other than this process. */
export function processesWithMarker(marker: string): number[] {
  if (process.platform !== 'linux') return [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const needle = Buffer.from(`${RUN_MARKER_VARIABLE}=${marker}\0`);
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = fs.readFileSync(`/proc/${entry}/environ`);
      if (environ.includes(needle) || environ.subarray(environ.length - needle.length + 1).equals(needle.subarray(0, -1))) found.push(Number(entry));
    } catch {
      // gone already, or another user's process: not ours
    }
  }
  return found;
}

/** Sends `signal` to every process still carrying the marker; returns how many there were. */
export function killMarkedProcesses(marker: string, signal: NodeJS.Signals = 'SIGKILL'): number {
  const pids = processesWithMarker(marker);
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
  return pids.length;
}
