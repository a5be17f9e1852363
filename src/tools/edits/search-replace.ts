// Applying search/replace pairs to one file's content: all pairs apply together in memory, or none do.
import { ambiguousError, editError, farFromHintError, indentationGuessError, noMatchError, type UnitName } from './errors';
import { farFromHint, HINT_WINDOW, shiftedHint, type LineShift } from './hints';
import { findAllAtLevel, locateLines, type LineMatch } from './line-match';
import { EditableText, type LineTable } from './line-table';
import { mayCarryLineHint, withoutEdgeBlankLines, withoutLineNumbers } from './pair-fallbacks';
import { guessesIndentation, renderReplacement } from './replacement';
import { closestCandidate } from './similarity';
import { convertEol, countNewlines, describeDocument, lineNumberAt, restoreBom, splitEditLines, type Eol } from './text';
import type { EditError, MatchStrategy, SearchReplacePair } from './types';

export type PairsResult = { ok: true; content: string; strategies: MatchStrategy[] } | { ok: false; error: EditError };

export interface PairSettings {
  path?: string;
  /** 1-based line where the first search text is expected; pairs may carry their own. */
  startLineHint?: number;
  /**
   * Refuse a unique match more than HINT_WINDOW lines from its hint (default true). Off for unified diffs, whose
   * `@@` numbers are approximate by the format's own convention (patch applies hunks at any offset).
   */
  refuseFarFromHint?: boolean;
  /** Search texts are whole lines (block and diff formats), never a part of a line. */
  lineAnchored?: boolean;
  /** Allow Unicode punctuation normalisation when matching (apply_patch). */
  punctuation?: boolean;
  /** Diff formats: lines common to both sides are context and always keep the file's bytes. */
  contextIsUnchanged?: boolean;
  /** editIndex of the first pair, when the pairs are a slice of a larger edit. */
  firstEditIndex?: number;
  unit?: UnitName;
}

interface PairContext extends PairSettings {
  eol: Eol;
  editIndex: number;
  /** Replacements of the earlier pairs, to carry hints written against the original file onto the current body. */
  shifts: readonly LineShift[];
  /** A later pair may carry a hint, so this pair's shifts are needed; otherwise no lines are counted for them. */
  needsShifts: boolean;
}

/** Success means `doc` now holds the pair's replacement; a failure or null leaves it untouched. */
type PairResult = { ok: true; strategy: MatchStrategy[]; shifts: LineShift[] } | { ok: false; error: EditError };
export type PairsApplied = { ok: true; strategies: MatchStrategy[] } | { ok: false; error: EditError };

/** Applies `pairs` in order to `content`; any failure returns the error and no content. */
export function applySearchReplacePairs(
  content: string,
  pairs: SearchReplacePair[],
  options: { path?: string; startLineHint?: number } = {},
): PairsResult {
  return applyPairsWith(content, pairs, { path: options.path, startLineHint: options.startLineHint });
}

export function applyPairsWith(content: string, pairs: SearchReplacePair[], settings: PairSettings): PairsResult {
  if (pairs.length === 0) return { ok: false, error: editError('malformed_edit', 'The edit contains no search/replace pairs.', { path: settings.path }) };
  const shape = describeDocument(content);
  const doc = new EditableText(shape.body);
  const applied = applyPairsTo(doc, pairs, settings, shape.eol);
  if (!applied.ok) return applied;
  return { ok: true, content: restoreBom(shape, doc.body()), strategies: applied.strategies };
}

/**
 * Applies `pairs` in order to a document the caller keeps, with `eol` as its line ending: a diff applies each hunk
 * this way to one shared document instead of re-reading the whole text per hunk. On failure `doc` may hold the
 * pairs before the failing one; callers then discard it.
 */
