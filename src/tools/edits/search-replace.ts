// Applying search/replace pairs to one file's content: all pairs apply together in memory, or none do.
import { ambiguousError, editError, indentationGuessError, labelled, noMatchError } from './errors';
import { HINT_WINDOW, shiftedHint, type LineShift } from './hints';
import { findAllAtLevel, locateLines, type LineLevel, type LineMatch } from './line-match';
import { EditableText, type LineTable } from './line-table';
import { inBodyOrder, refusalFarFromHint, type PairContext, type PairResult, type PairSettings, type PairsApplied } from './pair-context';
import { mayCarryLineHint, withoutEdgeBlankLines, withoutGutter, withoutLineNumbers } from './pair-fallbacks';
import { guessesIndentation, renderReplacement } from './replacement';
import { unescapeModelText } from './escapes';
import { closestCandidate } from './similarity';
import { nearMissStage } from './near-miss';
import { spacingStage } from './spacing-stage';
import { substringStage, unescapedStage } from './substring-stage';
import { convertEol, describeDocument, restoreBom, splitEditLines, type Eol } from './text';
import type { ClosestCandidate, EditError, MatchStrategy, SearchReplacePair } from './types';

export type { PairSettings, PairsApplied } from './pair-context';

export type PairsResult = { ok: true; content: string; strategies: MatchStrategy[] } | { ok: false; error: EditError };

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

function applyPair(doc: EditableText, pair: SearchReplacePair, outer: PairContext): PairResult {
  const ctx: PairContext = { ...outer, unit: labelled(outer.unit ?? 'Search text', splitEditLines(pair.search)) };
  if (pair.search === '') return emptySearch(doc, pair, ctx);
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
  const gutterless = numbered ? null : withoutGutter(pair);
  if (gutterless) {
    const retried = matchAndReplace(doc, gutterless, ctx);
    if (retried) return retried;
  }
  const trimmedPair = withoutEdgeBlankLines(fallback);
  if (trimmedPair) {
    const retried = matchAndReplace(doc, trimmedPair, ctx);
    if (retried) return retried;
  }
  const reread = unescapedStage(doc, pair, ctx) ?? spacingStage(doc, fallback, ctx) ?? nearMissStage(doc, fallback, ctx);
  if (reread) return reread;
  return { ok: false, error: noMatchError(ctx.path, ctx.editIndex, closestToSearch(doc, fallback, ctx), ctx.unit, splitEditLines(fallback.search)) };
}

/**
 * An empty search creates an empty file; with an explicit start line (Roo's `:start_line:`, the caller's hint) it
 * inserts the replacement before that line, the way a unified diff's `-N,0` hunk does. Without one, a non-empty
 * file gives no place to put it, and guessing (Continue prepends, aider appends) could land anywhere.
 */
function emptySearch(doc: EditableText, pair: SearchReplacePair, ctx: PairContext): PairResult {
  if (doc.body().trim() === '') {
    doc.setBody(convertEol(pair.replace, ctx.eol));
    return { ok: true, strategy: ['created'], shifts: [] };
  }
  const lines = doc.lines().length;
  const hint = ctx.startLineHint;
  if (hint === undefined || !Number.isInteger(hint) || hint < 1 || hint > lines + 1) {
    const range = hint === undefined ? '' : ` Its start line ${hint} is outside the file (1-${lines + 1}).`;
    return { ok: false, error: editError('malformed_edit', `Search text #${ctx.editIndex + 1} is empty, but ${ctx.path ?? 'the file'} is not empty; nothing was changed.${range} Put the lines to replace (or the lines next to the insertion point) in the search text, or give the line to insert before as its start line.`, { path: ctx.path, editIndex: ctx.editIndex }) };
  }
  const inserted = splitEditLines(pair.replace);
  if (inserted.length === 0) return { ok: false, error: editError('no_op', `Search text #${ctx.editIndex + 1} and its replacement are both empty; nothing to change.`, { path: ctx.path, editIndex: ctx.editIndex }) };
  doc.insertLines(hint - 1, inserted, ctx.eol);
  return { ok: true, strategy: ['line-hint'], shifts: [{ lastOldLine: hint - 1, delta: inserted.length }] };
}

