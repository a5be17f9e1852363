// Second tries for a search text that matched nothing as written: without "N | " line-number prefixes copied from a
// numbered listing (or their bare "| " gutter), and without blank lines at its edges.
import { splitEditLines } from './text';
import type { SearchReplacePair } from './types';

const LINE_NUMBER_PREFIX = /^\s*\d+\s*\| ?/;

/**
 * Whether a pair may bring its own start-line hint (written, or the number of a numbered first search line), so
 * the replacements before it must be tracked to shift that hint. Errs towards yes: a needless yes costs only time.
 */
export function mayCarryLineHint(pair: SearchReplacePair): boolean {
  return pair.startLineHint !== undefined || LINE_NUMBER_PREFIX.test(pair.search);
}

function joinEditLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

/** Blank lines at the edges of a search text locate nothing; a model sometimes adds ones the file lacks. */
export function withoutEdgeBlankLines(pair: SearchReplacePair): SearchReplacePair | null {
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
export function withoutLineNumbers(pair: SearchReplacePair): { pair: SearchReplacePair; firstLine?: number } | 'mixed' | null {
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

const GUTTER = /^\| ?/;

/**
 * The pair with a bare `| ` gutter removed from every line: a listing's line numbers dropped but not its
 * separator. Only when every non-blank search line has it (one line starting with `|` is content, a Markdown
 * table row is too, and its stripped text would then have to match the file), and the replacement's gutter goes
 * only when all its lines have one.
 */
export function withoutGutter(pair: SearchReplacePair): SearchReplacePair | null {
  const gutterless = (lines: string[]): boolean => lines.some((line) => line.trim() !== '') && lines.every((line) => line.trim() === '' || GUTTER.test(line));
  const searchLines = splitEditLines(pair.search);
  if (searchLines.length < 2 || !gutterless(searchLines)) return null;
  const replaceLines = splitEditLines(pair.replace);
  const strip = (lines: string[], original: string): string => joinEditLines(lines.map((line) => line.replace(GUTTER, ''))).slice(0, /\n$/.test(original) ? undefined : -1);
  return { ...pair, search: strip(searchLines, pair.search), replace: gutterless(replaceLines) ? strip(replaceLines, pair.replace) : pair.replace };
}
