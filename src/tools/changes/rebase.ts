// Three-way hunk application: a background task's change (its worktree's file before and after) turned into hunks
// against what the person has in their own file *now*. A hunk whose lines the person did not touch applies at its new
// position (the person's edits elsewhere only shift it); a hunk whose lines (or their immediate neighbours) the person
// changed is a conflict: it is never forced, and the reason says what happened. Byte-exact: every line keeps its own
// ending, so CRLF, a BOM and a missing final newline survive; binary files are all-or-nothing.
import { diffArrays } from 'diff';
import type { HunkView } from './types';
import { splitKeepingEols } from './hunks';

/** A hunk against the person's current file; `conflict` set means it cannot be applied (and why). */
export interface RebasedHunk extends HunkView {
  conflict?: string;
}

/** One changed path of a task, rebased onto the person's current file. */
export interface RebasedFile {
  path: string;
  kind: 'text' | 'binary';
  /** The person's file now (null: absent): what the hunks are against and what accepting nothing leaves. */
  current: Buffer | null;
  /** Applicable and conflicting hunks; empty when the person's file already has the task's content. */
  hunks: RebasedHunk[];
  /** The person's file now, as text (null when absent or binary): the "before" of the review. */
  currentText: string | null;
  /** The file with every applicable hunk accepted, as text (null when absent or binary): the "after" of the review. */
  resultText: string | null;
}

/** What the task changed: the worktree's content at its base and now (null: absent). */
export interface TaskFileChange {
  path: string;
  before: Buffer | null;
  after: Buffer | null;
}

export interface ApplyOutcome {
  /** What the person's file should become (null: deleted); equal to `current` when nothing was applied. */
  content: Buffer | null;
  applied: number[];
  refused: { index: number; reason: string }[];
}

const CONTEXT = 3;

/** A changed stretch of the base: lines [start, end) of the base replaced by `lines`. */
interface Region {
  start: number;
  end: number;
  lines: string[];
}

/** The positions a rebased text hunk needs to be applied: its agent region, mapped into the person's file. */
interface Placement {
  index: number;
  at: number;
  region: Region;
}

/** What applyRebased needs beyond the review's view: text placements, or the task's bytes for a whole-file hunk. */
const internals = new WeakMap<RebasedFile, { placed?: Placement[]; after?: Buffer | null }>();

/** Text when the bytes are NUL-free UTF-8 that decodes and re-encodes to the same bytes; otherwise binary. */
export function asText(bytes: Buffer | null): string | null | undefined {
  if (bytes === null) return null;
  if (bytes.subarray(0, 8192).includes(0)) return undefined;
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : undefined;
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}

/** The changed stretches between two line lists, in order, never overlapping or touching (a common line between). */
function regionsBetween(base: string[], next: string[]): Region[] {
  const regions: Region[] = [];
  let at = 0;
  let open: Region | undefined;
  for (const part of diffArrays(base, next)) {
    if (!part.added && !part.removed) {
      if (open) regions.push(open);
      open = undefined;
      at += part.count ?? part.value.length;
      continue;
    }
    open ??= { start: at, end: at, lines: [] };
    if (part.removed) {
      open.end += part.count ?? part.value.length;
      at += part.count ?? part.value.length;
    } else {
      open.lines.push(...part.value);
    }
  }
  if (open) regions.push(open);
  return regions;
}

/** Touching counts as overlapping: a change right beside the person's edit is theirs to merge, as git does. */
function touches(a: Region, b: Region): boolean {
  return b.start <= a.end && a.start <= b.end;
}

function sameRegion(a: Region, b: Region): boolean {
  return a.start === b.start && a.end === b.end && a.lines.length === b.lines.length && a.lines.every((line, i) => line === b.lines[i]);
}

const bare = (line: string): string => (line.endsWith('\n') ? line.slice(0, -1) : line);

function lineRange(start: number, end: number): string {
  return end - start <= 1 ? `line ${start + 1}` : `lines ${start + 1}–${end}`;
}

/** Rebases one file's change onto the person's current content (see the module comment for the rules). */
export function rebaseChange(change: TaskFileChange, current: Buffer | null): RebasedFile {
  const before = asText(change.before);
  const after = asText(change.after);
  const now = asText(current);
  if (before === undefined || after === undefined || now === undefined) return rebaseWhole(change, current, 'binary');
  if (before === null || after === null || now === null) return rebaseWhole(change, current, 'text');
  return rebaseText(change.path, before, after, now, current as Buffer);
}

function rebaseText(path: string, before: string, after: string, now: string, current: Buffer): RebasedFile {
  const base = splitKeepingEols(before);
  const ours = splitKeepingEols(after);
  const theirs = splitKeepingEols(now);
  const person = regionsBetween(base, theirs);
  const hunks: RebasedHunk[] = [];
  const placed: Placement[] = [];
  let shift = 0; // how far the result has moved against the person's file, from the applicable hunks so far
  regionsBetween(base, ours).forEach((region, index) => {
    const clashing = person.filter((edit) => touches(region, edit));
    if (clashing.length === 1 && sameRegion(region, clashing[0])) return; // the person made the same change
    if (clashing.length > 0) {
      const first = clashing[0];
      const last = clashing[clashing.length - 1];
      hunks.push({
        ...hunkBody(index, base, region, region.start, shift),
        conflict: `You changed ${lineRange(first.start, Math.max(last.end, first.start + 1))} of the task's starting version of ${path} since the task started; ` +
          'this hunk touches them, so it is not applied. Merge it by hand if you want it.',
      });
      return;
    }
    // Every edit of the person before this region moves it by that edit's net line count.
    const at = region.start + person.filter((edit) => edit.end <= region.start).reduce((sum, edit) => sum + edit.lines.length - (edit.end - edit.start), 0);
    hunks.push(hunkBody(index, theirs, region, at, shift));
    placed.push({ index, at, region });
    shift += region.lines.length - (region.end - region.start);
  });
  const file: RebasedFile = { path, kind: 'text', current, hunks, currentText: now, resultText: null };
  internals.set(file, { placed });
  file.resultText = joinApplied(theirs, placed, new Set(placed.map((p) => p.index)));
  return file;
}

