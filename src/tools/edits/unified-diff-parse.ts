// Parser for unified diffs (plain and git): file headers, /dev/null adds and deletes, renames, and hunks whose
// extent is read from their line prefixes rather than trusted `@@` counts (models often get the counts wrong).
import { editError } from './errors';
import type { EditError } from './types';

export interface DiffHunk {
  /** The `@@ … @@` line as written, to name the hunk in messages. */
  header: string;
  /** Old-side start line from the `@@` header (1-based; 0 = before the first line), absent when not given. */
  oldStart?: number;
  oldLines: string[];
  newLines: string[];
  /** `\ No newline at end of file` followed the last old-side / new-side line. */
  oldNoNewline: boolean;
  newNoNewline: boolean;
  /** How many context lines at the end had no ' ' marker (possibly prose after the diff). */
  trailingUnmarked?: number;
}

export interface FileDiff {
  /** null for /dev/null (the file is created). */
  oldPath: string | null;
  /** null for /dev/null (the file is deleted). */
  newPath: string | null;
  /** A git rename (`rename from`/`rename to`), as opposed to differing a/ and b/ names of one file. */
  renamed: boolean;
  hunks: DiffHunk[];
}

export type DiffParse = { ok: true; files: FileDiff[] } | { ok: false; error: EditError };

const HUNK_HEADER = /^@@/;
const OLD_START = /^@@\s*-(\d+)/;
const GIT_HEADER = /^diff --git ("?)a\/(.+?)\1 ("?)b\/(.+?)\3$/;

export function looksLikeUnifiedDiff(text: string): boolean {
  const lines = text.split(/\r?\n/);
  return lines.some((line, i) => line.startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ ')) ||
    lines.some((line) => OLD_START.test(line));
}

export function cleanDiffPath(raw: string): string | null {
  let path = raw.split('\t')[0].trim();
  if (path.startsWith('"') && path.endsWith('"') && path.length > 1) path = path.slice(1, -1);
  if (path === '/dev/null') return null;
  return path.replace(/^[ab]\//, '');
}

function isFileHeader(lines: string[], i: number): boolean {
  return lines[i].startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ ');
}

export function parseUnifiedDiff(text: string): DiffParse {
  const lines = text.split(/\r?\n/);
  const files: FileDiff[] = [];
  let file: FileDiff | undefined;
  let hunk: DiffHunk | undefined;
  let gitFileOpen = false;
  let lastKind: LineKind = ' ';
  const startFile = (oldPath: string | null, newPath: string | null): FileDiff => {
    file = { oldPath, newPath, renamed: false, hunks: [] };
    files.push(file);
    return file;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const git = GIT_HEADER.exec(line);
    if (git) {
      hunk = endHunk(hunk);
      startFile(git[2], git[4]);
      gitFileOpen = true;
    } else if (isFileHeader(lines, i)) {
      hunk = endHunk(hunk);
      const oldPath = cleanDiffPath(line.slice(4));
      const newPath = cleanDiffPath(lines[i + 1].slice(4));
      if (gitFileOpen && file) Object.assign(file, { oldPath, newPath });
      else startFile(oldPath, newPath);
      gitFileOpen = false;
      i++;
    } else if (HUNK_HEADER.test(line)) {
      hunk = endHunk(hunk);
      // A hunk without a file header targets the file the caller names ('' = unnamed).
      const target = file ?? startFile('', '');
      const start = OLD_START.exec(line)?.[1];
      hunk = { header: line.trim(), oldStart: start === undefined ? undefined : Number(start), oldLines: [], newLines: [], oldNoNewline: false, newNoNewline: false };
      target.hunks.push(hunk);
      gitFileOpen = false;
    } else if (hunk && isHunkLine(line)) {
      lastKind = addHunkLine(hunk, line, lastKind);
      hunk.trailingUnmarked = 0;
    } else if (hunk) {
      // Models often drop the space of context lines; trailing ones are dropped again in endHunk (maybe prose).
      lastKind = addHunkLine(hunk, ' ' + line, lastKind);
      hunk.trailingUnmarked = (hunk.trailingUnmarked ?? 0) + 1;
    } else {
      hunk = endHunk(hunk);
      if (file && gitFileOpen) readGitMetadata(file, line);
    }
  }
  endHunk(hunk);
  // A header without body lines (`@@ -1,3 +1,4 @@` and nothing after it) changes nothing: it is not a hunk.
  for (const f of files) f.hunks = f.hunks.filter((h) => h.oldLines.length > 0 || h.newLines.length > 0);
  const withHunks = files.filter((f) => f.hunks.length > 0 || f.oldPath === null || f.newPath === null || f.renamed);
  if (withHunks.length === 0) return { ok: false, error: editError('malformed_edit', 'The diff has no hunks (no "@@" sections with +/- lines); nothing was changed.') };
  return { ok: true, files: withHunks };
}

function isHunkLine(line: string): boolean {
  return line === '' || line.startsWith(' ') || line.startsWith('-') || line.startsWith('+') || line.startsWith('\\');
}

type LineKind = ' ' | '-' | '+';

/** Adds one body line to the hunk and returns its kind (a `\ No newline` marker refers to the previous line). */
function addHunkLine(hunk: DiffHunk, line: string, previous: LineKind): LineKind {
  if (line.startsWith('\\')) {
    if (previous !== '+') hunk.oldNoNewline = true;
    if (previous !== '-') hunk.newNoNewline = true;
    return previous;
  }
  const kind = line === '' ? ' ' : (line[0] as LineKind);
  const text = line.slice(1);
  if (kind !== '+') hunk.oldLines.push(text);
  if (kind !== '-') hunk.newLines.push(text);
  return kind;
}

/** Blank lines trailing a hunk are usually the gap before the next file or prose, not context. */
function endHunk(hunk: DiffHunk | undefined): undefined {
  for (let n = hunk?.trailingUnmarked ?? 0; hunk && n > 0; n--) {
    hunk.oldLines.pop();
    hunk.newLines.pop();
  }
  while (hunk && hunk.oldLines.length > 0 && hunk.newLines.length > 0 &&
    hunk.oldLines[hunk.oldLines.length - 1] === '' && hunk.newLines[hunk.newLines.length - 1] === '' && !hunk.oldNoNewline) {
    hunk.oldLines.pop();
    hunk.newLines.pop();
  }
  return undefined;
}

function readGitMetadata(file: FileDiff, line: string): void {
  if (line.startsWith('new file mode')) file.oldPath = null;
  else if (line.startsWith('deleted file mode')) file.newPath = null;
  else if (line.startsWith('rename from ')) { file.oldPath = line.slice('rename from '.length).trim(); file.renamed = true; }
  else if (line.startsWith('rename to ')) { file.newPath = line.slice('rename to '.length).trim(); file.renamed = true; }
}
