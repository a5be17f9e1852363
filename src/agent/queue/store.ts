// The task queue of a workspace, as data in `.patchpilot/queue/`: one JSON file per entry, written atomically (temp
// file, fsync, rename) so a crash or a window reload never leaves a half-written entry; a lock file per entry held by
// the runner that works on it; a cancel marker that another process (the CLI, the VS Code sidebar) can drop beside a
// running entry. No vscode import: the CLI and the extension share this store.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { acquireLock, ownerIsAlive, readLock, releaseLock, type LockOwner, type LockResult, type OwnerIsAlive } from './locks';

export type QueueState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
/** A finished task's status, as the task report says it. */
export type QueuedTaskStatus = 'verified' | 'unverified' | 'failed' | 'stopped';
/** in-place: in the person's working tree, like `patchpilot run`; worktree: in a git worktree, the result a patch. */
export type QueueMode = 'in-place' | 'worktree';

export interface QueueEntry {
  version: 1;
  id: string;
  createdAt: string;
  goal: string;
  /** The workspace the task is for (absolute). */
  cwd: string;
  testCommand: string | null;
  /** Further run flags (model, budgets, safety), exactly as given to `queue add`. */
  args: string[];
  state: QueueState;
  /** Set when state is done: the task's own status. */
  status: QueuedTaskStatus | null;
  reason: string | null;
  summary: string | null;
  /** The journal's task id, assigned before the task starts so a crash can always find its journal. */
  taskId: string | null;
  mode: QueueMode | null;
  worktree: { id: string; path: string } | null;
  /** Workspace-relative path of the result's patch (worktree mode). */
  proposal: string | null;
  /** Workspace-relative path of the task's JSON report. */
  report: string | null;
  /** The runner that last started or resumed it. */
  runnerPid: number | null;
  /** How often a runner started it: 1, then 2 after a resume. */
  runs: number;
  startedAt: string | null;
  finishedAt: string | null;
  appliedAt: string | null;
  /** Why the runner could not run it (state failed), in words. */
  error: string | null;
}

export interface NewEntry {
  goal: string;
  testCommand?: string | null;
  args?: string[];
}

export interface QueueListing {
  entries: QueueEntry[];
  /** Files that are not readable entries (named, never deleted: the person decides). */
  damaged: string[];
}

export class QueueError extends Error {}

export const QUEUE_DIR = path.join('.patchpilot', 'queue');
export const PROPOSALS_DIR = path.join('.patchpilot', 'proposals');
const ENTRY_FILE = /^q-[A-Za-z0-9-]+\.json$/;

export class QueueStore {
  readonly dir: string;

  constructor(readonly root: string, private readonly isAlive: OwnerIsAlive = ownerIsAlive) {
    this.dir = path.join(root, QUEUE_DIR);
  }

  add(input: NewEntry, now = new Date()): QueueEntry {
    const goal = input.goal.trim();
    if (!goal) throw new QueueError('A queued task needs a goal (--goal TEXT).');
    const entry: QueueEntry = {
      version: 1, id: newEntryId(now), createdAt: now.toISOString(), goal, cwd: this.root,
      testCommand: input.testCommand?.trim() || null, args: [...(input.args ?? [])],
      state: 'queued', status: null, reason: null, summary: null, taskId: null, mode: null, worktree: null,
      proposal: null, report: null, runnerPid: null, runs: 0, startedAt: null, finishedAt: null, appliedAt: null, error: null,
    };
    this.ensureDir();
    this.write(entry);
    return entry;
  }

  /** Every entry, oldest first (the order they run in). */
  list(): QueueListing {
    if (!fs.existsSync(this.dir)) return { entries: [], damaged: [] };
    const entries: QueueEntry[] = [];
    const damaged: string[] = [];
    for (const name of fs.readdirSync(this.dir).filter((file) => ENTRY_FILE.test(file))) {
      const entry = this.readFile(path.join(this.dir, name));
      if (entry) entries.push(entry);
      else damaged.push(path.join(this.dir, name));
    }
    entries.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    return { entries, damaged };
  }

  get(id: string): QueueEntry | null {
    if (!/^q-[A-Za-z0-9-]+$/.test(id)) return null;
    return this.readFile(this.fileOf(id));
  }

