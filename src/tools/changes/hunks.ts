// Hunks of one file's change: computed for review, applied selectively byte-exact, and printed as a git-style diff.
import { structuredPatch, type StructuredPatchHunk } from 'diff';
import type { HunkView } from './types';

const NO_NEWLINE_MARKER = '\\';

/**
 * Splits text into lines that keep their terminators ('\n' or '\r\n'), the same tokens jsdiff compares,
 * so hunk positions index straight into these arrays and unchanged lines are byte-identical on both sides.
 */
export function splitKeepingEols(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
    lines.push(text.slice(start, newline + 1));
    start = newline + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

function diffHunks(before: string, after: string, context: number): StructuredPatchHunk[] {
  return structuredPatch('a', 'b', before, after, undefined, undefined, { context }).hunks;
}

/** A created or deleted file is one hunk: accepting half of a creation makes no sense. */
function wholeFileHunk(before: string | null, after: string | null): HunkView {
  const sign = before === null ? '+' : '-';
  const lines = splitKeepingEols((before ?? after) as string).map((line) => sign + (line.endsWith('\n') ? line.slice(0, -1) : line));
  const count = lines.length;
  return before === null
    ? { index: 0, oldStart: 0, oldLines: 0, newStart: count > 0 ? 1 : 0, newLines: count, lines }
    : { index: 0, oldStart: count > 0 ? 1 : 0, oldLines: count, newStart: 0, newLines: 0, lines };
}

/**
 * The hunks between two versions of a file; null = the file is absent on that side.
 * Line numbers are 1-based and point at the hunk's first line on each side (jsdiff's convention, also for
 * empty sides). Lines keep a trailing '\r' when the file has CRLF endings; "\ No newline" markers are left out.
 */
export function computeHunks(before: string | null, after: string | null, context = 3): HunkView[] {
  if (before === after) return [];
  if (before === null || after === null) return [wholeFileHunk(before, after)];
  return diffHunks(before, after, context).map((hunk, index) => ({
    index,
    oldStart: hunk.oldStart,
    oldLines: hunk.oldLines,
    newStart: hunk.newStart,
    newLines: hunk.newLines,
    lines: hunk.lines.filter((line) => !line.startsWith(NO_NEWLINE_MARKER)),
  }));
}

/**
 * The pre-image with exactly the accepted hunks applied (indices as computeHunks returns them for the same
 * inputs and context). Byte-exact: every line is copied from `before` or `after` with its own ending, so CRLF,
 * a BOM and a missing final newline survive. All accepted gives `after`, none gives `before`.
 */
export function applyHunkSelection(
  before: string | null,
  after: string | null,
  accepted: ReadonlySet<number>,
  context = 3,
): string | null {
  if (before === after) return before;
  if (before === null || after === null) return accepted.has(0) ? after : before;
  const oldLines = splitKeepingEols(before);
  const newLines = splitKeepingEols(after);
  const result: string[] = [];
  let copiedUpTo = 0; // index into oldLines of the first line not yet copied
  diffHunks(before, after, context).forEach((hunk, index) => {
    const oldFrom = hunk.oldStart - 1;
    result.push(...oldLines.slice(copiedUpTo, oldFrom));
    if (accepted.has(index)) {
      result.push(...newLines.slice(hunk.newStart - 1, hunk.newStart - 1 + hunk.newLines));
    } else {
      result.push(...oldLines.slice(oldFrom, oldFrom + hunk.oldLines));
    }
    copiedUpTo = oldFrom + hunk.oldLines;
  });
  result.push(...oldLines.slice(copiedUpTo));
  return result.join('');
}

/** A git hunk range: `start,count`, with `,1` left out and the start of an empty side being the line before it. */
function formatRange(start: number, count: number): string {
  if (count === 0) return `${Math.max(0, start - 1)},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}

function hunkBodyFor(before: string | null, after: string | null): StructuredPatchHunk[] {
  // Absent and empty diff the same way; the headers say which it was.
  return diffHunks(before ?? '', after ?? '', 3);
}

/** Git-style unified diff text for reports and the CLI review; /dev/null marks an added or deleted file. */
export function unifiedDiff(path: string, before: string | null, after: string | null): string {
  if (before === after) return '';
  const out = [`diff --git a/${path} b/${path}`];
  // The mode is not tracked here; git needs these lines to create or delete the file when applying the diff.
  if (before === null) out.push('new file mode 100644');
  if (after === null) out.push('deleted file mode 100644');
  out.push(before === null ? '--- /dev/null' : `--- a/${path}`);
  out.push(after === null ? '+++ /dev/null' : `+++ b/${path}`);
  for (const hunk of hunkBodyFor(before, after)) {
    out.push(`@@ -${formatRange(hunk.oldStart, hunk.oldLines)} +${formatRange(hunk.newStart, hunk.newLines)} @@`);
    out.push(...hunk.lines);
  }
  return `${out.join('\n')}\n`;
}
