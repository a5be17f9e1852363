// Start-line hints (Roo's `:start_line:`, `N | ` prefixes, the startLineHint option): where the author believes a
// search text starts, in the numbering of the file as the author read it, before any block of the edit applied.

/** How far (in lines) a match may lie from its hint: the hint picks among equal matches only within it, and a
 * unique match outside it is refused rather than trusted. */
export const HINT_WINDOW = 10;

/** A replacement already applied by an earlier pair, in the numbering of the body it was applied to (1-based). */
export interface LineShift {
  /** Last line of the replaced region; 0 lines replaced means `start - 1`. */
  lastOldLine: number;
  /** Lines added (positive) or removed (negative). */
  delta: number;
}

/**
 * Maps a hint written against the file before the edit onto the current body: every earlier replacement that ended
 * above the hinted line moved it by its line delta. (Roo shifts by every earlier block; counting only the ones above
 * is the same for blocks in file order and stays right for blocks written out of order.)
 */
export function shiftedHint(hint: number, shifts: readonly LineShift[]): number {
  let line = hint;
  for (const shift of shifts) if (line > shift.lastOldLine) line += shift.delta;
  return line;
}

/** The 1-based line whose distance from the hint is beyond the window. */
export function farFromHint(matchLine: number, hint: number): boolean {
  return Math.abs(matchLine - hint) > HINT_WINDOW;
}
