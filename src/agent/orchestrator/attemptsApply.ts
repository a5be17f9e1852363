// An attempt's worktree changes made ready for the person's tree: text file changes the writer can apply, and the
// paths that cannot be applied — a file the person changed since the checkpoint (never overwritten), a binary file.
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { join } from 'node:path';
import { computeHunks, unifiedDiff } from '../../tools/changes/hunks';
import type { WorktreeChange } from '../../tools/changes/worktrees';
import type { FileChange } from '../../tools/edits/types';

export interface PreparedChanges {
  changes: FileChange[];
  conflicts: { path: string; reason: string }[];
}

function asText(content: Buffer | null): string | null | undefined {
  if (content === null) return null;
  return isUtf8(content) && !content.includes(0) ? content.toString('utf8') : undefined;
}

function onDisk(root: string, relative: string): Buffer | null {
  const absolute = join(root, relative);
  return existsSync(absolute) && lstatSync(absolute).isFile() ? readFileSync(absolute) : null;
}

function sameContent(a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}

/** Splits an attempt's changes into those to apply in `root` and those left alone, with the reason. */
export function prepareForPersonTree(root: string, changes: readonly WorktreeChange[]): PreparedChanges {
  const prepared: PreparedChanges = { changes: [], conflicts: [] };
  for (const change of changes) {
    const before = asText(change.before);
    const after = asText(change.after);
    if (before === undefined || after === undefined) {
      prepared.conflicts.push({ path: change.path, reason: 'a binary file: not applied (only text changes are reviewed and applied)' });
      continue;
    }
    if (!sameContent(onDisk(root, change.path), change.before)) {
      prepared.conflicts.push({ path: change.path, reason: 'you changed this file while the attempts ran; it was left as it is' });
      continue;
    }
    prepared.changes.push({ path: change.path, before, after });
  }
  return prepared;
}

/** The changes as unified diffs, for the report and the journal. */
export function diffsOf(changes: readonly WorktreeChange[]): { path: string; diff: string }[] {
  return changes.map((change) => {
    const before = asText(change.before);
    const after = asText(change.after);
    if (before === undefined || after === undefined) return { path: change.path, diff: `Binary file ${change.path} changed\n` };
    return { path: change.path, diff: unifiedDiff(change.path, before, after) };
  });
}

/** Lines added plus lines removed (a binary file counts as one line). */
export function changedLines(changes: readonly WorktreeChange[]): number {
  let total = 0;
  for (const change of changes) {
    const before = asText(change.before);
    const after = asText(change.after);
    if (before === undefined || after === undefined) {
      total += 1;
      continue;
    }
    for (const hunk of computeHunks(before, after)) total += hunk.lines.filter((line) => line.startsWith('+') || line.startsWith('-')).length;
  }
  return total;
}
