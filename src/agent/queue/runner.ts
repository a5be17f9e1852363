// Runs the queued tasks of a workspace: oldest first, one at a time in the person's tree (like `patchpilot run`),
// or up to N at once each in its own git worktree, whose result stays a patch under `.patchpilot/proposals/`.
// A task whose runner died (its lock is stale) is resumed from its journal in the same place; entries added while
// the runner works are picked up too. How a task is actually run is a port, so the CLI and VS Code each bring theirs.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { newTaskId } from '../sessionSupport';
import { adoptWorktree, cleanupStaleWorktrees, createWorktree, removeWorktree, type TaskWorktree } from '../../tools/changes/worktrees';
import { acquireLock, releaseLock } from './locks';
import { writeWorktreeProposal } from './proposals';
import type { QueueEntry, QueueMode, QueueStore, QueuedTaskStatus } from './store';

export interface TaskRun {
  entry: QueueEntry;
  /** Where the task works: the workspace, or its worktree. */
  cwd: string;
  journalDir: string;
  taskId: string;
  /** Where the task's JSON report is to be written. */
  reportPath: string;
  /** true: start it afresh; false: resume it from its journal. */
  fresh: boolean;
  /** Several tasks run at once: print little. */
  concurrent: boolean;
  /** Aborted when the entry is cancelled or the runner stops. */
  signal: AbortSignal;
}

export interface TaskOutcome {
  status: QueuedTaskStatus;
  reason: string | null;
  summary: string;
}

/** Runs one task to its end: a session created or resumed from the journal. Throws when it could not run at all. */
export type TaskExecutor = (run: TaskRun) => Promise<TaskOutcome>;

export type QueueEvent =
  | { type: 'started'; entry: QueueEntry; resumed: boolean }
  | { type: 'finished'; entry: QueueEntry }
  | { type: 'skipped'; entry: QueueEntry; why: string };

export interface QueueRunOptions {
  /** Absent: in place, one at a time. A number: that many at once, each in a worktree. */
  parallel?: number;
  journalDir: string;
  execute: TaskExecutor;
  onEvent?: (event: QueueEvent) => void;
  /** Aborting stops the running tasks (they end as stopped) and takes no further entries. */
  signal?: AbortSignal;
  /** Which ignored top-level entries must not be linked into worktrees (protected paths). */
  isProtected?: (relative: string) => boolean;
  /** How often a running entry's cancel marker is looked for. */
  cancelPollMs?: number;
}

const IN_PLACE_LOCK = 'in-place';

/** Runs until no entry is left to take; resolves with the entries it finished (in the order they finished). */
export async function runQueue(store: QueueStore, options: QueueRunOptions): Promise<QueueEntry[]> {
  const limit = options.parallel ?? 1;
  const finished: QueueEntry[] = [];
  const running = new Map<string, { mode: QueueMode; work: Promise<void> }>();
  const passedOver = new Set<string>();
  // Worktrees of tasks whose runner died before it recorded them: nobody will resume those.
  await cleanupStaleWorktrees(store.root);
  for (;;) {
    if (options.signal?.aborted) break;
    while (running.size < limit) {
      const inPlaceBusy = [...running.values()].some((task) => task.mode === 'in-place');
      const next = nextEntry(store, (entry) => !running.has(entry.id) && !passedOver.has(entry.id)
        && !(inPlaceBusy && modeOf(entry, options) === 'in-place'));
      if (!next) break;
      const mode = modeOf(next, options);
      const claimed = claimEntry(store, next, mode, options);
      if (!claimed) {
        passedOver.add(next.id);
        continue;
      }
      const work = runEntry(store, claimed, mode, limit > 1, options)
        .then((entry) => {
          finished.push(entry);
          options.onEvent?.({ type: 'finished', entry });
        })
        .finally(() => running.delete(claimed.id));
      running.set(claimed.id, { mode, work });
    }
    if (running.size === 0) break;
    await Promise.race([...running.values()].map((task) => task.work));
  }
  await Promise.allSettled([...running.values()].map((task) => task.work));
  return finished;
}

/** An entry keeps the mode it started in (a resumed in-place task stays in place); a new one takes the run's. */
function modeOf(entry: QueueEntry, options: QueueRunOptions): QueueMode {
  return entry.mode ?? (options.parallel === undefined ? 'in-place' : 'worktree');
}

