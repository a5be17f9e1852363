// Building EditErrors whose messages tell the model what went wrong and how to fix its edit.
import type { ClosestCandidate, EditError, EditErrorCode } from './types';

export function editError(code: EditErrorCode, message: string, extra: Partial<EditError> = {}): EditError {
  return { code, message, ...extra };
}

/** What the failing unit is called in messages: a search text, a hunk, a chunk. */
export type UnitName = 'Search text' | 'Hunk' | 'Chunk';

function where(path: string | undefined, editIndex: number | undefined, unit: UnitName = 'Search text'): string {
  const block = editIndex === undefined ? `The ${unit.toLowerCase()}` : `${unit} #${editIndex + 1}`;
  return path ? `${block} for ${path}` : block;
}

export function noMatchError(path: string | undefined, editIndex: number | undefined, closest: ClosestCandidate | undefined, unit?: UnitName): EditError {
  const head = `${where(path, editIndex, unit)} was not found; nothing was changed.`;
  const hint = closest
    ? ` Closest candidate: lines ${closest.startLine}-${closest.endLine} (similarity ${closest.similarity.toFixed(2)}):\n${closest.text}\n` +
      'Copy the exact current lines from the file into the search text and retry.'
    : ' The file has no similar lines; read the file again before editing.';
  return editError('no_match', head + hint, { path, editIndex, closest: closest && { ...closest, path } });
}

export function ambiguousError(path: string | undefined, editIndex: number | undefined, startLines: number[], length: number, unit?: UnitName): EditError {
  const ranges = startLines.map((line) => (length > 1 ? `${line}-${line + length - 1}` : `${line}`)).join(', ');
  return editError(
    'ambiguous_match',
    `${where(path, editIndex, unit)} matches ${startLines.length} places (lines ${ranges}); nothing was changed. ` +
      'Add neighbouring lines to the search text so it matches exactly one place.',
    { path, editIndex },
  );
}

export function withPath(error: EditError, path: string): EditError {
  return error.path ? error : { ...error, path, closest: error.closest && { ...error.closest, path } };
}