export function applyPairsTo(doc: EditableText, pairs: SearchReplacePair[], settings: PairSettings, eol: Eol): PairsApplied {
  const strategies: MatchStrategy[] = [];
  const shifts: LineShift[] = [];
  let lastHinted = pairs.length - 1;
  while (lastHinted >= 0 && !mayCarryLineHint(pairs[lastHinted])) lastHinted--;
  for (let i = 0; i < pairs.length; i++) {
    // The settings' hint says where the edit starts, so it belongs to the first pair only.
    const written = pairs[i].startLineHint ?? (i === 0 ? settings.startLineHint : undefined);
    const hint = written === undefined ? undefined : shiftedHint(written, shifts);
    const needsShifts = i < lastHinted;
    const result = applyPair(doc, pairs[i], { ...settings, startLineHint: hint, eol, editIndex: (settings.firstEditIndex ?? 0) + i, shifts, needsShifts });
    if (!result.ok) return result;
    strategies.push(...result.strategy);
    shifts.push(...result.shifts);
  }
  return { ok: true, strategies };
}

function applyPair(doc: EditableText, pair: SearchReplacePair, ctx: PairContext): PairResult {
  if (pair.search === '') {
    if (doc.body().trim() === '') {
      doc.setBody(convertEol(pair.replace, ctx.eol));
      return { ok: true, strategy: ['created'], shifts: [] };
    }
    return { ok: false, error: editError('malformed_edit', `Search text #${ctx.editIndex + 1} is empty, but ${ctx.path ?? 'the file'} is not empty; nothing was changed. Put the lines to replace (or the lines next to the insertion point) in the search text.`, { path: ctx.path, editIndex: ctx.editIndex }) };
  }
  if (pair.search === pair.replace) {
    return { ok: false, error: editError('no_op', `Search text #${ctx.editIndex + 1} and its replacement are identical; nothing to change.`, { path: ctx.path, editIndex: ctx.editIndex }) };
  }
  const direct = matchAndReplace(doc, pair, ctx);
  if (direct) return direct;
  const numbered = withoutLineNumbers(pair);
  if (numbered === 'mixed') {
    return { ok: false, error: editError('malformed_edit', `Search text #${ctx.editIndex + 1} has "N | " line-number prefixes, and only some replacement lines have them; nothing was changed. Remove the line numbers from both parts.`, { path: ctx.path, editIndex: ctx.editIndex }) };
  }
  let fallback = pair;
  if (numbered) {
    fallback = numbered.pair;
    const numberedHint = numbered.firstLine === undefined ? undefined : shiftedHint(numbered.firstLine, ctx.shifts);
    const retried = matchAndReplace(doc, fallback, { ...ctx, startLineHint: ctx.startLineHint ?? numberedHint });
    if (retried) return retried;
  }
  const trimmedPair = withoutEdgeBlankLines(fallback);
  if (trimmedPair) {
    const retried = matchAndReplace(doc, trimmedPair, ctx);
    if (retried) return retried;
  }
  const searchLines = splitEditLines(fallback.search);
  return { ok: false, error: noMatchError(ctx.path, ctx.editIndex, closestCandidate(doc.lines().texts, searchLines), ctx.unit) };
}

/** A found match (applied), an ambiguity (error), or null when nothing matched at any level. */
function matchAndReplace(doc: EditableText, pair: SearchReplacePair, ctx: PairContext): PairResult | null {
  if (!ctx.lineAnchored) {
    const bySubstring = substringStage(doc, pair, ctx);
    if (bySubstring) return bySubstring;
  }
  return lineStage(doc, pair, ctx);
}

function occurrences(body: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = body.indexOf(needle); at !== -1; at = body.indexOf(needle, at + 1)) found.push(at);
  return found;
}

function nonOverlapping(offsets: number[], length: number): number[] {
  const kept: number[] = [];
  for (const offset of offsets) if (kept.length === 0 || offset >= kept[kept.length - 1] + length) kept.push(offset);
  return kept;
}

