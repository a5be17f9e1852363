// The task's change set: the pre-image of every file the agent touched and what the agent last wrote, so a task
// can be reviewed per hunk, partly rejected, or undone exactly — never overwriting a file someone else changed since.
import type { ProposedFileChange } from '../../agent/ports';
import type { FileChange } from '../edits/types';
import type { Workspace } from '../workspace/types';
import { applyHunkSelection, computeHunks } from './hunks';

interface TrackedFile {
  /** Content before the task touched it; null = did not exist. */
  original: string | null;
  /** Content the agent last wrote; null = deleted by the agent. */
  current: string | null;
}

export interface RestoreReport {
  restored: string[];
  skipped: { path: string; reason: string }[];
}

export class ChangeSet {
  private readonly files = new Map<string, TrackedFile>();

  constructor(private readonly workspace: Workspace) {}

  /** Records a write the agent made (or replays one from the journal). The first pre-image of a path is kept. */
  record(change: FileChange): void {
    const tracked = this.files.get(change.path);
    if (tracked) tracked.current = change.after;
    else this.files.set(change.path, { original: change.before, current: change.after });
  }

  /** What the agent last wrote to a path, if it wrote it; undefined when the path is not part of the change set. */
  lastWritten(path: string): string | null | undefined {
    return this.files.get(path)?.current;
  }

  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  /** The cumulative change of the task, per file with hunks; files back at their original content are left out. */
  proposed(): ProposedFileChange[] {
    const result: ProposedFileChange[] = [];
    for (const path of this.paths()) {
      const { original, current } = this.files.get(path)!;
      if (original === current) continue;
      result.push({ path, before: original, after: current, hunks: computeHunks(original, current) });
    }
    return result;
  }

  /** Restores exactly the given hunks of one file (indices as in proposed()). */
  async rejectHunks(path: string, hunkIndices: readonly number[]): Promise<RestoreReport> {
    const tracked = this.files.get(path);
    if (!tracked) return { restored: [], skipped: [{ path, reason: 'not part of this task\'s changes' }] };
    const conflict = await this.conflictOnDisk(path, tracked);
    if (conflict) return { restored: [], skipped: [{ path, reason: conflict }] };
    const all = computeHunks(tracked.original, tracked.current).map((h) => h.index);
    const rejected = new Set(hunkIndices);
    const kept = new Set(all.filter((index) => !rejected.has(index)));
    const next = applyHunkSelection(tracked.original, tracked.current, kept);
    await this.writeOrDelete(path, next);
    tracked.current = next;
    return { restored: [path], skipped: [] };
  }

  /** Undoes the whole task: every file back to its pre-image, except files someone else changed since. */
  async undoAll(): Promise<RestoreReport> {
    const report: RestoreReport = { restored: [], skipped: [] };
    for (const path of this.paths()) {
      const tracked = this.files.get(path)!;
      if (tracked.original === tracked.current) continue;
      const conflict = await this.conflictOnDisk(path, tracked);
      if (conflict) {
        report.skipped.push({ path, reason: conflict });
        continue;
      }
      await this.writeOrDelete(path, tracked.original);
      tracked.current = tracked.original;
      report.restored.push(path);
    }
    return report;
  }

  private async conflictOnDisk(path: string, tracked: TrackedFile): Promise<string | null> {
    const onDisk = (await this.workspace.exists(path)) ? (await this.workspace.readFile(path)).toString('utf8') : null;
    if (onDisk === tracked.current) return null;
    return 'the file was changed on disk since the agent wrote it; it was left as it is';
  }

  private async writeOrDelete(path: string, content: string | null): Promise<void> {
    if (content === null) {
      if (await this.workspace.exists(path)) await this.workspace.deleteFile(path);
    } else {
      await this.workspace.writeFileAtomic(path, content);
    }
  }
}
