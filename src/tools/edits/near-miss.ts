// The last fallback for a search of several whole lines: a block the model copied with a small slip in one line
// (`result` for `results`, a missing comma). Accepted only where the slip cannot hide a place or a change: the
// block's first and last lines match, exactly one window qualifies, and every line that differs is rewritten by
// the replacement (kept as it is, it would set the file line back to the model's stale copy).
import { ambiguousError } from './errors';
import { uniformIndentDelta } from './indent';
import { collapseWhitespace } from './line-match';
import type { EditableText } from './line-table';
import { inBodyOrder, refusalFarFromHint, type PairContext, type PairResult } from './pair-context';
import { renderReplacement } from './replacement';
import { similarity } from './similarity';
import { splitEditLines } from './text';
import type { SearchReplacePair } from './types';

/** A block this short has too few matching lines to vouch for the one that does not match. */
const MIN_LINES = 4;
/** At most one differing line per this many lines of the block. */
const LINES_PER_SLIP = 4;
/** How alike a differing line must be to its file line (whitespace collapsed): a slip, not another line. */
const SLIP_SIMILARITY = 0.8;

interface NearMiss {
  start: number;
  /** Indexes (into the search) of the lines that differ. */
  slips: number[];
}

/** The lines of the window that differ from the search once whitespace is collapsed, or null if it does not qualify. */
function slipsAt(file: readonly string[], search: readonly string[], start: number): number[] | null {
  const slips: number[] = [];
  const allowed = Math.floor(search.length / LINES_PER_SLIP);
  for (let i = 0; i < search.length; i++) {
    const a = collapseWhitespace(file[start + i]);
    const b = collapseWhitespace(search[i]);
    if (a === b) continue;
    const endLine = i === 0 || i === search.length - 1;
    if (endLine || a === '' || b === '' || slips.length === allowed || similarity(a, b) < SLIP_SIMILARITY) return null;
    slips.push(i);
  }
  return slips;
}

/** Whether the line, trimmed, starts with `head` and ends with `tail`: a cheap test before collapsing it. */
function framedBy(line: string, head: string, tail: string): boolean {
  const text = line.trim();
  return text.startsWith(head) && text.endsWith(tail);
}

function nearMisses(file: readonly string[], search: readonly string[]): NearMiss[] {
  const first = collapseWhitespace(search[0]);
  const head = first.slice(0, 1);
  const tail = first.slice(-1);
  const found: NearMiss[] = [];
  for (let start = 0; start + search.length <= file.length; start++) {
    if (!framedBy(file[start], head, tail) || collapseWhitespace(file[start]) !== first) continue;
    const slips = slipsAt(file, search, start);
    if (slips) found.push({ start, slips });
  }
  return found;
}

/** How alike the replacement's version of a slipped line must be to it: the same line, edited. */
const REWRITE_SIMILARITY = 0.5;

/**
 * Whether the replacement rewrites every differing line: none is kept as it is (applying would write the stale
 * copy), and each has a new line in the replacement that is still recognisably it. That is the evidence the
 * model was changing that very line, so its slip there loses nothing; a block deleted or replaced by
 * something else entirely gives no such evidence.
 */
function rewritesSlips(search: readonly string[], replace: readonly string[], slips: readonly number[]): boolean {
  const searchLines = new Set(search.map(collapseWhitespace));
  const replaceLines = replace.map(collapseWhitespace);
  const added = replaceLines.filter((line) => !searchLines.has(line));
  return slips.every((i) => {
    const stale = collapseWhitespace(search[i]);
    return !replaceLines.includes(stale) && added.some((line) => similarity(line, stale) >= REWRITE_SIMILARITY);
  });
}

/**
 * Finds a block of whole lines that matches but for one slip per four lines, and applies the replacement there.
 * Not for diffs, whose context lines must match as written, nor for replace_all.
 */
export function nearMissStage(doc: EditableText, pair: SearchReplacePair, ctx: PairContext): PairResult | null {
  if (ctx.contextIsUnchanged || pair.replaceAll) return null;
  const search = splitEditLines(pair.search);
  if (search.filter((line) => line.trim() !== '').length < MIN_LINES) return null;
  const file = doc.lines().texts;
  const found = nearMisses(file, search);
  if (found.length === 0) return null;
  if (found.length > 1) {
    return { ok: false, error: ambiguousError(ctx.path, ctx.editIndex, found.map((miss) => miss.start + 1), search.length, ctx.unit) };
  }
  const [{ start, slips }] = found;
  const far = refusalFarFromHint(ctx, start + 1, search.length, () => file);
  if (far) return far;
  const replace = splitEditLines(pair.replace);
  if (!rewritesSlips(search, replace, slips)) return null;
  const matched = file.slice(start, start + search.length);
  // The indentation shift is read from the lines that match; a slipped line says nothing about it.
  const delta = uniformIndentDelta(matched, search.map((line, i) => (slips.includes(i) ? '' : line)));
  if (!delta) return null;
  const rendered = renderReplacement(matched, search, replace, { delta, level: 'indentation' });
  doc.replaceLines(start, search.length, rendered, ctx.eol);
  return { ok: true, strategy: ['near-miss'], shifts: inBodyOrder([{ lastOldLine: start + search.length, delta: rendered.length - search.length }]) };
}
