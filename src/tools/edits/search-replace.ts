// Applying search/replace pairs to one file's content: all pairs apply together in memory, or none do.
import { ambiguousError, editError, noMatchError, type UnitName } from './errors';
import { deltaForReplacement, reindentLine, type IndentDelta } from './indent';
import { findAllAtLevel, locateLines, type LineLevel, type LineMatch } from './line-match';
import { closestCandidate } from './similarity';
import { convertEol, describeDocument, indexLines, lineNumberAt, restoreBom, splitEditLines, type Eol, type IndexedLine } from './text';
import type { EditError, MatchStrategy, SearchReplacePair } from './types';

export type PairsResult = { ok: true; content: string; strategies: MatchStrategy[] } | { ok: false; error: EditError };

export interface PairSettings {
  path?: string;
  /** 1-based line where the first search text is expected; pairs may carry their own. */
  startLineHint?: number;
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
}

type PairResult = { ok: true; body: string; strategy: MatchStrategy[] } | { ok: false; error: EditError };

const HINT_WINDOW = 10;
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
  for (let i = 0; i < pairs.length; i++) {
    const hint = pairs[i].startLineHint ?? settings.startLineHint;
    const result = applyPair(body, pairs[i], { ...settings, startLineHint: hint, eol: shape.eol, editIndex: (settings.firstEditIndex ?? 0) + i });
    if (!result.ok) return result;
    body = result.body;
    strategies.push(...result.strategy);
  }
  return { ok: true, content: restoreBom(shape, body), strategies };
}

function applyPair(body: string, pair: SearchReplacePair, ctx: PairContext): PairResult {
  if (pair.search === '') {
    if (body.trim() === '') return { ok: true, body: convertEol(pair.replace, ctx.eol), strategy: ['created'] };
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
    const retried = matchAndReplace(body, fallback, { ...ctx, startLineHint: ctx.startLineHint ?? numbered.firstLine });
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
    let result = body;
    for (const offset of [...chosen].reverse()) result = spliceSubstring(result, offset, needle.length, replacement);
    return { ok: true, body: result, strategy: strategies };
  }
  return null;
}

function nearestToHint(lines: number[], hint: number): number | undefined {
  const order = lines.map((line, index) => ({ index, distance: Math.abs(line - hint) })).sort((a, b) => a.distance - b.distance);
  if (order[0].distance > HINT_WINDOW) return undefined;
  if (order.length > 1 && order[1].distance === order[0].distance) return undefined;
  return order[0].index;
}

/** Replaces body[offset, offset+length); an emptied whole line is removed with its line ending, not left blank. */
function spliceSubstring(body: string, offset: number, length: number, replacement: string): string {
  let start = offset;
  let end = offset + length;
  const atLineStart = start === 0 || body[start - 1] === '\n';
  const atLineEnd = end === body.length || body[end] === '\n' || body.startsWith('\r\n', end);
  const removesLineContent = replacement === '' && atLineStart && atLineEnd && !body.slice(start, end).endsWith('\n');
  if (removesLineContent && end < body.length) end += body[end] === '\r' ? 2 : 1;
  else if (removesLineContent && start > 0) start -= body[start - 2] === '\r' ? 2 : 1;
  return body.slice(0, start) + replacement + body.slice(end);
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
  const replaceLines = splitEditLines(pair.replace);
  let result = body;
  for (const match of [...matches].reverse()) {
    const newLines = renderReplacement(fileLines.slice(match.start, match.start + match.length), searchLines, replaceLines, match, ctx.contextIsUnchanged);
    result = spliceLines(result, indexed, match, newLines, ctx.eol);
  }
  const strategy = strategyOf(located.match, pair.search, ctx.eol);
  return { ok: true, body: result, strategy: located.byHint ? [strategy, 'line-hint'] : [strategy] };
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

/** Swaps whole matched lines for `newLines`, keeping whether the last matched line had a line ending. */
export function spliceLines(body: string, indexed: IndexedLine[], match: { start: number; length: number }, newLines: string[], eol: Eol): string {
  const first = indexed[match.start];
  const last = indexed[match.start + match.length - 1];
  const hadTerminator = last.next > last.end;
  let regionStart = first.start;
  if (newLines.length === 0) {
    if (!hadTerminator && match.start > 0) regionStart = indexed[match.start - 1].end;
    return body.slice(0, regionStart) + body.slice(last.next);
  }
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
