// Building a replacement's lines: lines copied from the search keep the file's bytes, the rest are re-indented;
// and the one case where that would mean guessing an indentation.
import { deltaForReplacement, reindentLine, type IndentDelta } from './indent';
import type { LineLevel } from './line-match';
import { leadingWhitespace } from './text';

/** Levels that ignore leading whitespace, where the replacement may need re-indenting. */
const INDENT_BLIND_LEVELS: ReadonlySet<LineLevel> = new Set<LineLevel>(['indentation', 'trimmed', 'whitespace', 'punctuation']);

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
  // One flat table, row i at i * width: a diff applies one of these per hunk, so no array per row.
  const width = replace.length + 1;
  const table = new Int32Array((search.length + 1) * width);
  for (let i = search.length - 1; i >= 0; i--) {
    for (let j = replace.length - 1; j >= 0; j--) {
      const here = i * width + j;
      table[here] = search[i] === replace[j] ? table[here + width + 1] + 1 : Math.max(table[here + width], table[here + 1]);
    }
  }
  for (let i = 0, j = 0; i < search.length && j < replace.length;) {
    if (search[i] === replace[j]) pairs.set(j++, i++);
    else if (table[(i + 1) * width + j] >= table[i * width + j + 1]) i++;
    else j++;
  }
  return pairs;
}