  /** An entry by its id or a unique start of it (`q-2026…`); a clear error otherwise. */
  resolve(idOrPrefix: string): QueueEntry {
    const exact = this.get(idOrPrefix);
    if (exact) return exact;
    const matches = this.list().entries.filter((entry) => entry.id.startsWith(idOrPrefix));
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) throw new QueueError(`"${idOrPrefix}" matches ${matches.length} queued tasks: ${matches.map((e) => e.id).join(', ')}.`);
    throw new QueueError(`No queued task "${idOrPrefix}" in ${this.dir} (see \`patchpilot queue list --cwd ${this.root}\`).`);
  }

  /** Rewrites an entry with `patch` applied to what is on disk now. Only the lock holder (or a cancel) writes. */
  update(id: string, patch: Partial<Omit<QueueEntry, 'id' | 'version' | 'createdAt'>>): QueueEntry {
    const current = this.get(id);
    if (!current) throw new QueueError(`The queued task ${id} is gone from ${this.dir}.`);
    const next = { ...current, ...patch };
    this.write(next);
    return next;
  }

  /** Takes the entry for this process: false when a live runner holds it. */
  claim(id: string, owner?: LockOwner): LockResult {
    return acquireLock(this.lockOf(id), this.isAlive, owner);
  }

  release(id: string): void {
    releaseLock(this.lockOf(id));
  }

  /** The live runner working on the entry, or null (none, or its runner died). */
  holder(id: string): LockOwner | null {
    const owner = readLock(this.lockOf(id));
    return owner && this.isAlive(owner) ? owner : null;
  }

  /**
   * Cancels an entry. A queued (or abandoned) one is cancelled at once; a running one gets a cancel marker that its
   * runner sees within a second, stops the task and marks it cancelled. Finished entries are left as they are.
   */
  cancel(idOrPrefix: string): { entry: QueueEntry; pending: boolean } {
    const entry = this.resolve(idOrPrefix);
    if (entry.state === 'done' || entry.state === 'failed' || entry.state === 'cancelled') {
      throw new QueueError(`The queued task ${entry.id} is already ${entry.state === 'done' ? `done (${entry.status})` : entry.state}.`);
    }
    const claim = this.claim(entry.id);
    if (!claim.acquired) {
      fs.writeFileSync(this.cancelMarkerOf(entry.id), `${new Date().toISOString()}\n`);
      return { entry, pending: true };
    }
    try {
      const cancelled = this.update(entry.id, { state: 'cancelled', finishedAt: new Date().toISOString(), reason: 'cancelled' });
      return { entry: cancelled, pending: false };
    } finally {
      this.release(entry.id);
    }
  }

  cancelRequested(id: string): boolean {
    return fs.existsSync(this.cancelMarkerOf(id));
  }

  clearCancelRequest(id: string): void {
    fs.rmSync(this.cancelMarkerOf(id), { force: true });
  }

  /** Where an entry's report and patch go. */
  reportPathOf(id: string): string {
    return path.join(this.dir, `${id}.report.json`);
  }

  proposalPathOf(id: string): string {
    return path.join(this.root, PROPOSALS_DIR, `${id}.patch`);
  }

  /** Another lock for things only one runner may do at a time (in-place tasks share the person's tree). */
  lockFile(name: string): string {
    return path.join(this.dir, `${name}.lock`);
  }

  private ensureDir(): void {
    fs.mkdirSync(this.dir, { recursive: true });
    // Patchpilot's bookkeeping: out of the person's git status and of task checkpoints.
    const ignore = path.join(this.dir, '.gitignore');
    if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '*\n');
  }

  private write(entry: QueueEntry): void {
    this.ensureDir();
    writeFileAtomic(this.fileOf(entry.id), `${JSON.stringify(entry, null, 2)}\n`);
  }

  private readFile(file: string): QueueEntry | null {
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as QueueEntry;
      return isEntry(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }

  private fileOf(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  private lockOf(id: string): string {
    return path.join(this.dir, `${id}.lock`);
  }

  private cancelMarkerOf(id: string): string {
    return path.join(this.dir, `${id}.cancel`);
  }
}

/** Temp file in the same folder, flushed, then renamed over the target: readers see the old file or the new one. */
export function writeFileAtomic(file: string, content: string | Buffer): void {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/** Ids sort by creation time: q-20261125-010042-123-ab12cd. */
function newEntryId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').slice(0, 19);
  return `q-${stamp}-${randomBytes(3).toString('hex')}`;
}

const STATES: readonly QueueState[] = ['queued', 'running', 'done', 'failed', 'cancelled'];

function isEntry(value: unknown): value is QueueEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<QueueEntry>;
  return entry.version === 1 && typeof entry.id === 'string' && typeof entry.goal === 'string' && typeof entry.cwd === 'string'
    && Array.isArray(entry.args) && STATES.includes(entry.state as QueueState);
}