/** The oldest entry that is queued, or running under a runner that is gone (to resume). */
function nextEntry(store: QueueStore, eligible: (entry: QueueEntry) => boolean): QueueEntry | null {
  for (const entry of store.list().entries) {
    if (!eligible(entry)) continue;
    if (entry.state === 'queued') return entry;
    if (entry.state === 'running' && store.holder(entry.id) === null) return entry;
  }
  return null;
}

function claimEntry(store: QueueStore, entry: QueueEntry, mode: QueueMode, options: QueueRunOptions): QueueEntry | null {
  if (!store.claim(entry.id).acquired) return null;
  const fresh = store.get(entry.id);
  // Taken and finished by another runner between our listing and our lock.
  if (!fresh || (fresh.state !== 'queued' && fresh.state !== 'running')) {
    store.release(entry.id);
    return null;
  }
  if (mode === 'in-place' && !acquireLock(store.lockFile(IN_PLACE_LOCK)).acquired) {
    // Another runner is working in the person's tree: one in-place task at a time.
    store.release(entry.id);
    options.onEvent?.({ type: 'skipped', entry: fresh, why: 'another runner is working in this folder' });
    return null;
  }
  return fresh;
}

async function runEntry(store: QueueStore, entry: QueueEntry, mode: QueueMode, concurrent: boolean, options: QueueRunOptions): Promise<QueueEntry> {
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const poll = setInterval(() => {
    if (store.cancelRequested(entry.id)) controller.abort();
  }, options.cancelPollMs ?? 500);
  let worktree: TaskWorktree | null = null;
  try {
    if (store.cancelRequested(entry.id)) return finish(store, entry.id, { state: 'cancelled', reason: 'cancelled' });
    const resumable = entry.state === 'running' && entry.taskId !== null && existsSync(join(options.journalDir, `${entry.taskId}.jsonl`));
    const taskId = entry.taskId ?? newTaskId(Date.now());
    let cwd = store.root;
    if (mode === 'worktree') {
      worktree = entry.worktree ? await adoptWorktree(store.root, entry.worktree.id, true) : null;
      if (entry.worktree && !worktree && resumable) {
        return finish(store, entry.id, { state: 'failed', error: `Its worktree ${entry.worktree.path} is gone (removed, or the temp folder was cleared), so the task cannot be resumed: add it again.` });
      }
      // Not kept until the entry names it: a crash in between leaves a worktree the next start removes.
      worktree ??= await createWorktree(store.root, { purpose: `queued task ${entry.id}`, label: 'queue', keep: false, isProtected: options.isProtected });
      cwd = worktree.path;
    }
    const reportPath = store.reportPathOf(entry.id);
    // Recorded before the task starts: a crash from here on finds the task id, the mode and the worktree.
    const started = store.update(entry.id, {
      state: 'running', taskId, mode, worktree: worktree ? { id: worktree.id, path: worktree.path } : null, runnerPid: process.pid,
      runs: entry.runs + 1, startedAt: entry.startedAt ?? new Date().toISOString(), report: relative(store.root, reportPath),
    });
    if (worktree) await adoptWorktree(store.root, worktree.id, true);
    options.onEvent?.({ type: 'started', entry: started, resumed: resumable });
    const outcome = await options.execute({
      entry: started, cwd, journalDir: options.journalDir, taskId, reportPath, fresh: !resumable, concurrent, signal: controller.signal,
    });
    if (store.cancelRequested(entry.id)) return finish(store, entry.id, { state: 'cancelled', status: outcome.status, reason: 'cancelled', summary: outcome.summary });
    let proposal: string | null = null;
    if (worktree) {
      const written = await writeWorktreeProposal(worktree, entry.id);
      proposal = written ? relative(store.root, written.patchPath) : null;
    }
    return finish(store, entry.id, { state: 'done', status: outcome.status, reason: outcome.reason, summary: outcome.summary, proposal });
  } catch (error) {
    return finish(store, entry.id, { state: 'failed', error: error instanceof Error ? error.message : String(error) });
  } finally {
    clearInterval(poll);
    options.signal?.removeEventListener('abort', onOuterAbort);
    if (worktree) await removeWorktree(worktree);
    store.clearCancelRequest(entry.id);
    if (mode === 'in-place') releaseLock(store.lockFile(IN_PLACE_LOCK));
    store.release(entry.id);
  }
}

function finish(store: QueueStore, id: string, patch: Partial<QueueEntry>): QueueEntry {
  return store.update(id, { ...patch, finishedAt: new Date().toISOString() });
}
