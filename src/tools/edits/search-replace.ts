// Applying search/replace pairs to one file's content: all pairs apply together in memory, or none do.
import { ambiguousError, editError, farFromHintError, indentationGuessError, noMatchError, type UnitName } from './errors';
import { farFromHint, HINT_WINDOW, shiftedHint, type LineShift } from './hints';
import { deltaForReplacement, reindentLine, type IndentDelta } from './indent';
import { findAllAtLevel, locateLines, type LineLevel, type LineMatch } from './line-match';
import { closestCandidate } from './similarity';
import { convertEol, describeDocument, indexLines, leadingWhitespace, lineNumberAt, restoreBom, splitEditLines, type Eol, type IndexedLine } from './text';
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
}

type PairResult = { ok: true; body: string; strategy: MatchStrategy[]; shifts: LineShift[] } | { ok: false; error: EditError };

/** Levels that ignore leading whitespace, where the replacement may need re-indenting. */
const INDENT_BLIND_LEVELS: ReadonlySet<LineLevel> = new Set<LineLevel>(['indentation', 'trimmed', 'whitespace', 'punctuation']);
const LINE_NUMBER_PREFIX = /^\s*\d+\s*\| ?/;

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
  let body = shape.body;
  const strategies: MatchStrategy[] = [];
  const shifts: LineShift[] = [];
  for (let i = 0; i < pairs.length; i++) {
    // The settings' hint says where the edit starts, so it belongs to the first pair only.
    const written = pairs[i].startLineHint ?? (i === 0 ? settings.startLineHint : undefined);
    const hint = written === undefined ? undefined : shiftedHint(written, shifts);
    const result = applyPair(body, pairs[i], { ...settings, startLineHint: hint, eol: shape.eol, editIndex: (settings.firstEditIndex ?? 0) + i, shifts });
    if (!result.ok) return result;
    body = result.body;
    strategies.push(...result.strategy);
    shifts.push(...result.shifts);
  }
  return { ok: true, content: restoreBom(shape, body), strategies };
}

function applyPair(body: string, pair: SearchReplacePair, ctx: PairContext): PairResult {
  if (pair.search === '') {
    if (body.trim() === '') return { ok: true, body: convertEol(pair.replace, ctx.eol), strategy: ['created'], shifts: [] };
    return { ok: false, error: editError('malformed_edit', `Search text #${ctx.editIndex + 1} is empty, but ${ctx.path ?? 'the file'} is not empty; nothing was changed. Put the lines to replace (or the lines next to the insertion point) in the search text.`, { path: ctx.path, editIndex: ctx.editIndex }) };
  }
  if (pair.search === pair.replace) {
    return { ok: false, error: editError('no_op', `Search text #${ctx.editIndex + 1} and its replacement are identical; nothing to change.`, { path: ctx.path, editIndex: ctx.editIndex }) };
  }
  const direct = matchAndReplace(body, pair, ctx);
  if (direct) return direct;
  const numbered = withoutLineNumbers(pair);
  if (numbered === 'mixed') {
    return { ok: false, error: editError('malformed_edit', `Search text #${ctx.editIndex + 1} has "N | " line-number prefixes, and only some replacement lines have them; nothing was changed. Remove the line numbers from both parts.`, { path: ctx.path, editIndex: ctx.editIndex }) };
  }
  let fallback = pair;
  if (numbered) {
    fallback = numbered.pair;
    const numberedHint = numbered.firstLine === undefined ? undefined : shiftedHint(numbered.firstLine, ctx.shifts);
    const retried = matchAndReplace(body, fallback, { ...ctx, startLineHint: ctx.startLineHint ?? numberedHint });
    if (retried) return retried;
  }
  const trimmedPair = withoutEdgeBlankLines(fallback);
  if (trimmedPair) {
    const retried = matchAndReplace(body, trimmedPair, ctx);
    if (retried) return retried;
  }
  const searchLines = splitEditLines(fallback.search);
  const fileLines = indexLines(body).map((line) => line.text);
  return { ok: false, error: noMatchError(ctx.path, ctx.editIndex, closestCandidate(fileLines, searchLines), ctx.unit) };
}

