// The substring stage of search/replace: the search text found verbatim (or with the file's line endings) in the
// body and spliced in place, and its fallback for a search whose escape sequences were written out by the model.
import { ambiguousError, editError } from './errors';
import { replacementEscapedLikeSearch, unescapeModelText } from './escapes';
import { HINT_WINDOW, type LineShift } from './hints';
import type { EditableText } from './line-table';
import { inBodyOrder, refusalFarFromHint, type PairContext, type PairResult } from './pair-context';
import { convertEol, countNewlines, lineNumberAt, splitEditLines } from './text';
import type { MatchStrategy, SearchReplacePair } from './types';

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

export function substringStage(doc: EditableText, pair: SearchReplacePair, ctx: PairContext): PairResult | null {
  return spliceFound(doc, pair, ctx, { replacement: convertEol(pair.replace, ctx.eol), hintPicks: true, strategy: [] });
}

/**
 * The fallback for a search that matched nothing as written: its escape sequences read as characters (a model
 * that JSON-escaped the argument twice writes `\n` for a line break). Accepted only as an exact, unique match
 * (every match with replace_all): a start-line hint never picks among several, since the text is already a
 * reinterpretation. The replacement is unescaped too when it is written the same way (see escapes.ts).
 */
export function unescapedStage(doc: EditableText, pair: SearchReplacePair, ctx: PairContext): PairResult | null {
  if (ctx.lineAnchored) return null;
  const search = unescapeModelText(pair.search);
  if (search === pair.search || search.trim() === '') return null;
  const replace = replacementEscapedLikeSearch(pair.search, pair.replace) ? unescapeModelText(pair.replace) : pair.replace;
  if (replace === search) {
    return { ok: false, error: editError('no_op', `Search text #${ctx.editIndex + 1} matches only with its escape sequences read as characters, and then equals its replacement; nothing to change.`, { path: ctx.path, editIndex: ctx.editIndex }) };
  }
  const found = spliceFound(doc, { ...pair, search }, ctx, { replacement: convertEol(replace, ctx.eol), hintPicks: false, strategy: ['unescaped'] });
  if (found && !found.ok && found.error.code === 'ambiguous_match') {
    return { ok: false, error: { ...found.error, message: `${found.error.message} (It was found only after reading its escape sequences such as \\n and \\" as the characters they stand for; write the search text with real line breaks and quotes.)` } };
  }
  return found;
}

interface SpliceOptions {
  replacement: string;
  /** Whether a start-line hint may pick one of several matches. */
  hintPicks: boolean;
  /** Strategies recorded before the match's own. */
  strategy: MatchStrategy[];
}

/** Finds `pair.search` verbatim, then with the file's line endings; splices the replacement where it is found. */
function spliceFound(doc: EditableText, pair: SearchReplacePair, ctx: PairContext, options: SpliceOptions): PairResult | null {
  const body = doc.body();
  const needles: Array<[string, MatchStrategy]> = [[pair.search, 'exact']];
  const converted = convertEol(pair.search, ctx.eol);
  if (converted !== pair.search) needles.push([converted, 'line-endings']);
  for (const [needle, strategy] of needles) {
    const offsets = occurrences(body, needle);
    if (offsets.length === 0) continue;
    let chosen = pair.replaceAll ? nonOverlapping(offsets, needle.length) : offsets.length === 1 ? offsets : [];
    const strategies: MatchStrategy[] = [...options.strategy, strategy];
    if (chosen.length === 0 && options.hintPicks && ctx.startLineHint !== undefined) {
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
    const shifts = spliceAll(doc, chosen, needle.length, options.replacement, ctx.needsShifts);
    return { ok: true, strategy: strategies, shifts };
  }
  return null;
}

/** Replaces every chosen match, last first so the earlier offsets still hold; returns the line shifts if needed. */
function spliceAll(doc: EditableText, chosen: number[], length: number, replacement: string, needsShifts: boolean): LineShift[] {
  let result = doc.body();
  const shifts: LineShift[] = [];
  const startLines = needsShifts ? lineNumbersAt(result, chosen) : [];
  for (let k = chosen.length - 1; k >= 0; k--) {
    const spliced = spliceSubstring(result, chosen[k], length, replacement);
    result = spliced.body;
    if (needsShifts) shifts.unshift({ lastOldLine: startLines[k] + spliced.oldLastLineOffset, delta: spliced.lineDelta });
  }
  doc.setBody(result);
  return inBodyOrder(shifts);
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
