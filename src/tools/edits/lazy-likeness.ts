// When one line of code reads as a changed version of another (`y = f(1)` and `y = f(2)`), rather than a new line
// beside it (`const b` and `const c`): used to tell a change next to a placeholder from an addition.
import { similarity } from './similarity';

/** Lines this alike are taken for a changed version of each other (`y = f(1)` vs `y = f(2)`: 0.9). */
const CHANGED_LINE_SIMILARITY = 0.6;
/** Or when one starts like the other for this share of the shorter (an argument added at the end). */
const CHANGED_LINE_PREFIX = 0.75;
const PREFIX_MIN_CHARS = 5;

/** Words that start declarations and statements in common languages; the name a line is about comes after them. */
const KEYWORDS = new Set(('def function func fn class struct interface type enum const let var val static public private protected ' +
  'export import from async await return pub mut new void int float double string bool boolean final override abstract ' +
  'if else elif for while in of yield throw raise with try catch except case when do then local global readonly').split(' '));

/** The first identifier of a line that is not a keyword: what the line declares, assigns or calls. */
export function subjectOf(line: string): string | undefined {
  for (const word of line.match(/[A-Za-z_$][\w$]*/g) ?? []) if (!KEYWORDS.has(word)) return word;
  return undefined;
}

/**
 * Two lines read as one changed into the other: about the same thing (`y = f(1)` and `y = f(2)`; not `const b`
 * and `const c`, which is a new line beside an old one), and alike by edit distance or by a long shared start
 * (an argument added at the end).
 */
export function looksChanged(a: string, b: string): boolean {
  const subject = subjectOf(a);
  if (subject !== subjectOf(b)) return false;
  if (similarity(a, b) >= CHANGED_LINE_SIMILARITY) return true;
  const shorter = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix < shorter && a[prefix] === b[prefix]) prefix++;
  return subject !== undefined && shorter >= PREFIX_MIN_CHARS && prefix / shorter >= CHANGED_LINE_PREFIX;
}

/** The lines of a text by their subject, to find the ones a new line may be a changed version of. */
export function linesBySubject(lines: readonly string[]): Map<string, string[]> {
  const bySubject = new Map<string, string[]>();
  for (const line of lines) {
    const subject = subjectOf(line);
    if (subject === undefined) continue;
    const list = bySubject.get(subject) ?? [];
    list.push(line.trim());
    bySubject.set(subject, list);
  }
  return bySubject;
}
