// Readings of a lazy edit that are cheapest but may not be what the model meant, refused rather than applied:
// new lines next to a placeholder that look like a change to a line it keeps, and a new block that takes over
// an old block's line.
import type { Step } from './lazy-align';
import { lineKey, type LazyItem } from './lazy-structure';
import { looksChanged } from './lazy-likeness';

/** A new line next to a placeholder that looks like a changed (or a repeated) line the placeholder keeps. */
export interface Suspicion {
  kind: 'changed' | 'repeated';
  /** The edit item, and the original line (0-based) it resembles. */
  item: number;
  orig: number;
}

/** How many kept lines next to the new ones are compared with them. */
const NEIGHBOURS = 5;

/** Too short or without a word to tell anything: `}`, `);`, `end` resemble everything. */
function telling(line: string): boolean {
  const text = line.trim();
  return text.length >= 4 && /[\p{L}\p{N}]/u.test(text) && text !== 'end';
}

/**
 * The original lines kept right before (side -1) or after (side 1) the insertions next to steps[at]: lines a hole
 * keeps, and lines the edit repeats that the file has several times (`doSomething();`, `}`), which pin nothing
 * and could as well be the next ones down. Empty unless a hole is reached: lines pinned on both sides by unique
 * lines are a plain change.
 */
function keptNeighbours(steps: readonly Step[], at: number, side: -1 | 1, original: readonly string[], counts: Map<string, number>): number[] {
  const kept: number[] = [];
  let reachedHole = false;
  for (let k = at; k >= 0 && k < steps.length && kept.length < NEIGHBOURS; k += side) {
    const step = steps[k];
    const slides = step.op === 'align' && (counts.get(lineKey(original[step.orig])) ?? 0) > 1;
    if (step.op !== 'absorb' && !slides) break;
    if (step.op === 'absorb') reachedHole = true;
    if (original[step.orig].trim() !== '') kept.push(step.orig);
  }
  return reachedHole ? kept : [];
}

function compare(item: number, text: string, neighbours: number[], original: readonly string[], counts: Map<string, number>): Suspicion | undefined {
  if (!telling(text)) return undefined;
  for (const orig of neighbours) {
    const other = original[orig];
    // A bare `}` or fence that the new line continues (`} else {`, `} // note`) is that line, changed.
    if (!telling(other)) {
      if (other.trim() !== '' && text.trim().startsWith(`${other.trim()} `)) return { kind: 'changed', item, orig };
      continue;
    }
    if (other.trim() === text.trim()) {
      // A line the file has once, kept by the hole and added again: a duplicate. Repeated lines (`return this;`)
      // say nothing, a new block has them too.
      if ((counts.get(lineKey(other)) ?? 0) === 1) return { kind: 'repeated', item, orig };
      continue;
    }
    if (looksChanged(text.trim(), other.trim())) return { kind: 'changed', item, orig };
  }
  return undefined;
}

/**
 * The first new line, in a run of new lines touching a placeholder's kept lines, that resembles one of those kept
 * lines. Such a line is as likely a change to that line as an addition, and applying it as an addition would
 * keep the old line beside the new one: refusing costs one retry. Lines inside a block the edit opens with a new
 * line are part of that new block and are not compared.
 */
export function suspiciousInsertion(steps: readonly Step[], items: readonly LazyItem[], original: readonly string[], counts: Map<string, number>, members: readonly boolean[]): Suspicion | undefined {
  const repeated = repeatedLine(steps, items, original, counts, members);
  if (repeated) return repeated;
  for (let start = 0; start < steps.length; start++) {
    if (steps[start].op !== 'insert' || (start > 0 && steps[start - 1].op === 'insert')) continue;
    let end = start;
    while (end + 1 < steps.length && steps[end + 1].op === 'insert') end++;
    const neighbours = [...keptNeighbours(steps, start - 1, -1, original, counts), ...keptNeighbours(steps, end + 1, 1, original, counts)];
    if (neighbours.length === 0) continue;
    for (let k = start; k <= end; k++) {
      const step = steps[k];
      if (step.op !== 'insert' || members[step.item]) continue;
      const found = compare(step.item, (items[step.item] as { text: string }).text, neighbours, original, counts);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * A new line (not part of a new block) equal to a line the file has once, while that line stays: the result would
 * have it twice, which a moved line or a misplaced copy produces, and a lazy edit almost never means.
 */
function repeatedLine(steps: readonly Step[], items: readonly LazyItem[], original: readonly string[], counts: Map<string, number>, members: readonly boolean[]): Suspicion | undefined {
  const keptAt = new Map<string, number>();
  for (const step of steps) {
    if (step.op !== 'align' && step.op !== 'absorb') continue;
    const key = lineKey(original[step.orig]);
    if (counts.get(key) === 1 && telling(key)) keptAt.set(key, step.orig);
  }
  for (const step of steps) {
    if (step.op !== 'insert' || members[step.item]) continue;
    const orig = keptAt.get(lineKey((items[step.item] as { text: string }).text));
    if (orig !== undefined) return { kind: 'repeated', item: step.item, orig };
  }
  return undefined;
}

/** An edit line read as an original line although the block it sits in is new while that line's old block stays. */
export interface TornBlock {
  item: number;
  orig: number;
  /** The new line that opens its block in the edit, and the kept line that opens its block in the file. */
  editOwner: number;
  origOwner: number;
}

/**
 * A line of a new block read as an original line whose own block (its owner in the file) stays: the new block
 * would take the line out of the old one (`def helper():` over the body of a kept `def main():`). A changed
 * opening line over unchanged lines is fine: there the old opening line goes.
 */
export function tornBlock(steps: readonly Step[], itemOwners: Int32Array, origOwners: Int32Array): TornBlock | undefined {
  const inserted = new Set<number>();
  const keptOriginal = new Set<number>();
  for (const step of steps) {
    if (step.op === 'insert') inserted.add(step.item);
    if (step.op === 'align' || step.op === 'absorb') keptOriginal.add(step.orig);
  }
  for (const step of steps) {
    if (step.op !== 'align') continue;
    const editOwner = itemOwners[step.item];
    const origOwner = origOwners[step.orig];
    if (editOwner !== -1 && inserted.has(editOwner) && origOwner !== -1 && keptOriginal.has(origOwner)) {
      return { item: step.item, orig: step.orig, editOwner, origOwner };
    }
  }
  return undefined;
}

const BRACKETS: ReadonlyArray<[string, string]> = [['{', '}'], ['(', ')'], ['[', ']']];

/** Opening minus closing brackets of each kind. */
function bracketBalance(text: string): number[] {
  const balance = BRACKETS.map(() => 0);
  for (const ch of text) {
    BRACKETS.forEach(([open, close], k) => {
      if (ch === open) balance[k]++;
      else if (ch === close) balance[k]--;
    });
  }
  return balance;
}

/**
 * The bracket whose count a reading would unbalance in a file whose brackets balance: a duplicated `}` or a
 * block's opening line without its end is what a wrong reading of placeholders produces, and an edit that means
 * to unbalance a balanced file is rare enough to be asked again.
 */
export function unbalancedBracket(original: string, result: string): string | undefined {
  if (bracketBalance(original).some((count) => count !== 0)) return undefined;
  const after = bracketBalance(result);
  const k = after.findIndex((count) => count !== 0);
  if (k === -1) return undefined;
  const [open, close] = BRACKETS[k];
  return after[k] > 0 ? `${after[k]} more "${open}" than "${close}"` : `${-after[k]} more "${close}" than "${open}"`;
}
