// What every stage of matching one search/replace pair shares: the caller's settings, the pair's place in the edit,
// the result type, and the rules about start-line hints that both the substring and the line stage apply.
import { farFromHintError, type Unit } from './errors';
import { farFromHint, HINT_WINDOW, type LineShift } from './hints';
import type { Eol } from './text';
import type { EditError, MatchStrategy } from './types';

export interface PairSettings {
  path?: string;
  /** 1-based line where the first search text is expected; pairs may carry their own. */
  startLineHint?: number;
  /**
   * Refuse a unique match more than HINT_WINDOW lines from its hint (default true). Off for unified diffs, whose
   * `@@` numbers are approximate by the format's own convention (patch applies hunks at any offset).
   */
  refuseFarFromHint?: boolean;
  /** Search texts are whole lines (block and diff formats), never a part of a line. */
  lineAnchored?: boolean;
  /** Allow Unicode punctuation normalisation when matching (apply_patch). */
  punctuation?: boolean;
  /** Diff formats: lines common to both sides are context and always keep the file's bytes. */
  contextIsUnchanged?: boolean;
  /** editIndex of the first pair, when the pairs are a slice of a larger edit. */
  firstEditIndex?: number;
  unit?: Unit;
}

export interface PairContext extends PairSettings {
  eol: Eol;
  editIndex: number;
  /** Replacements of the earlier pairs, to carry hints written against the original file onto the current body. */
  shifts: readonly LineShift[];
  /** A later pair may carry a hint, so this pair's shifts are needed; otherwise no lines are counted for them. */
  needsShifts: boolean;
}

/** Success means `doc` now holds the pair's replacement; a failure or null leaves it untouched. */
export type PairResult = { ok: true; strategy: MatchStrategy[]; shifts: LineShift[] } | { ok: false; error: EditError };
export type PairsApplied = { ok: true; strategies: MatchStrategy[] } | { ok: false; error: EditError };

/** Shifts listed in file order, each moved into the numbering left by the ones before it, as shiftedHint expects. */
export function inBodyOrder(shifts: LineShift[]): LineShift[] {
  let moved = 0;
  return shifts.map((shift) => {
    const placed = { lastOldLine: shift.lastOldLine + moved, delta: shift.delta };
    moved += shift.delta;
    return placed;
  });
}

/**
 * A unique match far from the author's start-line hint is refused: the hint is the author's claim about where the
 * text is, and a claim that far off means the file is not what the author last read (edited since, or another
 * copy of similar code). Applying would change a place the author did not look at; refusing costs one retry.
 */
export function refusalFarFromHint(ctx: PairContext, startLine: number, length: number, fileLines: () => readonly string[]): PairResult | null {
  if (ctx.startLineHint === undefined || ctx.refuseFarFromHint === false || !farFromHint(startLine, ctx.startLineHint)) return null;
  const lines = fileLines().slice(startLine - 1, startLine - 1 + Math.max(1, length));
  return { ok: false, error: farFromHintError(ctx.path, ctx.editIndex, ctx.startLineHint, HINT_WINDOW, { startLine, lines, similarity: 1 }, ctx.unit) };
}
