// Writes the agent's file changes: staleness checks, per-hunk review in 'ask' mode, a checkpoint before the first
// write, atomic writes, and pre-images kept in the change set and the journal.
import type { FileChange } from '../tools/edits/types';
import type { ChangeWriter } from '../tools/context';
import type { ChangeSet } from '../tools/changes/changeSet';
import { applyHunkSelection, computeHunks } from '../tools/changes/hunks';
import { failure } from '../tools/tool';
import type { ToolResult } from '../tools/types';
import type { Workspace } from '../tools/workspace/types';
import type { Approver, ChangeReview, ProposedFileChange } from './ports';
import type { Journal } from './journal';
import { SECRET_MARKER_PATTERN } from './policy/secretMasker';
import type { TestFileGuard } from './policy/testFiles';

export interface ChangeWriterOptions {
  taskId: string;
  workspace: Workspace;
  changeSet: ChangeSet;
  approver: Approver;
  /** Review every change set before it is written. */
  review: boolean;
  journal: Journal;
  ensureCheckpoint(): Promise<void>;
  signal: AbortSignal;
  /** Present when test files are read-only (changes written without review, test edits not allowed). */
  testGuard?: TestFileGuard | null;
  /** Hides known secrets in the hunks shown to the person (decisions go by hunk index, so nothing else changes). */
  mask?: (text: string) => string;
}

export class SessionChangeWriter implements ChangeWriter {
  /** Content the agent last saw of each file (read or written), to notice changes made by someone else. */
  private readonly known = new Map<string, string | null>();
  private lastFeedback: string | undefined;

  constructor(private readonly options: ChangeWriterOptions) {}

  noteRead(relativePath: string, content: string): void {
    this.known.set(relativePath, content);
  }

  hasSeen(relativePath: string): boolean {
    return this.known.has(relativePath) || this.options.changeSet.lastWritten(relativePath) !== undefined;
  }

  async apply(changes: FileChange[], title: string): Promise<ToolResult> {
    const refused = this.refusal(changes);
    if (refused) return refused;
    const stale = await this.findStale(changes);
    if (stale) return stale;
    let toWrite = changes.map((change) => ({ ...change }));
    const rejections: string[] = [];
    if (this.options.review) {
      const proposed: ProposedFileChange[] = changes.map((c) => ({ ...c, hunks: computeHunks(c.before, c.after) }));
      const mask = this.options.mask;
      const shown = mask ? proposed.map((c) => ({ ...c, hunks: c.hunks.map((h) => ({ ...h, lines: h.lines.map(mask) })) })) : proposed;
      const review = await this.options.approver.reviewChanges({ taskId: this.options.taskId, title, changes: shown }, this.options.signal);
      toWrite = this.selectAccepted(proposed, review, rejections);
      this.lastFeedback = review.feedback?.trim() || undefined;
      this.options.journal.append({
        type: 'review',
        accepted: review.files.reduce((n, f) => n + f.hunks.filter((h) => h.accepted).length, 0),
        rejected: review.files.reduce((n, f) => n + f.hunks.filter((h) => !h.accepted).length, 0),
        feedback: rejections,
      });
    }
    const written = toWrite.filter((change) => change.before !== change.after);
    const note = this.options.review && this.lastFeedback ? `\nThe person's note on this change: "${this.lastFeedback}"` : '';
    if (written.length) await this.options.ensureCheckpoint();
    for (const change of written) {
      if (change.after === null) await this.options.workspace.deleteFile(change.path);
      else await this.options.workspace.writeFileAtomic(change.path, change.after);
      this.known.set(change.path, change.after);
      this.options.changeSet.record(change);
      this.options.journal.append({ type: 'file_changed', change });
    }
    const result = this.describe(written, rejections);
    if (!note) return result;
    return result.ok ? { ...result, output: result.output + note } : { ...result, message: result.message + note };
  }

  /** Changes that are never written: a masked secret written back, a protected test file under auto. */
  private refusal(changes: FileChange[]): ToolResult | null {
    for (const change of changes) {
      if (change.after !== null && SECRET_MARKER_PATTERN.test(change.after) && !(change.before !== null && SECRET_MARKER_PATTERN.test(change.before))) {
        return failure('secret_marker', `The new content of ${change.path} contains a "[secret … hidden by Patchpilot]" marker. That text stands for a secret you were not shown; writing it would destroy the real value. Nothing was written: change only the lines around it (edit_file), leaving the secret's line as it is.`);
      }
      const testRefusal = this.options.testGuard?.refusal(change);
      if (testRefusal) return failure('test_file_protected', `${testRefusal} Nothing was written.`);
    }
    return null;
  }

  private async findStale(changes: FileChange[]): Promise<ToolResult | null> {
    for (const change of changes) {
      const { workspace } = this.options;
      const onDisk = (await workspace.exists(change.path)) ? (await workspace.readFile(change.path)).toString('utf8') : null;
      const known = this.known.has(change.path) ? this.known.get(change.path) : this.options.changeSet.lastWritten(change.path);
      if (known !== undefined && known !== onDisk) {
        return failure('file_changed_on_disk',
          `${change.path} was changed on disk by someone else since you last read it. Nothing was written. Read it again and redo the change on its current content.`);
      }
      if (onDisk !== change.before) {
        if (change.before === null) return failure('file_exists', `${change.path} already exists; read it and edit it instead of creating it.`);
        return failure('file_changed_on_disk', `${change.path} changed on disk while the edit was being prepared. Nothing was written; read it again.`);
      }
    }
    return null;
  }

  private selectAccepted(proposed: ProposedFileChange[], review: ChangeReview, rejections: string[]): FileChange[] {
    return proposed.map((change) => {
      const decision = review.files.find((f) => f.path === change.path);
      const accepted = new Set<number>();
      for (const hunk of change.hunks) {
        const verdict = decision?.hunks.find((h) => h.index === hunk.index);
        if (verdict?.accepted) accepted.add(hunk.index);
        else rejections.push(`${change.path} hunk ${hunk.index + 1} (@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@) rejected${verdict?.reason ? `: "${verdict.reason}"` : ''}`);
      }
      return { path: change.path, before: change.before, after: applyHunkSelection(change.before, change.after, accepted) };
    });
  }

  private describe(written: FileChange[], rejections: string[]): ToolResult {
    const lines = written.map((change) => {
      const hunks = computeHunks(change.before, change.after);
      const added = hunks.reduce((n, h) => n + h.lines.filter((l) => l.startsWith('+')).length, 0);
      const removed = hunks.reduce((n, h) => n + h.lines.filter((l) => l.startsWith('-')).length, 0);
      const verb = change.before === null ? 'created' : change.after === null ? 'deleted' : 'edited';
      return `${verb} ${change.path} (+${added} -${removed})`;
    });
    if (rejections.length === 0) return { ok: true, output: lines.join('\n') };
    const message = [
      written.length ? `Partly applied: ${lines.join('; ')}.` : 'Nothing was written.',
      'The person rejected:',
      ...rejections.map((r) => `- ${r}`),
      'Take the reasons into account before proposing another change.',
    ].join('\n');
    return written.length ? { ok: true, output: message } : failure('rejected_by_user', message);
  }
}
