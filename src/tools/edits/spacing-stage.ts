// The last fallback for a str-replace search: the same code with its line breaks and spaces laid out differently
// (`function test(){return true;}` for a function written over three lines). Found by comparing the texts with
// insignificant whitespace removed, and accepted only as a unique match whose ends fall on token boundaries.
import { ambiguousError } from './errors';
import type { EditableText } from './line-table';
import type { PairContext, PairResult } from './pair-context';
import { convertEol, countNewlines, leadingWhitespace } from './text';
import type { SearchReplacePair } from './types';

/** Below this many significant characters a whitespace-blind match says too little about where it is. */
const MIN_SIGNIFICANT = 12;

interface Squeezed {
  /** The text without insignificant whitespace; a space stays only between two word characters. */
  text: string;
  /** For each character of `text`, its offset in the original (-1 for a kept space). */
  offsets: number[];
}

const WORD = /[\p{L}\p{N}_$]/u;

/** Removes whitespace except single spaces between word characters (`int x` must not become `intx`). */
function squeeze(source: string): Squeezed {
  let text = '';
  const offsets: number[] = [];
  let pendingSpace = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (/\s/.test(ch)) {
      pendingSpace = text.length > 0;
      continue;
    }
    if (pendingSpace && WORD.test(text[text.length - 1]) && WORD.test(ch)) {
      text += ' ';
      offsets.push(-1);
    }
    pendingSpace = false;
    text += ch;
    offsets.push(i);
  }
  return { text, offsets };
}

function occurrences(body: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = body.indexOf(needle); at !== -1; at = body.indexOf(needle, at + 1)) found.push(at);
  return found;
}

/** A match must not start or end inside a word of the file: `test()` is not found in `mytest()`. */
function onTokenBoundaries(body: string, start: number, end: number): boolean {
  const splits = (a: string | undefined, b: string | undefined): boolean => a === undefined || b === undefined || !(WORD.test(a) && WORD.test(b));
  return splits(body[start - 1], body[start]) && splits(body[end - 1], body[end]);
}

/**
 * The replacement without the search's own leading and trailing whitespace: the match spans from the first to
 * the last significant character, so the whitespace around it stays the file's, and the replacement must not
 * add it a second time.
 */
function trimmedLikeSearch(search: string, replace: string): string {
  let result = replace;
  const lead = leadingWhitespace(search);
  if (lead !== '' && result.startsWith(lead)) result = result.slice(lead.length);
  const trail = /\s*$/.exec(search)?.[0] ?? '';
  if (trail !== '' && result.endsWith(trail)) result = result.slice(0, result.length - trail.length);
  return result;
}

/**
 * Finds the search with whitespace laid out differently, when its line breaks differ from the file's (matches
 * with the same lines laid out alike are the line stage's). Unique matches only, never for whole-line formats.
 */
export function spacingStage(doc: EditableText, pair: SearchReplacePair, ctx: PairContext): PairResult | null {
  if (ctx.lineAnchored) return null;
  const needle = squeeze(pair.search);
  if (needle.text.replace(/ /g, '').length < MIN_SIGNIFICANT) return null;
  const body = doc.body();
  const hay = squeeze(body);
  const found = occurrences(hay.text, needle.text).map((at) => ({ start: hay.offsets[at], end: hay.offsets[at + needle.text.length - 1] + 1 }));
  const matches = found.filter((match) => onTokenBoundaries(body, match.start, match.end));
  if (matches.length === 0) return null;
  if (matches.length > 1) {
    const lines = matches.map((match) => 1 + countNewlines(body, 0, match.start));
    return { ok: false, error: ambiguousError(ctx.path, ctx.editIndex, lines, 1, ctx.unit) };
  }
  const [{ start, end }] = matches;
  if (countNewlines(body, start, end) === countNewlines(pair.search.trim(), 0, pair.search.trim().length)) return null;
  const replacement = convertEol(trimmedLikeSearch(pair.search, pair.replace), ctx.eol);
  doc.setBody(body.slice(0, start) + replacement + body.slice(end));
  const shifts = ctx.needsShifts
    ? [{ lastOldLine: 1 + countNewlines(body, 0, end), delta: countNewlines(replacement, 0, replacement.length) - countNewlines(body, start, end) }]
    : [];
  return { ok: true, strategy: ['whitespace'], shifts };
}
