// Aligning a lazy edit (literal lines and placeholders) with the original file: the cheapest way to read the edit
// as "these lines stay, these are new, these go", where a placeholder keeps a run of original lines for free.

import { lineKey, type LazyItem } from './lazy-structure';

export type { LazyItem } from './lazy-structure';

/** One step of an alignment; `item` indexes the edit's items, `orig` the original lines (0-based). */
export type Step =
  | { op: 'align'; item: number; orig: number }
  | { op: 'insert'; item: number }
  | { op: 'delete'; orig: number }
  | { op: 'absorb'; item: number; orig: number };

/** Which of several equally cheap readings to take: new lines as early or as late as they can go. */
export type Preference = 'edit-first' | 'original-first';

/** Above this many table cells (edit items times original lines) the alignment would cost too much memory. */
export const MAX_ALIGN_CELLS = 12_000_000;

/** Small integer per line key, shared by the edit and the original, so the table compares numbers. */
function keyIds(items: readonly LazyItem[], original: readonly string[], blocked: readonly boolean[]): { itemIds: Int32Array; origIds: Int32Array } {
  const ids = new Map<string, number>();
  const origIds = Int32Array.from(original, (line) => {
    const key = lineKey(line);
    if (!ids.has(key)) ids.set(key, ids.size);
    return ids.get(key) as number;
  });
  const itemIds = Int32Array.from(items, (item, i) => (item.kind === 'line' && !blocked[i] ? ids.get(lineKey(item.text)) ?? -1 : -1));
  return { itemIds, origIds };
}

/**
 * Cheapest cost from every state (item i, original line j) to the end: a literal line costs 1 when inserted and
 * 0 when it stands for an equal original line; an original line costs 1 when deleted and 0 when a hole keeps it.
 */
export interface CostTable {
  cost: Int32Array;
  width: number;
  itemIds: Int32Array;
  origIds: Int32Array;
  /** Cost of inserting each item. */
  inserting: Int32Array;
}

/**
 * What inserting each item costs: 1 for a new line, a blank line, or one that belongs to a new block; more for a
 * line the file has that could stand for it, since inserting it while a placeholder keeps the original writes it
 * twice, a worse reading than a plain change. A line the file and the edit have once (an anchor) costs the most:
 * written twice it is almost never meant, so readings that let anchors stand for their originals win.
 */
const INSERT_NEW = 1;
const INSERT_PRESENT = 2;
const INSERT_ANCHOR = 10;

function insertCosts(items: readonly LazyItem[], itemIds: Int32Array, origIds: Int32Array): Int32Array {
  let ids = 0;
  for (const id of origIds) ids = Math.max(ids, id + 1);
  const inOriginal = new Int32Array(ids);
  for (const id of origIds) inOriginal[id]++;
  const inEdit = new Map<number, number>();
  for (const id of itemIds) if (id !== -1) inEdit.set(id, (inEdit.get(id) ?? 0) + 1);
  return Int32Array.from(items, (item, i) => {
    const id = itemIds[i];
    if (item.kind !== 'line' || id === -1 || item.text.trim() === '') return INSERT_NEW;
    return inOriginal[id] === 1 && inEdit.get(id) === 1 ? INSERT_ANCHOR : INSERT_PRESENT;
  });
}

export function costTable(items: readonly LazyItem[], original: readonly string[], blocked: readonly boolean[]): CostTable {
  const m = items.length;
  const n = original.length;
  const width = n + 1;
  const cost = new Int32Array((m + 1) * width);
  const { itemIds, origIds } = keyIds(items, original, blocked);
  const inserting = insertCosts(items, itemIds, origIds);
  for (let j = 0; j <= n; j++) cost[m * width + j] = n - j;
  for (let i = m - 1; i >= 0; i--) {
    const row = i * width;
    const below = row + width;
    const hole = items[i].kind === 'hole';
    cost[row + n] = hole ? cost[below + n] : inserting[i] + cost[below + n];
    for (let j = n - 1; j >= 0; j--) {
      if (hole) {
        cost[row + j] = Math.min(cost[below + j], cost[row + j + 1]);
        continue;
      }
      let best = Math.min(inserting[i] + cost[below + j], 1 + cost[row + j + 1]);
      if (itemIds[i] !== -1 && itemIds[i] === origIds[j] && cost[below + j + 1] < best) best = cost[below + j + 1];
      cost[row + j] = best;
    }
  }
  return { cost, width, itemIds, origIds, inserting };
}

type Move = { step: Step | null; di: number; dj: number; price: number };

function movesAt(items: readonly LazyItem[], table: CostTable, i: number, j: number, n: number): Record<string, Move | undefined> {
  const hole = i < items.length && items[i].kind === 'hole';
  const line = i < items.length && !hole;
  const equal = line && j < n && table.itemIds[i] !== -1 && table.itemIds[i] === table.origIds[j];
  return {
    align: equal ? { step: { op: 'align', item: i, orig: j }, di: 1, dj: 1, price: 0 } : undefined,
    insert: line ? { step: { op: 'insert', item: i }, di: 1, dj: 0, price: table.inserting[i] } : undefined,
    leave: hole ? { step: null, di: 1, dj: 0, price: 0 } : undefined,
    delete: !hole && j < n ? { step: { op: 'delete', orig: j }, di: 0, dj: 1, price: 1 } : undefined,
    absorb: hole && j < n ? { step: { op: 'absorb', item: i, orig: j }, di: 0, dj: 1, price: 0 } : undefined,
  };
}

const ORDER: Record<Preference, string[]> = {
  'edit-first': ['align', 'insert', 'leave', 'delete', 'absorb'],
  'original-first': ['absorb', 'delete', 'align', 'insert', 'leave'],
};

/** One cheapest alignment, taking the first move in the preference's order that stays cheapest. */
export function cheapestSteps(items: readonly LazyItem[], original: readonly string[], table: CostTable, preference: Preference): Step[] {
  const steps: Step[] = [];
  const m = items.length;
  const n = original.length;
  let i = 0;
  let j = 0;
  while (i < m || j < n) {
    const moves = movesAt(items, table, i, j, n);
    const here = table.cost[i * table.width + j];
    const chosen = ORDER[preference].map((name) => moves[name]).find((move) => move !== undefined && move.price + table.cost[(i + move.di) * table.width + j + move.dj] === here);
    if (!chosen) throw new Error('lazy alignment: no cheapest move (cost table inconsistent)');
    if (chosen.step) steps.push(chosen.step);
    i += chosen.di;
    j += chosen.dj;
  }
  return steps;
}