function substringStage(doc: EditableText, pair: SearchReplacePair, ctx: PairContext): PairResult | null {
  const body = doc.body();
  const needles: Array<[string, MatchStrategy]> = [[pair.search, 'exact']];
  const converted = convertEol(pair.search, ctx.eol);
  if (converted !== pair.search) needles.push([converted, 'line-endings']);
  const replacement = convertEol(pair.replace, ctx.eol);
  for (const [needle, strategy] of needles) {
    const offsets = occurrences(body, needle);
    if (offsets.length === 0) continue;
    let chosen = pair.replaceAll ? nonOverlapping(offsets, needle.length) : offsets.length === 1 ? offsets : [];
    const strategies: MatchStrategy[] = [strategy];
    if (chosen.length === 0 && ctx.startLineHint !== undefined) {
      const picked = nearestToHint(lineNumbersAt(body, offsets), ctx.startLineHint);
      if (picked !== undefined) {
        chosen = [offsets[picked]];
        strategies.push('line-hint');
      }
    }
    if (chosen.length === 0) {
      return { ok: false, error: ambiguousError(ctx.path, ctx.editIndex, lineNumbersAt(body, offsets), splitEditLines(needle).length, ctx.unit) };
    }
    // Line numbers cost a scan up to the match, so they are counted only where a hint or a later pair reads them.
    if (!pair.replaceAll && ctx.startLineHint !== undefined) {
      const refusal = refusalFarFromHint(ctx, lineNumberAt(body, chosen[0]), splitEditLines(needle).length, () => doc.lines().texts);
      if (refusal) return refusal;
    }
    let result = body;
    const shifts: LineShift[] = [];
    const startLines = ctx.needsShifts ? lineNumbersAt(body, chosen) : [];
    for (let k = chosen.length - 1; k >= 0; k--) {
      const spliced = spliceSubstring(result, chosen[k], needle.length, replacement);
      result = spliced.body;
      if (ctx.needsShifts) shifts.unshift({ lastOldLine: startLines[k] + spliced.oldLastLineOffset, delta: spliced.lineDelta });
    }
    doc.setBody(result);
    return { ok: true, strategy: strategies, shifts: inBodyOrder(shifts) };
  }
  return null;
}
/** Shifts listed in file order, each moved into the numbering left by the ones before it, as shiftedHint expects. */
function inBodyOrder(shifts: LineShift[]): LineShift[] {
  let moved = 0;
  return shifts.map((shift) => {
    const placed = { lastOldLine: shift.lastOldLine + moved, delta: shift.delta };
    moved += shift.delta;
    return placed;
  });
}

/**
 * A unique match far from the author's start-line hint is refused: the hint is the author's claim about where the
 * text is, and a claim that far off means the file is not what the author last read (edited since, or another
 * copy of similar code). Applying would change a place the author did not look at; refusing costs one retry.
 */
function refusalFarFromHint(ctx: PairContext, startLine: number, length: number, fileLines: () => readonly string[]): PairResult | null {
  if (ctx.startLineHint === undefined || ctx.refuseFarFromHint === false || !farFromHint(startLine, ctx.startLineHint)) return null;
  const lines = fileLines().slice(startLine - 1, startLine - 1 + Math.max(1, length));
  return { ok: false, error: farFromHintError(ctx.path, ctx.editIndex, ctx.startLineHint, HINT_WINDOW, { startLine, lines, similarity: 1 }, ctx.unit) };
}

function nearestToHint(lines: number[], hint: number): number | undefined {
  const order = lines.map((line, index) => ({ index, distance: Math.abs(line - hint) })).sort((a, b) => a.distance - b.distance);
  if (order[0].distance > HINT_WINDOW) return undefined;
  if (order.length > 1 && order[1].distance === order[0].distance) return undefined;
  return order[0].index;
}

