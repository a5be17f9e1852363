// The block structure of a lazy edit and of the file, read from indentation: which line a line belongs to. Used
// to keep a new block's lines together, so that a line it shares with old code (`return this;`) is not read as
// that old line.
import { linesBySubject, looksChanged, subjectOf } from './lazy-likeness';

/** One item of a lazy edit: a literal line, or a placeholder (a hole that keeps a run of original lines). */
export type LazyItem =
  | { kind: 'line'; text: string; editLine: number }
  /** editLine is -1 for the implicit holes above the first and below the last line of the edit. */
  | { kind: 'hole'; editLine: number };

const CLOSER = /^(?:[}\])]|<\/|end\b|fi\b|done\b|esac\b)/;
/** A line that opens a block a closer at its indentation ends: `{`, `(`, `[`, an open tag, `do`, `then`. */
const OPENER = /(?:[{([]|<[A-Za-z][^>]*[^/]>|<[A-Za-z]>|\bdo|\bthen)\s*$/;
const TAB_WIDTH = 4;
/** How far up the owner of a line is looked for; farther owners are treated as none. */
const OWNER_LOOKBACK = 400;

/** Lines compare equal when they differ only in trailing whitespace (models drop it). */
export function lineKey(line: string): string {
  return line.trimEnd();
}

/** How often each line key occurs. */
export function keyCounts(lines: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) counts.set(lineKey(line), (counts.get(lineKey(line)) ?? 0) + 1);
  return counts;
}

function indentOf(line: string): number {
  let col = 0;
  for (const ch of line) {
    if (ch === ' ') col++;
    else if (ch === '\t') col += TAB_WIDTH - (col % TAB_WIDTH);
    else break;
  }
  return col;
}

/**
 * For each line, the index of the line whose block it belongs to: the nearest line above with less indentation,
 * or for a closing line (`}`, `</div>`, `end`) the line at its own indentation that opens a block; -1 for
 * none, for blank lines and for holes (undefined entries), which are skipped when looking up.
 */
export function owners(lines: ReadonlyArray<string | undefined>): Int32Array {
  const indents = lines.map((line) => (line === undefined ? 0 : indentOf(line)));
  return Int32Array.from(lines, (line, i) => {
    if (line === undefined || line.trim() === '') return -1;
    const closer = CLOSER.test(line.trim());
    for (let k = i - 1; k >= 0 && k >= i - OWNER_LOOKBACK; k--) {
      const other = lines[k];
      if (other === undefined || other.trim() === '') continue;
      if (indents[k] < indents[i]) return k;
      if (closer && indents[k] === indents[i] && !CLOSER.test(other.trim()) && OPENER.test(other)) return k;
    }
    return -1;
  });
}

export function itemTexts(items: readonly LazyItem[]): Array<string | undefined> {
  return items.map((item) => (item.kind === 'line' ? item.text : undefined));
}

/**
 * Edit lines inside a block that the edit opens with a new line (directly or through their owners): the lines
 * of a new method, a new `if`. They are new code, whatever old line they resemble. An opening line that reads as
 * a changed version of an original line (`add(a, b) { // note` for `add(a, b) {`) opens the old block, changed:
 * its lines stay free to stand for the old block's lines.
 */
export function newBlockMembers(items: readonly LazyItem[], original: readonly string[], originalCounts: Map<string, number>, itemOwners: Int32Array): boolean[] {
  const bySubject = linesBySubject(original);
  const opensNewBlock = (k: number): boolean => {
    const item = items[k];
    if (item.kind !== 'line' || item.text.trim() === '' || originalCounts.has(lineKey(item.text))) return false;
    const subject = subjectOf(item.text);
    const candidates = subject === undefined ? [] : bySubject.get(subject) ?? [];
    return !candidates.some((line) => looksChanged(item.text.trim(), line));
  };
  const member = items.map(() => false);
  for (let i = 0; i < items.length; i++) {
    const owner = itemOwners[i];
    member[i] = owner !== -1 && (opensNewBlock(owner) || member[owner]);
  }
  return member;
}

/**
 * Edit lines that may not stand for an original line even though one has the same text: a line that repeats in
 * the file (`return this;`, `}`) inside a new block belongs to that block; read as original, it would tear the
 * new block apart (its opening inserted into the middle of an old method). A line the file and the edit have
 * once is exempt: it pins the edit to the file (a changed opening line over unchanged lines, say), and
 * tornBlock checks that reading it so keeps its block whole.
 */
export function blockedLines(items: readonly LazyItem[], originalCounts: Map<string, number>, members: readonly boolean[]): boolean[] {
  const editCounts = keyCounts(items.flatMap((item) => (item.kind === 'line' ? [item.text] : [])));
  return items.map((item, i) => {
    if (item.kind !== 'line' || !members[i]) return false;
    const key = lineKey(item.text);
    return !(originalCounts.get(key) === 1 && editCounts.get(key) === 1);
  });
}
