// Contract of the edit engine: pure functions over file contents. The caller reads and writes the files.

/** Edit text formats the engine understands. `auto` detects the format from the text. */
export type EditFormat = 'auto' | 'search-replace' | 'unified-diff' | 'apply-patch' | 'editblock' | 'edit-json'
  /** The new file text with `// ... existing code ...` placeholders for unchanged runs; never detected, only asked for. */
  | 'lazy-edit';

/** One search/replace pair as the `edit_file` tool receives it. */
export interface SearchReplacePair {
  search: string;
  replace: string;
  /** Replace every occurrence instead of requiring exactly one. */
  replaceAll?: boolean;
  /**
   * 1-based line where the author expects the search text to start (e.g. Roo's `:start_line:`), in the file as it
   * was before the edit. It picks among equal matches within 10 lines, and a unique match farther away is refused
   * (no_match, with the real place as the closest candidate): the author's view of the file is likely stale.
   */
  startLineHint?: number;
}

/** Stable reason codes: tests and the model both rely on them. */
export type EditErrorCode =
  | 'no_match'          // a search text (or hunk context) was not found
  | 'ambiguous_match'   // a search text matches more than once
  | 'malformed_edit'    // the edit text could not be parsed
  | 'file_not_found'    // an edit targets a file that does not exist
  | 'file_exists'       // an add/create targets a file that already exists
  | 'no_op'             // search and replace are identical, or the edit changes nothing
  | 'missing_path';     // a multi-file format did not say which file

/** Where the closest near-miss of a failed search lies, so the model can correct its search text. */
export interface ClosestCandidate {
  path?: string;
  startLine: number; // 1-based, inclusive
  endLine: number;   // 1-based, inclusive
  similarity: number; // 0..1
  text: string;
}

export interface EditError {
  code: EditErrorCode;
  message: string;
  path?: string;
  /** Index of the failing pair/block/hunk within the edit, 0-based. */
  editIndex?: number;
  closest?: ClosestCandidate;
}

/** How a change was matched, for diagnostics and benchmarks. */
export type MatchStrategy = 'exact' | 'line-endings' | 'trailing-whitespace' | 'indentation' | 'trimmed' | 'line-hint' | 'punctuation' | 'created' | 'whole-file'
  /** Lines equal once runs of whitespace are collapsed (and dropped next to punctuation); unique matches only. */
  | 'whitespace'
  /** Found only once the search's escape sequences (`\n`, `\"`, `\\`) were read as the characters they stand for. */
  | 'unescaped'
  /** Whole lines that match but for a small slip in one line of four or more, which the replacement rewrites. */
  | 'near-miss'
  /** A lazy edit: placeholders such as `// ... existing code ...` filled with the original lines they stand for. */
  | 'lazy';

/** One file's change; `before`/`after` are null when the file does not exist before/after. */
export interface FileChange {
  path: string;
  before: string | null;
  after: string | null;
  /** For a rename (apply-patch `*** Move to:`): the new path; `after` is written there and `path` removed. */
  movedTo?: string;
}

export type EditOutcome =
  | { ok: true; changes: FileChange[]; strategies: MatchStrategy[] }
  | { ok: false; error: EditError };

/** Read access to the files an edit may target: returns the content, or undefined when absent. */
export type FileLookup = (path: string) => string | undefined;
