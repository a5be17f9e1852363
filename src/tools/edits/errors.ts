// Building EditErrors whose messages tell the model what went wrong and how to fix its edit.
import type { ClosestCandidate, EditError, EditErrorCode } from './types';

export function editError(code: EditErrorCode, message: string, extra: Partial<EditError> = {}): EditError {
  return { code, message, ...extra };
}

/** What the failing unit is called in messages: a search text, a hunk, a chunk, a lazy edit's placeholder. */
export type UnitName = 'Search text' | 'Hunk' | 'Chunk' | 'Placeholder';

/** The failing unit: its kind, and how it begins (`@@ -12,4 +12,5 @@`, `first line "def f():"`), so the message
 * points at the right part of a long edit. */
export type Unit = UnitName | { name: UnitName; label: string };

const LABEL_CHARS = 60;

/** `first line "…"`: the first non-blank line of a unit, shortened, to name it in messages. */
export function firstLineLabel(lines: readonly string[]): string | undefined {
  const first = lines.find((line) => line.trim() !== '');
  if (first === undefined) return undefined;
  const text = first.trim();
  return `first line "${text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS)}…` : text}"`;
}

/** The unit with a label added, unless it has one already or there is nothing to label it with. */
export function labelled(unit: Unit, lines: readonly string[]): Unit {
  if (typeof unit !== 'string') return unit;
  const label = firstLineLabel(lines);
  return label === undefined ? unit : { name: unit, label };
}

function where(path: string | undefined, editIndex: number | undefined, unit: Unit = 'Search text'): string {
  const name = typeof unit === 'string' ? unit : unit.name;
  const block = editIndex === undefined ? `The ${name.toLowerCase()}` : `${name} #${editIndex + 1}`;
  const label = typeof unit === 'string' ? '' : ` (${unit.label})`;
  return `${block}${label}${path ? ` for ${path}` : ''}`;
}

/**
 * Where the search and its closest candidate part, so the model sees why it missed and not only where: the first
 * line that differs in more than the width of its spaces (lines equal but for those would have matched).
 */
function firstDifference(closest: ClosestCandidate, searchLines: readonly string[] | undefined): string {
  if (!searchLines || searchLines.length === 0) return '';
  const fileLines = closest.text.split('\n');
  const shared = Math.min(searchLines.length, fileLines.length);
  const spaced = (line: string): string => line.trim().replace(/\s+/g, ' ');
  for (let i = 0; i < shared; i++) {
    if (spaced(searchLines[i]) === spaced(fileLines[i])) continue;
    return ` First difference: search line ${i + 1} ${JSON.stringify(searchLines[i])} is file line ${closest.startLine + i} ${JSON.stringify(fileLines[i])}.`;
  }
  if (searchLines.length > fileLines.length) return ` The search has ${searchLines.length} lines; the file has only ${fileLines.length} there.`;
  return '';
}

export function noMatchError(path: string | undefined, editIndex: number | undefined, closest: ClosestCandidate | undefined, unit?: Unit, searchLines?: readonly string[]): EditError {
  const head = `${where(path, editIndex, unit)} was not found; nothing was changed.`;
  const difference = closest ? firstDifference(closest, searchLines) : '';
  const hint = closest
    ? ` Closest candidate: lines ${closest.startLine}-${closest.endLine} (similarity ${closest.similarity.toFixed(2)}):\n${closest.text}\n` +
      (difference ? `${difference.trimStart()}\n` : '') +
      'Copy the exact current lines from the file into the search text and retry.'
    : ' The file has no similar lines; read the file again before editing.';
  return editError('no_match', head + hint, { path, editIndex, closest: closest && { ...closest, path } });
}

export function ambiguousError(path: string | undefined, editIndex: number | undefined, startLines: number[], length: number, unit?: Unit): EditError {
  const ranges = startLines.map((line) => (length > 1 ? `${line}-${line + length - 1}` : `${line}`)).join(', ');
  return editError(
    'ambiguous_match',
    `${where(path, editIndex, unit)} matches ${startLines.length} places (lines ${ranges}); nothing was changed. ` +
      'Add neighbouring lines to the search text so it matches exactly one place.',
    { path, editIndex },
  );
}

/** Where a search text did match, when the engine refuses to apply there; shown as the closest candidate. */
export interface RefusedMatch {
  startLine: number; // 1-based
  lines: readonly string[];
  similarity: number;
}

function candidateOf(path: string | undefined, match: RefusedMatch): ClosestCandidate {
  return { path, startLine: match.startLine, endLine: match.startLine + Math.max(1, match.lines.length) - 1, similarity: match.similarity, text: match.lines.join('\n') };
}

/** The only match is far from the author's start-line hint: the author's picture of the file is probably stale. */
export function farFromHintError(path: string | undefined, editIndex: number | undefined, hint: number, window: number, match: RefusedMatch, unit?: Unit): EditError {
  const closest = candidateOf(path, match);
  return editError(
    'no_match',
    `${where(path, editIndex, unit)} was not found within ${window} lines of line ${hint}, where its start-line hint puts it; ` +
      `the same text is at line ${closest.startLine}, and nothing was changed. A hint that far off suggests the file changed since you read it: ` +
      're-read the file, then resend the edit with the correct start line.',
    { path, editIndex, closest },
  );
}

/** A one-line search matched only with other indentation, so the replacement's indentation would be a guess. */
export function indentationGuessError(path: string | undefined, editIndex: number | undefined, match: RefusedMatch, unit?: Unit): EditError {
  const closest = candidateOf(path, match);
  return editError(
    'no_match',
    `${where(path, editIndex, unit)} is a single line that matches line ${closest.startLine} only when its indentation is ignored:\n${closest.text}\n` +
      'One line does not show which indentation the replacement should have, so nothing was changed. ' +
      'Copy the line with its exact indentation (or include a neighbouring line) and retry.',
    { path, editIndex, closest },
  );
}

/** Where the search for a unit started, and why there: apply_patch looks for each chunk below the one before it. */
export interface SearchStart {
  /** 1-based line the search started at. */
  line: number;
  /** What ends just above it, e.g. `chunk #2` or `its @@ line`. */
  after: string;
}

/**
 * A unit not found below where its search started, though the same lines are above: the units are out of order
 * (apply_patch looks for each chunk below the previous one), which a plain "not found" would hide.
 */
export function outOfOrderError(path: string | undefined, editIndex: number, unit: Unit, start: SearchStart, match: RefusedMatch, identical: boolean, what = ''): EditError {
  const closest = candidateOf(path, match);
  const kind = identical ? 'An identical match' : 'A match (ignoring whitespace or punctuation)';
  return editError(
    'no_match',
    `${where(path, editIndex, unit)}${what} was not found at or below line ${start.line}, where the search starts because ${start.after} ends above it: ` +
      `chunks are looked for top to bottom, each below the one before it. ${kind} is at line ${closest.startLine}, above that point:\n${closest.text}\n` +
      'Nothing was changed. Order the chunks as their lines appear in the file (top to bottom), or send the chunk for that place in its own patch.',
    { path, editIndex, closest },
  );
}

export function withPath(error: EditError, path: string): EditError {
  return error.path ? error : { ...error, path, closest: error.closest && { ...error.closest, path } };
}