/** The hunk's unified body: up to three lines of context from `context` around `at`, the removed and added lines. */
function hunkBody(index: number, context: string[], region: Region, at: number, shift: number): HunkView {
  const removed = region.end - region.start;
  const from = Math.max(0, at - CONTEXT);
  const to = Math.min(context.length, at + removed + CONTEXT);
  const lines = [
    ...context.slice(from, at).map((line) => ` ${bare(line)}`),
    ...context.slice(at, at + removed).map((line) => `-${bare(line)}`),
    ...region.lines.map((line) => `+${bare(line)}`),
    ...context.slice(at + removed, to).map((line) => ` ${bare(line)}`),
  ];
  const oldLines = to - from;
  const newLines = oldLines - removed + region.lines.length;
  return { index, oldStart: from + 1, oldLines, newStart: from + 1 + shift, newLines, lines };
}

function joinApplied(theirs: string[], placed: Placement[], accepted: ReadonlySet<number>): string {
  const out: string[] = [];
  let copied = 0;
  for (const { index, at, region } of placed) {
    if (!accepted.has(index)) continue;
    out.push(...theirs.slice(copied, at), ...region.lines);
    copied = at + (region.end - region.start);
  }
  out.push(...theirs.slice(copied));
  return out.join('');
}

/** Created, deleted and binary files: one hunk for the whole file, applicable only where the person left it alone. */
function rebaseWhole(change: TaskFileChange, current: Buffer | null, kind: 'text' | 'binary'): RebasedFile {
  const file: RebasedFile = {
    path: change.path, kind, current, hunks: [],
    currentText: kind === 'text' ? (asText(current) ?? null) : null, resultText: null,
  };
  internals.set(file, { after: change.after });
  if (sameBytes(current, change.after)) {
    file.resultText = file.currentText;
    return file; // the person's file already is what the task made
  }
  const hunk = wholeFileHunk(change.before, change.after, kind);
  const conflict = sameBytes(current, change.before) ? undefined : wholeFileConflict(change, current, kind);
  file.hunks.push(conflict ? { ...hunk, conflict } : hunk);
  file.resultText = kind === 'text' ? (conflict ? file.currentText : (asText(change.after) ?? null)) : null;
  return file;
}

function wholeFileConflict(change: TaskFileChange, current: Buffer | null, kind: 'text' | 'binary'): string {
  if (change.before === null) return `You created ${change.path} too, with other content, since the task started; the task's version is not applied.`;
  if (current === null) return `You deleted ${change.path} since the task started; the task's change to it is not applied.`;
  if (change.after === null) return `You changed ${change.path} since the task started; the task deletes it, so that is not applied.`;
  return kind === 'binary'
    ? `${change.path} is a binary file you changed since the task started; binary files cannot be merged, so the task's version is not applied.`
    : `You changed ${change.path} since the task started; the task's change is not applied.`;
}

function wholeFileHunk(before: Buffer | null, after: Buffer | null, kind: 'text' | 'binary'): HunkView {
  const describe = (bytes: Buffer | null): string[] => {
    if (bytes === null) return [];
    const text = kind === 'text' ? asText(bytes) : undefined;
    return typeof text === 'string' ? splitKeepingEols(text).map(bare) : [`(binary, ${bytes.length} bytes)`];
  };
  const removed = describe(before).map((line) => `-${line}`);
  const added = describe(after).map((line) => `+${line}`);
  return {
    index: 0, oldStart: removed.length ? 1 : 0, oldLines: removed.length, newStart: added.length ? 1 : 0, newLines: added.length,
    lines: [...removed, ...added],
  };
}

/**
 * The person's file with exactly the accepted hunks applied. A conflicting hunk is refused with its reason, never
 * forced. `rebased` must be fresh (rebase again when the person's file may have changed since; hunk indices are the
 * task's own and stay the same, so decisions made on an older review still name the same hunks).
 */
export function applyRebased(rebased: RebasedFile, accepted: ReadonlySet<number>): ApplyOutcome {
  const refused = rebased.hunks.filter((hunk) => hunk.conflict && accepted.has(hunk.index)).map((hunk) => ({ index: hunk.index, reason: hunk.conflict as string }));
  const inner = internals.get(rebased);
  if (inner?.placed) {
    const applied = inner.placed.filter((p) => accepted.has(p.index)).map((p) => p.index);
    if (applied.length === 0) return { content: rebased.current, applied, refused };
    const theirs = splitKeepingEols(rebased.currentText ?? '');
    return { content: Buffer.from(joinApplied(theirs, inner.placed, accepted), 'utf8'), applied, refused };
  }
  const whole = rebased.hunks[0];
  if (!whole || whole.conflict || !accepted.has(whole.index)) return { content: rebased.current, applied: [], refused };
  return { content: inner?.after ?? null, applied: [whole.index], refused };
}
