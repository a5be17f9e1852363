// A background task's change set, reviewed against the person's files as they are now: the worktree's changes (its
// project memory included) rebased onto the person's current content, shown as hunks (conflicts marked), and the
// accepted ones written into the person's files — after rebasing once more, so an edit the person made while the
// review was open is never overwritten. No 'vscode' here: the host and the tests drive it the same way.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProposedFileChange } from '../../agent/ports';
import { readFileAtCheckpoint } from './checkpoint';
import { applyRebased, rebaseChange, type RebasedFile, type TaskFileChange } from './rebase';
import { worktreeChanges, type TaskWorktree } from './worktrees';

/** The project memory file: excluded from worktreeChanges (Patchpilot's bookkeeping) but part of what a task proposes. */
const MEMORY_PATH = '.patchpilot/memory.md';

export interface ReviewOptions {
  /** Paths the task may never write into the person's files (secrets, credentials): shown as conflicts. */
  isProtected?: (relative: string) => boolean;
}

export interface ApplyReport {
  written: string[];
  refused: { path: string; index: number; reason: string }[];
}

/** What the task changed in its worktree, its memory note(s) included. */
export async function taskChanges(worktree: TaskWorktree): Promise<TaskFileChange[]> {
  const changes: TaskFileChange[] = await worktreeChanges(worktree);
  const before = await readFileAtCheckpoint(worktree.path, { ref: '', commit: worktree.baseCommit }, MEMORY_PATH).catch(() => null);
  const full = path.join(worktree.path, MEMORY_PATH);
  const after = fs.existsSync(full) ? fs.readFileSync(full) : null;
  if (!(before === null ? after === null : after !== null && before.equals(after))) changes.push({ path: MEMORY_PATH, before, after });
  return changes;
}

function insideRoot(root: string, relative: string): string {
  const full = path.resolve(root, relative);
  if (path.isAbsolute(relative) || !full.startsWith(path.resolve(root) + path.sep)) throw new Error(`${relative} is outside the workspace.`);
  return full;
}

function readCurrent(root: string, relative: string): Buffer | null {
  const full = insideRoot(root, relative);
  const stat = fs.lstatSync(full, { throwIfNoEntry: false });
  return stat?.isFile() ? fs.readFileSync(full) : null;
}

/** Each change rebased onto the person's current file; a protected path is one conflict hunk that says so. */
export function rebaseOntoWorkspace(root: string, changes: TaskFileChange[], options: ReviewOptions = {}): RebasedFile[] {
  return changes.map((change) => {
    const rebased = rebaseChange(change, readCurrent(root, change.path));
    if (!options.isProtected?.(change.path)) return rebased;
    const reason = `${change.path} is a protected path: a background task's change to it is never applied to your files.`;
    return { ...rebased, hunks: rebased.hunks.map((hunk) => ({ ...hunk, conflict: reason })) };
  }).filter((file) => file.hunks.length > 0);
}

/** The review's view of rebased files: "before" is the person's file now, "after" it with every applicable hunk. */
export function proposedChanges(files: RebasedFile[]): ProposedFileChange[] {
  return files.map((file) => {
    if (file.kind === 'binary') {
      const size = (bytes: Buffer | null) => (bytes === null ? null : `(binary file, ${bytes.length} bytes)`);
      return { path: file.path, before: size(file.current), after: file.hunks.every((h) => h.conflict) ? size(file.current) : '(binary file, the task\'s version)', hunks: file.hunks };
    }
    return { path: file.path, before: file.currentText, after: file.resultText, hunks: file.hunks };
  });
}

/**
 * Writes the accepted hunks into the person's files. Each file is rebased again on its content now: a hunk that
 * became a conflict meanwhile is refused with its reason; indices are the task's own, so they still name the same hunks.
 */
/** A person's review of a separate task's change, applied: what was written, and a one-line account of it. */
export async function applyReviewedHunks(root: string, changes: TaskFileChange[], files: readonly { path: string; hunks: readonly { index: number; accepted: boolean }[] }[],
  options: ReviewOptions = {}): Promise<ApplyReport & { message: string }> {
  const accepted = new Map(files.map((file) => [file.path, new Set(file.hunks.filter((h) => h.accepted).map((h) => h.index))]));
  const report = await applyAccepted(root, changes, accepted, options);
  const refused = report.refused.map((r) => `${r.path} hunk ${r.index + 1}: ${r.reason}`);
  const message = `${report.written.length ? `Applied to ${report.written.join(', ')}.` : 'Nothing applied.'}${refused.length ? ` Not applied: ${refused.join('; ')}` : ''}`;
  return { ...report, message };
}

export async function applyAccepted(root: string, changes: TaskFileChange[], accepted: ReadonlyMap<string, ReadonlySet<number>>,
  options: ReviewOptions = {}): Promise<ApplyReport> {
  const report: ApplyReport = { written: [], refused: [] };
  for (const change of changes) {
    const wanted = accepted.get(change.path);
    if (!wanted || wanted.size === 0) continue;
    if (options.isProtected?.(change.path)) {
      for (const index of wanted) report.refused.push({ path: change.path, index, reason: `${change.path} is a protected path.` });
      continue;
    }
    const current = readCurrent(root, change.path);
    const outcome = applyRebased(rebaseChange(change, current), wanted);
    report.refused.push(...outcome.refused.map((r) => ({ path: change.path, ...r })));
    if (outcome.applied.length === 0) continue;
    await writeOrDelete(insideRoot(root, change.path), outcome.content);
    report.written.push(change.path);
  }
  return report;
}

/** Atomic: a temp file beside the target, then rename, so an editor never reads half a file. */
async function writeOrDelete(full: string, content: Buffer | null): Promise<void> {
  if (content === null) {
    await fs.promises.rm(full, { force: true });
    return;
  }
  await fs.promises.mkdir(path.dirname(full), { recursive: true });
  const temp = `${full}.patchpilot-${process.pid}-${Date.now().toString(36)}.tmp`;
  const mode = fs.statSync(full, { throwIfNoEntry: false })?.mode;
  await fs.promises.writeFile(temp, content, mode === undefined ? undefined : { mode });
  await fs.promises.rename(temp, full);
}
