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

const WORD = /[\p{L}\p{N}_$]/u;
const SPACE = /\s/;

/** Letters, digits, `_` and `$`: by char code for ASCII, which is nearly all code, by regex beyond. */
function isWordCode(code: number, ch: string): boolean {
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36;
  return WORD.test(ch);
}

function isSpaceCode(code: number, ch: string): boolean {
  return code <= 32 || (code >= 128 && SPACE.test(ch));
}

/** The text without insignificant whitespace: a single space stays only between two word characters. */
function squeeze(source: string): string {
  const chars: string[] = [];
  let lastWord = false;
  let pendingSpace = false;
  for (let i = 0; i < source.length; i++) {
    const code = source.charCodeAt(i);
    if (isSpaceCode(code, source[i])) {
      pendingSpace = chars.length > 0;
      continue;
    }
    const word = isWordCode(code, source[i]);
    if (pendingSpace && lastWord && word) chars.push(' ');
    pendingSpace = false;
    chars.push(source[i]);
    lastWord = word;
  }
  return chars.join('');
}

/**
 * The end offset when the body, read from `start` with insignificant whitespace skipped, spells `needle` (a
 * squeezed text), else -1. Walks the body in place: squeezing a whole large file per search would cost more.
 */
function matchAt(body: string, start: number, needle: string): number {
  let k = 0;
  let pendingSpace = false;
  let lastWord = false;
  for (let i = start; i < body.length; i++) {
    const code = body.charCodeAt(i);
    if (isSpaceCode(code, body[i])) {
      pendingSpace = true;
      continue;
    }
    const word = isWordCode(code, body[i]);
    if (pendingSpace && lastWord && word) {
      // The body separates two words here; the needle must too.
      if (needle[k] !== ' ') return -1;
      k++;
    } else if (needle[k] === ' ') return -1;
    if (body[i] !== needle[k]) return -1;
    k++;
    if (k === needle.length) return i + 1;
    pendingSpace = false;
    lastWord = word;
  }
  return -1;
}

/** Every span of the body that spells the needle once insignificant whitespace is skipped. */
function spans(body: string, needle: string): Array<{ start: number; end: number }> {
  const found: Array<{ start: number; end: number }> = [];
  for (let at = body.indexOf(needle[0]); at !== -1; at = body.indexOf(needle[0], at + 1)) {
    const end = matchAt(body, at, needle);
    if (end !== -1) found.push({ start: at, end });
  }
  return found;
}

/** A match must not start or end inside a word of the file: `test()` is not found in `mytest()`. */
function onTokenBoundaries(body: string, start: number, end: number): boolean {
  const isWord = (ch: string | undefined): boolean => ch !== undefined && isWordCode(ch.charCodeAt(0), ch);
  const splits = (a: string | undefined, b: string | undefined): boolean => !(isWord(a) && isWord(b));
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
  if (needle.replace(/ /g, '').length < MIN_SIGNIFICANT) return null;
  const body = doc.body();
  const matches = spans(body, needle).filter((match) => onTokenBoundaries(body, match.start, match.end));
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