/** A found match (applied), an ambiguity (error), or null when nothing matched at any level. */
function matchAndReplace(body: string, pair: SearchReplacePair, ctx: PairContext): PairResult | null {
  if (!ctx.lineAnchored) {
    const bySubstring = substringStage(body, pair, ctx);
    if (bySubstring) return bySubstring;
  }
  return lineStage(body, pair, ctx);
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

function substringStage(body: string, pair: SearchReplacePair, ctx: PairContext): PairResult | null {
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
      const picked = nearestToHint(offsets.map((offset) => lineNumberAt(body, offset)), ctx.startLineHint);
      if (picked !== undefined) {
        chosen = [offsets[picked]];
        strategies.push('line-hint');
      }
    }
    if (chosen.length === 0) {
      const lines = offsets.map((offset) => lineNumberAt(body, offset));
      return { ok: false, error: ambiguousError(ctx.path, ctx.editIndex, lines, splitEditLines(needle).length, ctx.unit) };
    }
    if (!pair.replaceAll) {
      const startLine = lineNumberAt(body, chosen[0]);
      const refusal = refusalFarFromHint(ctx, startLine, splitEditLines(needle).length, () => indexLines(body).map((line) => line.text));
      if (refusal) return refusal;
    }
    let result = body;
    const shifts: LineShift[] = [];
    const startLines = lineNumbersAt(body, chosen);
    for (let k = chosen.length - 1; k >= 0; k--) {
      const spliced = spliceSubstring(result, chosen[k], needle.length, replacement);
      result = spliced.body;
      shifts.unshift({ lastOldLine: startLines[k] + spliced.oldLastLineOffset, delta: spliced.lineDelta });
    }
    return { ok: true, body: result, strategy: strategies, shifts: inBodyOrder(shifts) };
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
    for (; scanned < offset; scanned++) if (body.charCodeAt(scanned) === 10) line++;
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
 * Replaces body[offset, offset+length); an emptied whole line is removed with its line ending, not left blank.
 * An emptied last line without a line ending takes nothing else: the line before keeps its own line ending, as
 * everywhere else in the engine (only the lines an edit names change).
 */
function spliceSubstring(body: string, offset: number, length: number, replacement: string): Spliced {
  const start = offset;
  let end = offset + length;
  const atLineStart = start === 0 || body[start - 1] === '\n';
  const atLineEnd = end === body.length || body[end] === '\n' || body.startsWith('\r\n', end);
  const removesLineContent = replacement === '' && atLineStart && atLineEnd && !body.slice(start, end).endsWith('\n');
  if (removesLineContent && end < body.length) end += body[end] === '\r' ? 2 : 1;
  const removed = body.slice(start, end);
  return {
    body: body.slice(0, start) + replacement + body.slice(end),
    lineDelta: newlines(replacement) - newlines(removed),
    oldLastLineOffset: newlines(removed.replace(/\r?\n$/, '')),
  };
}

function lineStage(body: string, pair: SearchReplacePair, ctx: PairContext): PairResult | null {
  const indexed = indexLines(body);
  const fileLines = indexed.map((line) => line.text);
  const searchLines = splitEditLines(pair.search);
  const hint = ctx.startLineHint === undefined ? undefined : ctx.startLineHint - 1;
  const located = locateLines(fileLines, searchLines, { hint, hintWindow: HINT_WINDOW, punctuation: ctx.punctuation });
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
  const rendered = matches.map((match) => renderReplacement(fileLines.slice(match.start, match.start + match.length), searchLines, replaceLines, match, ctx.contextIsUnchanged));
  if (ctx.lineAnchored && guessesIndentation(searchLines, replaceLines, rendered[0], located.match.level)) {
    const match = located.match;
    return { ok: false, error: indentationGuessError(ctx.path, ctx.editIndex, { startLine: match.start + 1, lines: fileLines.slice(match.start, match.start + 1), similarity: 1 }, ctx.unit) };
  }
  let result = body;
  for (let k = matches.length - 1; k >= 0; k--) result = spliceLines(result, indexed, matches[k], rendered[k], ctx.eol);
  const shifts = inBodyOrder(matches.map((match, k) => ({ lastOldLine: match.start + match.length, delta: rendered[k].length - match.length })));
  const strategy = strategyOf(located.match, pair.search, ctx.eol);
  return { ok: true, body: result, strategy: located.byHint ? [strategy, 'line-hint'] : [strategy], shifts };
}

/**
 * Whether applying would have to guess an indentation: a search of one whole line that matched only once leading
 * whitespace was ignored, with a replacement the engine would re-indent. With several lines a uniform shift is
 * evidence of how the author's indentation maps onto the file's; one line is none, and peers split on it (Cline
 * writes the replacement as given, aider and Roo shift it). A wrong guess breaks indentation-sensitive code
 * silently, a refusal costs one retry. Searches that are fragments of a line (str-replace) are not whole lines
 * and keep the indentation outside the fragment, so this applies to line-anchored formats only.
 */
export function guessesIndentation(searchLines: readonly string[], replaceLines: readonly string[], rendered: readonly string[], level: LineLevel): boolean {
  if (searchLines.length !== 1 || !INDENT_BLIND_LEVELS.has(level)) return false;
  return rendered.some((line, i) => leadingWhitespace(line) !== leadingWhitespace(replaceLines[i] ?? ''));
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

/**
 * Replacement lines copied unchanged from the search keep the file's bytes (trailing spaces, quotes); the others
 * are re-indented. Where the search matched only with ragged indentation (trimmed level), a copied line keeps the
 * file's bytes only if its indentation agrees, so the replacement stays as consistent as the author wrote it.
 */
export function renderReplacement(
  matched: readonly string[],
  search: readonly string[],
  replace: readonly string[],
  match: { delta: IndentDelta; level: LineLevel },
  contextIsUnchanged = false,
): string[] {
  const fromSearch = commonLines(search, replace);
  const delta = deltaForReplacement(match.delta, matched, search, replace);
  return replace.map((line, j) => {
    const i = fromSearch.get(j);
    const rendered = reindentLine(line, delta);
    if (i === undefined) return rendered;
    const ragged = match.level === 'trimmed' || match.level === 'whitespace';
    if (!contextIsUnchanged && ragged && matched[i].trimEnd() !== rendered.trimEnd()) return rendered;
    return matched[i];
  });
}

/** Longest common subsequence of equal lines, as replaceIndex → searchIndex. */
function commonLines(search: readonly string[], replace: readonly string[]): Map<number, number> {
  const pairs = new Map<number, number>();
  if (search.length * replace.length > 4_000_000) return pairs;
  const table: number[][] = Array.from({ length: search.length + 1 }, () => new Array<number>(replace.length + 1).fill(0));
  for (let i = search.length - 1; i >= 0; i--) {
    for (let j = replace.length - 1; j >= 0; j--) {
      table[i][j] = search[i] === replace[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  for (let i = 0, j = 0; i < search.length && j < replace.length;) {
    if (search[i] === replace[j]) pairs.set(j++, i++);
    else if (table[i + 1][j] >= table[i][j + 1]) i++;
    else j++;
  }
  return pairs;
}

/**
 * Swaps whole matched lines for `newLines`; the last new line ends as the last matched line did. Deleting the last
 * line of a file without a final newline leaves the line before it as it was, line ending included: an edit
 * changes the lines it names and no others (as git and patch see it), so the file then ends with a newline.
 */
export function spliceLines(body: string, indexed: IndexedLine[], match: { start: number; length: number }, newLines: string[], eol: Eol): string {
  const first = indexed[match.start];
  const last = indexed[match.start + match.length - 1];
  const hadTerminator = last.next > last.end;
  const regionStart = first.start;
  if (newLines.length === 0) return body.slice(0, regionStart) + body.slice(last.next);
  const rendered = newLines.join(eol);
  // A single blank line only exists if it has a line ending, even at the end of a file without one.
  const terminator = hadTerminator || rendered === '' ? eol : '';
  return body.slice(0, regionStart) + rendered + terminator + body.slice(last.next);
}

function joinEditLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

/** Blank lines at the edges of a search text locate nothing; a model sometimes adds ones the file lacks. */
function withoutEdgeBlankLines(pair: SearchReplacePair): SearchReplacePair | null {
  const search = splitEditLines(pair.search);
  let first = 0;
  let end = search.length;
  while (first < end && search[first].trim() === '') first++;
  while (end > first && search[end - 1].trim() === '') end--;
  if (first === end || (first === 0 && end === search.length)) return null;
  const replace = splitEditLines(pair.replace);
  let replaceFirst = 0;
  let replaceEnd = replace.length;
  while (replaceFirst < Math.min(first, replaceEnd) && replace[replaceFirst].trim() === '') replaceFirst++;
  while (replace.length - replaceEnd < search.length - end && replaceEnd > replaceFirst && replace[replaceEnd - 1].trim() === '') replaceEnd--;
  return { ...pair, search: joinEditLines(search.slice(first, end)), replace: joinEditLines(replace.slice(replaceFirst, replaceEnd)) };
}

/**
 * The pair with `N | ` prefixes removed, when search lines carry them (copied from a numbered listing). Only
 * tried after the text failed to match as written, and the stripped text must still match the file.
 */
function withoutLineNumbers(pair: SearchReplacePair): { pair: SearchReplacePair; firstLine?: number } | 'mixed' | null {
  const searchLines = splitEditLines(pair.search);
  const numberedSearch = searchLines.filter((line) => LINE_NUMBER_PREFIX.test(line));
  if (numberedSearch.length === 0) return null;
  const replaceLines = splitEditLines(pair.replace);
  const numberedReplace = replaceLines.filter((line) => LINE_NUMBER_PREFIX.test(line)).length;
  const contentReplace = replaceLines.filter((line) => line.trim() !== '').length;
  // Numbers on some replacement lines but not others: stripping would guess, and keeping would write them into the file.
  if (numberedReplace > 0 && numberedReplace < contentReplace) return 'mixed';
  const stripReplace = replaceLines.length > 0 && numberedReplace >= contentReplace && numberedReplace > 0;
  const strip = (lines: string[], original: string): string =>
    lines.map((line) => line.replace(LINE_NUMBER_PREFIX, '')).join('\n') + (/\n$/.test(original) ? '\n' : '');
  const firstLine = LINE_NUMBER_PREFIX.test(searchLines[0]) ? Number(/\d+/.exec(searchLines[0])?.[0]) : undefined;
  return {
    pair: { ...pair, search: strip(searchLines, pair.search), replace: stripReplace ? strip(replaceLines, pair.replace) : pair.replace },
    firstLine,
  };
}
