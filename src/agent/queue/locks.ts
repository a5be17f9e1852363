// Lock files owned by a process: created exclusively (O_EXCL), holding the owner's pid and the kernel's start time of
// that pid, so a lock whose owner died (a crash, a SIGKILL) is recognised as stale and taken over — and a pid reused
// by some later process does not keep a dead runner's lock alive. Two takers of one stale lock: one wins.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface LockOwner {
  pid: number;
  /** The process's start time as the kernel counts it (Linux /proc), null where unknown. */
  startTime: string | null;
  host: string;
  acquiredAt: string;
}

/** Tells whether a lock's owner is still running. Injected in tests; the default asks the operating system. */
export type OwnerIsAlive = (owner: LockOwner) => boolean;

export function currentOwner(): LockOwner {
  return { pid: process.pid, startTime: processStartTime(process.pid), host: os.hostname(), acquiredAt: new Date().toISOString() };
}

/** Field 22 of /proc/PID/stat: the start time in clock ticks since boot; a reused pid has another one. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

export const ownerIsAlive: OwnerIsAlive = (owner) => {
  // Another machine's lock (a shared folder): its process cannot be checked from here, so it counts as alive.
  if (owner.host !== os.hostname()) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = processStartTime(owner.pid);
  return owner.startTime === null || now === null || now === owner.startTime;
};

export function readLock(file: string): LockOwner | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number') return null;
    return { pid: parsed.pid, startTime: parsed.startTime ?? null, host: parsed.host ?? os.hostname(), acquiredAt: parsed.acquiredAt ?? '' };
  } catch {
    return null;
  }
}

export type LockResult = { acquired: true; tookOverFrom: LockOwner | null } | { acquired: false; heldBy: LockOwner | null };

/**
 * Takes the lock at `file` for this process. A lock held by a live process is left alone; a stale one is moved aside
 * (rename is atomic: of two runners only one moves it) and taken. A lock file still being written (empty, or not
 * JSON yet) counts as held, so a racing taker never breaks a lock in its first instant — unless it stayed unreadable
 * for longer than any write takes (its creator died between creating and writing it).
 */
export function acquireLock(file: string, isAlive: OwnerIsAlive = ownerIsAlive, owner: LockOwner = currentOwner()): LockResult {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(file, owner)) return { acquired: true, tookOverFrom: null };
    const holder = readLock(file);
    if (holder === null ? !isAbandonedEmptyLock(file) : isAlive(holder)) return { acquired: false, heldBy: holder };
    const aside = `${file}.stale-${owner.pid}-${Date.now()}`;
    try {
      fs.renameSync(file, aside);
    } catch {
      continue; // someone else moved it first: try again from the top
    }
    const moved = readLock(aside);
    if (moved && isAlive(moved)) {
      // Between our read and our rename another runner took the stale lock: give it back (link fails if taken again).
      try {
        fs.linkSync(aside, file);
      } catch {
        // the file exists again: whoever holds it now keeps it
      }
      fs.rmSync(aside, { force: true });
      return { acquired: false, heldBy: moved };
    }
    fs.rmSync(aside, { force: true });
    if (createExclusive(file, owner)) return { acquired: true, tookOverFrom: holder };
  }
  return { acquired: false, heldBy: readLock(file) };
}

/** Removes the lock if this process holds it (never someone else's). */
export function releaseLock(file: string, owner: Pick<LockOwner, 'pid'> = { pid: process.pid }): void {
  const holder = readLock(file);
  if (holder && holder.pid === owner.pid) fs.rmSync(file, { force: true });
}

const UNREADABLE_LOCK_GRACE_MS = 10_000;

function isAbandonedEmptyLock(file: string): boolean {
  try {
    return Date.now() - fs.statSync(file).mtimeMs > UNREADABLE_LOCK_GRACE_MS;
  } catch {
    return false;
  }
}

function createExclusive(file: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    fs.writeSync(fd, `${JSON.stringify(owner)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}
