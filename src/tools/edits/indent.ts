// Indentation deltas: how the file's indentation differs from the model's search text, and re-indenting the
// replacement by the same delta so an edit written at the wrong indentation lands at the file's indentation.
import { isBlank, leadingWhitespace } from './text';

export type IndentDelta =
  | { kind: 'none' }
  | { kind: 'add'; prefix: string }
  | { kind: 'remove'; prefix: string }
  | { kind: 'columns'; delta: number; tabWidth: number; useTabs: boolean };

const NO_DELTA: IndentDelta = { kind: 'none' };
const TAB_WIDTHS = [4, 2, 8];

function columns(indent: string, tabWidth: number): number {
  let col = 0;
  for (const ch of indent) col = ch === '\t' ? col + tabWidth - (col % tabWidth) : col + 1;
  return col;
}

/** Non-blank (file, search) line pairs of an aligned window. */
function contentPairs(fileLines: readonly string[], searchLines: readonly string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  searchLines.forEach((s, i) => {
    if (!isBlank(s)) pairs.push([fileLines[i] ?? '', s]);
  });
  return pairs;
}

function prefixDeltaOf(fileIndent: string, searchIndent: string): IndentDelta | null {
  if (fileIndent === searchIndent) return NO_DELTA;
  if (fileIndent.endsWith(searchIndent)) return { kind: 'add', prefix: fileIndent.slice(0, fileIndent.length - searchIndent.length) };
  if (searchIndent.endsWith(fileIndent)) return { kind: 'remove', prefix: searchIndent.slice(0, searchIndent.length - fileIndent.length) };
  return null;
}

function sameDelta(a: IndentDelta, b: IndentDelta): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'add' || a.kind === 'remove') return a.prefix === (b as { prefix: string }).prefix;
  return a.kind === 'none';
}

function windowUsesTabs(fileLines: readonly string[]): boolean {
  return fileLines.some((line) => leadingWhitespace(line).includes('\t'));
}

/**
 * The single indentation delta that maps every non-blank search line onto its file line, or null when the
 * lines differ in more than a uniform shift (the caller then does not treat the window as an indentation match).
 */
export function uniformIndentDelta(fileLines: readonly string[], searchLines: readonly string[]): IndentDelta | null {
  const pairs = contentPairs(fileLines, searchLines);
  if (pairs.length === 0) return null;
  if (pairs.some(([f, s]) => f.trim() !== s.trim())) return null;
  const first = prefixDeltaOf(leadingWhitespace(pairs[0][0]), leadingWhitespace(pairs[0][1]));
  if (first && pairs.every(([f, s]) => {
    const d = prefixDeltaOf(leadingWhitespace(f), leadingWhitespace(s));
    return d !== null && sameDelta(d, first);
  })) return first;
  for (const tabWidth of TAB_WIDTHS) {
    const delta = columns(leadingWhitespace(pairs[0][0]), tabWidth) - columns(leadingWhitespace(pairs[0][1]), tabWidth);
    const uniform = pairs.every(([f, s]) => columns(leadingWhitespace(f), tabWidth) - columns(leadingWhitespace(s), tabWidth) === delta);
    if (uniform) return { kind: 'columns', delta, tabWidth, useTabs: windowUsesTabs(fileLines) };
  }
  return null;
}

/** For ragged matches: the first line's shift, but only when one indentation is a prefix of the other. */
export function firstLinePrefixDelta(fileLines: readonly string[], searchLines: readonly string[]): IndentDelta {
  const pairs = contentPairs(fileLines, searchLines);
  if (pairs.length === 0) return NO_DELTA;
  return prefixDeltaOf(leadingWhitespace(pairs[0][0]), leadingWhitespace(pairs[0][1])) ?? NO_DELTA;
}

function minimalIndent(lines: readonly string[]): string | undefined {
  const indents = lines.filter((line) => !isBlank(line)).map(leadingWhitespace);
  return indents.length === 0 ? undefined : indents.reduce((a, b) => (b.length < a.length ? b : a));
}

/**
 * A model that under- or over-indents its search text sometimes writes the replacement at the file's real
 * indentation. Shifting that replacement again would double the shift, so the delta is dropped then.
 */
export function deltaForReplacement(delta: IndentDelta, matched: readonly string[], search: readonly string[], replace: readonly string[]): IndentDelta {
  if (delta.kind === 'none') return delta;
  const fileIndent = minimalIndent(matched);
  const replaceIndent = minimalIndent(replace);
  if (replaceIndent !== undefined && replaceIndent === fileIndent && replaceIndent !== minimalIndent(search)) return NO_DELTA;
  return delta;
}

export function reindentLine(line: string, delta: IndentDelta): string {
  if (delta.kind === 'none' || isBlank(line)) return line;
  const indent = leadingWhitespace(line);
  const rest = line.slice(indent.length);
  switch (delta.kind) {
    case 'add':
      return delta.prefix + line;
    case 'remove':
      if (indent.startsWith(delta.prefix)) return indent.slice(delta.prefix.length) + rest;
      return indent.slice(Math.min(indent.length, delta.prefix.length)) + rest;
    case 'columns': {
      const target = Math.max(0, columns(indent, delta.tabWidth) + delta.delta);
      const rendered = delta.useTabs
        ? '\t'.repeat(Math.floor(target / delta.tabWidth)) + ' '.repeat(target % delta.tabWidth)
        : ' '.repeat(target);
      return rendered + rest;
    }
  }
}