/**
 * The file's window most like the search. A fragment search written with escapes (`\n` for line breaks) is also
 * compared as unescaped, which lines up with the file's lines, and the closer of the two readings is shown.
 */
function closestToSearch(doc: EditableText, pair: SearchReplacePair, ctx: PairContext): ClosestCandidate | undefined {
  const fileLines = doc.lines().texts;
  const asWritten = closestCandidate(fileLines, splitEditLines(pair.search));
  const unescaped = ctx.lineAnchored ? pair.search : unescapeModelText(pair.search);
  if (unescaped === pair.search) return asWritten;
  const asUnescaped = closestCandidate(fileLines, splitEditLines(unescaped));
  return asUnescaped && (!asWritten || asUnescaped.similarity > asWritten.similarity) ? asUnescaped : asWritten;
}

/** A found match (applied), an ambiguity (error), or null when nothing matched at any level. */
function matchAndReplace(doc: EditableText, pair: SearchReplacePair, ctx: PairContext): PairResult | null {
  if (!ctx.lineAnchored) {
    const bySubstring = substringStage(doc, pair, ctx);
    if (bySubstring) return bySubstring;
  }
  return lineStage(doc, pair, ctx);
}

/** Levels on which replace_all takes every match: those that do not tolerate ragged whitespace inside lines. */
const REPLACE_ALL_LEVELS: ReadonlySet<LineLevel> = new Set<LineLevel>(['exact', 'trailing-whitespace', 'indentation']);

function lineStage(doc: EditableText, pair: SearchReplacePair, ctx: PairContext): PairResult | null {
  const table = doc.lines();
  const fileLines = table.texts;
  const searchLines = splitEditLines(pair.search);
  const hint = ctx.startLineHint === undefined ? undefined : ctx.startLineHint - 1;
  const findExact = (search: readonly string[], from: number): number[] => table.findExact(search, from, hint);
  const located = locateLines(fileLines, searchLines, { hint, hintWindow: HINT_WINDOW, punctuation: ctx.punctuation, findExact });
  if (located.kind === 'none') return null;
  // replace_all asks for every match, so several are no ambiguity, except on the levels that tolerate ragged
  // whitespace, where each match alone must be unique to be trusted.
  if (located.kind === 'ambiguous' && !(pair.replaceAll && REPLACE_ALL_LEVELS.has(located.level))) {
    return { ok: false, error: ambiguousError(ctx.path, ctx.editIndex, located.starts.map((s) => s + 1), searchLines.length, ctx.unit) };
  }
  const level = located.kind === 'found' ? located.match.level : located.level;
  const matches = pair.replaceAll || located.kind !== 'found' ? nonOverlappingMatches(findAllAtLevel(fileLines, searchLines, level)) : [located.match];
  const byHint = located.kind === 'found' && located.byHint;
  if (!pair.replaceAll && !byHint) {
    const refusal = refusalFarFromHint(ctx, matches[0].start + 1, matches[0].length, () => fileLines);
    if (refusal) return refusal;
  }
  const replaceLines = splitEditLines(pair.replace);
  const rendered = matches.map((match) =>
    keepsLineEnding(pair, ctx, table, match, replaceLines)
      ? ['']
      : renderReplacement(fileLines.slice(match.start, match.start + match.length), searchLines, replaceLines, match, ctx.contextIsUnchanged));
  if (ctx.lineAnchored && guessesIndentation(searchLines, replaceLines, rendered[0], level)) {
    const match = matches[0];
    return { ok: false, error: indentationGuessError(ctx.path, ctx.editIndex, { startLine: match.start + 1, lines: fileLines.slice(match.start, match.start + 1), similarity: 1 }, ctx.unit) };
  }
  // Last match first, so the line numbers of the ones before it still hold.
  for (let k = matches.length - 1; k >= 0; k--) doc.replaceLines(matches[k].start, matches[k].length, rendered[k], ctx.eol);
  const shifts = inBodyOrder(matches.map((match, k) => ({ lastOldLine: match.start + match.length, delta: rendered[k].length - match.length })));
  const strategy = strategyOf(matches[0], pair.search, ctx.eol);
  return { ok: true, strategy: byHint ? [strategy, 'line-hint'] : [strategy], shifts };
}

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
