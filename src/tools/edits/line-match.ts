// Locating a block of search lines inside a file's lines, from strict to tolerant, with uniqueness rules.
import { firstLinePrefixDelta, uniformIndentDelta, type IndentDelta } from './indent';
import { isBlank } from './text';

/** Levels in the order they are tried; an earlier level always wins over a later one. */
export type LineLevel = 'exact' | 'trailing-whitespace' | 'indentation' | 'trimmed' | 'whitespace' | 'punctuation';

export interface LineMatch {
  /** 0-based index of the first matched file line. */
  start: number;
  length: number;
  level: LineLevel;
  /** How to re-indent replacement lines that do not come from the search text. */
  delta: IndentDelta;
}

export interface LocateOptions {
  /** 0-based first file line a match may start at. */
  from?: number;
  /** 0-based line where the author believed the text starts; breaks ties between equal matches near it. */
  hint?: number;
  hintWindow?: number;
  /** Also try Unicode punctuation normalisation (smart quotes, dashes, odd spaces). */
  punctuation?: boolean;
  /** Take the first match after `from` instead of calling several matches ambiguous (apply_patch order semantics). */
  takeFirst?: boolean;
  /** Try a match that ends at the last line first (apply_patch `*** End of File`). */
  preferEnd?: boolean;
  /**
   * Start lines (from `from` on) where `search` equals the file lines exactly: the same answer as the exact level's
   * scan, from an index the caller keeps (LineTable), so many searches in one large file need not compare every line.
   */
  findExact?: (search: readonly string[], from: number) => number[];
}

export type LocateResult =
  | { kind: 'found'; match: LineMatch; byHint: boolean }
  | { kind: 'ambiguous'; level: LineLevel; starts: number[] }
  | { kind: 'none' };

const DEFAULT_HINT_WINDOW = 10;

const PUNCTUATION: Array<[RegExp, string]> = [
  [/[\u2010-\u2015\u2212]/g, '-'],
  [/[\u2018\u2019\u201A\u201B]/g, "'"],
  [/[\u201C\u201D\u201E\u201F]/g, '"'],
  [/[\u00A0\u2002-\u200A\u202F\u205F\u3000]/g, ' '],
];

export function normalisePunctuation(line: string): string {
  return PUNCTUATION.reduce((text, [pattern, plain]) => text.replace(pattern, plain), line).trim();
}

/** Whitespace only matters between two word characters (`int x` vs `intx`); there it counts as one space. */
export function collapseWhitespace(line: string): string {
  return line.trim().replace(/\s+/g, ' ').replace(/ (?=\W)|(?<=\W) /g, '');
}

type LineEquals = (fileLine: string, searchLine: string) => boolean;

const LINE_EQUALITY: Record<Exclude<LineLevel, 'indentation'>, LineEquals> = {
  exact: (f, s) => f === s,
  'trailing-whitespace': (f, s) => f.trimEnd() === s.trimEnd(),
  trimmed: (f, s) => f.trim() === s.trim(),
  whitespace: (f, s) => collapseWhitespace(f) === collapseWhitespace(s),
  punctuation: (f, s) => normalisePunctuation(f) === normalisePunctuation(s),
};

/** The re-indent delta if `search` matches `file` at `start` on `level`, else null. */
function matchWindow(file: readonly string[], search: readonly string[], start: number, level: LineLevel): IndentDelta | null {
  // Cheap necessary condition on the first line before looking at the whole window.
  const firstEquals = level === 'indentation' ? LINE_EQUALITY.trimmed : LINE_EQUALITY[level];
  if (!firstEquals(file[start], search[0])) return null;
  const window = file.slice(start, start + search.length);
  if (level === 'indentation') {
    if (window.some((line, i) => isBlank(line) !== isBlank(search[i]))) return null;
    return uniformIndentDelta(window, search);
  }
  const equals = LINE_EQUALITY[level];
  for (let i = 0; i < search.length; i++) if (!equals(window[i], search[i])) return null;
  if (level === 'exact' || level === 'trailing-whitespace') return { kind: 'none' };
  // Ragged indentation: only a plain prefix shift of the first line is trusted; otherwise the replacement is
  // written as the author wrote it.
  return firstLinePrefixDelta(window, search);
}

/** Every start line where `search` matches on `level` (overlapping matches included). */
export function findAllAtLevel(file: readonly string[], search: readonly string[], level: LineLevel, from = 0): LineMatch[] {
  const matches: LineMatch[] = [];
  if (search.length === 0) return matches;
  for (let start = Math.max(0, from); start + search.length <= file.length; start++) {
    const delta = matchWindow(file, search, start, level);
    if (delta) matches.push({ start, length: search.length, level, delta });
  }
  return matches;
}

function exactMatches(starts: readonly number[], length: number): LineMatch[] {
  return starts.map((start) => ({ start, length, level: 'exact', delta: { kind: 'none' } }));
}

export function levelsFor(options: LocateOptions): LineLevel[] {
  const levels: LineLevel[] = ['exact', 'trailing-whitespace', 'indentation', 'trimmed', 'whitespace'];
  return options.punctuation ? [...levels, 'punctuation'] : levels;
}

function pickByHint(matches: LineMatch[], hint: number, window: number): LineMatch | undefined {
  const byDistance = [...matches].sort((a, b) => Math.abs(a.start - hint) - Math.abs(b.start - hint));
  const [nearest, second] = byDistance;
  if (Math.abs(nearest.start - hint) > window) return undefined;
  if (second && Math.abs(second.start - hint) === Math.abs(nearest.start - hint)) return undefined;
  return nearest;
}

/**
 * Finds where `search` sits in `file`. Levels are tried strictest first; several matches on the best level are
 * ambiguous unless a hint singles one out nearby. The trimmed and punctuation levels tolerate ragged
 * indentation or spacing, so there a match must be unique on its own.
 */
export function locateLines(file: readonly string[], search: readonly string[], options: LocateOptions = {}): LocateResult {
  const from = options.from ?? 0;
  for (const level of levelsFor(options)) {
    if (options.preferEnd) {
      const endStart = file.length - search.length;
      const delta = endStart >= from ? matchWindow(file, search, endStart, level) : null;
      if (delta) return { kind: 'found', match: { start: endStart, length: search.length, level, delta }, byHint: false };
    }
    const matches = level === 'exact' && options.findExact ? exactMatches(options.findExact(search, from), search.length) : findAllAtLevel(file, search, level, from);
    if (matches.length === 0) continue;
    if (matches.length === 1 || options.takeFirst) return { kind: 'found', match: matches[0], byHint: false };
    const tolerant = level === 'trimmed' || level === 'whitespace' || level === 'punctuation';
    if (options.hint !== undefined && !tolerant) {
      const picked = pickByHint(matches, options.hint, options.hintWindow ?? DEFAULT_HINT_WINDOW);
      if (picked) return { kind: 'found', match: picked, byHint: true };
    }
    return { kind: 'ambiguous', level, starts: matches.map((m) => m.start) };
  }
  return { kind: 'none' };
}