/** 1-based line numbers of ascending offsets, in one pass over the body. */
function lineNumbersAt(body: string, offsets: readonly number[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let scanned = 0;
  for (const offset of offsets) {
    if (offset > scanned) {
      line += countNewlines(body, scanned, offset);
      scanned = offset;
    }
    lines.push(line);
  }
  return lines;
}

function newlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

interface Spliced {
  body: string;
  /** Lines added (positive) or removed (negative). */
  lineDelta: number;
  /** The last replaced line, counted from the first. */
  oldLastLineOffset: number;
}

/**
 * Replaces exactly body[offset, offset+length). An empty replacement removes the matched bytes and nothing else:
 * a search for a line's text without its line ending leaves that (now empty) line in place, as a literal string
 * replacement does in every peer; to remove the whole line, the search includes its line ending.
 */
function spliceSubstring(body: string, offset: number, length: number, replacement: string): Spliced {
  const removed = body.slice(offset, offset + length);
  return {
    body: body.slice(0, offset) + replacement + body.slice(offset + length),
    lineDelta: newlines(replacement) - newlines(removed),
    oldLastLineOffset: newlines(removed.replace(/\r?\n$/, '')),
  };
}

function lineStage(doc: EditableText, pair: SearchReplacePair, ctx: PairContext): PairResult | null {
  const table = doc.lines();
  const fileLines = table.texts;
  const searchLines = splitEditLines(pair.search);
  const hint = ctx.startLineHint === undefined ? undefined : ctx.startLineHint - 1;
  const findExact = (search: readonly string[], from: number): number[] => table.findExact(search, from, hint);
  const located = locateLines(fileLines, searchLines, { hint, hintWindow: HINT_WINDOW, punctuation: ctx.punctuation, findExact });
  if (located.kind === 'none') return null;
  if (located.kind === 'ambiguous') {
    return { ok: false, error: ambiguousError(ctx.path, ctx.editIndex, located.starts.map((s) => s + 1), searchLines.length, ctx.unit) };
  }
  const matches = pair.replaceAll ? nonOverlappingMatches(findAllAtLevel(fileLines, searchLines, located.match.level)) : [located.match];
  if (!pair.replaceAll && !located.byHint) {
    const refusal = refusalFarFromHint(ctx, located.match.start + 1, located.match.length, () => fileLines);
    if (refusal) return refusal;
  }
  const replaceLines = splitEditLines(pair.replace);
  const rendered = matches.map((match) =>
    keepsLineEnding(pair, ctx, table, match, replaceLines)
      ? ['']
      : renderReplacement(fileLines.slice(match.start, match.start + match.length), searchLines, replaceLines, match, ctx.contextIsUnchanged));
  if (ctx.lineAnchored && guessesIndentation(searchLines, replaceLines, rendered[0], located.match.level)) {
    const match = located.match;
    return { ok: false, error: indentationGuessError(ctx.path, ctx.editIndex, { startLine: match.start + 1, lines: fileLines.slice(match.start, match.start + 1), similarity: 1 }, ctx.unit) };
  }
  // Last match first, so the line numbers of the ones before it still hold.
  for (let k = matches.length - 1; k >= 0; k--) doc.replaceLines(matches[k].start, matches[k].length, rendered[k], ctx.eol);
  const shifts = inBodyOrder(matches.map((match, k) => ({ lastOldLine: match.start + match.length, delta: rendered[k].length - match.length })));
  const strategy = strategyOf(located.match, pair.search, ctx.eol);
  return { ok: true, strategy: located.byHint ? [strategy, 'line-hint'] : [strategy], shifts };
}

/**
 * A fragment search (str-replace) without a final line ending, emptied: the line ending after the match is not
 * part of the match, so it stays and leaves one empty line, as the substring stage does for the same text.
 * Block and diff searches are whole lines with their line endings, and remove them.
 */
function keepsLineEnding(pair: SearchReplacePair, ctx: PairContext, table: LineTable, match: LineMatch, replaceLines: readonly string[]): boolean {
  if (ctx.lineAnchored || replaceLines.length > 0 || /\n$/.test(pair.search)) return false;
  return table.endsWithNewline(match.start + match.length - 1);
}

function nonOverlappingMatches(matches: LineMatch[]): LineMatch[] {
  const kept: LineMatch[] = [];
  for (const match of matches) if (kept.length === 0 || match.start >= kept[kept.length - 1].start + match.length) kept.push(match);
  return kept;
}

function strategyOf(match: LineMatch, search: string, eol: Eol): MatchStrategy {
  if (match.level !== 'exact') return match.level;
  return convertEol(search, eol) === search ? 'exact' : 'line-endings';
}
