// Parser for the `*** Begin Patch` format emitted by OpenAI models (codex apply_patch): Add/Delete/Update File,
// `*** Move to:`, `@@ context` chunks and `*** End of File`.
import { editError } from './errors';
import type { EditError } from './types';

export interface PatchChunk {
  /** The `@@ text` line: the chunk lies after the first line matching it. */
  context?: string;
  oldLines: string[];
  newLines: string[];
  /** `*** End of File`: the chunk's old lines end the file. */
  atEnd: boolean;
  /**
   * The same chunk read as if context lines had no marker (their leading space kept): models often drop the
   * marker, and an indented context line then looks like a marked one.
   */
  unmarkedOldLines: string[];
  unmarkedNewLines: string[];
}

export type PatchOperation =
  | { kind: 'add'; path: string; content: string }
  | { kind: 'delete'; path: string }
  | { kind: 'update'; path: string; moveTo?: string; chunks: PatchChunk[] };

export type PatchParse = { ok: true; operations: PatchOperation[] } | { ok: false; error: EditError };

const BEGIN = '*** Begin Patch';
const END = '*** End Patch';
const ADD = '*** Add File: ';
const DELETE = '*** Delete File: ';
const UPDATE = '*** Update File: ';
const MOVE = '*** Move to: ';
const END_OF_FILE = '*** End of File';

export function looksLikeApplyPatch(text: string): boolean {
  return text.split(/\r?\n/).some((line) => line.trim() === BEGIN);
}

function malformed(message: string): PatchParse {
  return { ok: false, error: editError('malformed_edit', `${message}; nothing was changed. The patch must be "*** Begin Patch", then Add/Delete/Update File sections, then "*** End Patch".`) };
}

function isOperationHeader(marker: string): boolean {
  return marker.startsWith(ADD) || marker.startsWith(DELETE) || marker.startsWith(UPDATE) || marker === END;
}

export function parseApplyPatch(text: string): PatchParse {
  const lines = text.split(/\r?\n/);
  const begin = lines.findIndex((line) => line.trim() === BEGIN);
  if (begin === -1) return malformed('Missing "*** Begin Patch"');
  let end = -1;
  for (let i = lines.length - 1; i > begin; i--) if (lines[i].trim() === END) { end = i; break; }
  if (end === -1) return malformed('Missing "*** End Patch"');
  const operations: PatchOperation[] = [];
  let i = begin + 1;
  while (i < end) {
    const marker = lines[i].trim();
    if (marker === '') { i++; continue; }
    const section = readOperation(lines, i, end, marker);
    if ('error' in section) return malformed(section.error);
    operations.push(section.operation);
    i = section.next;
  }
  if (operations.length === 0) return malformed('The patch is empty');
  return { ok: true, operations };
}

type SectionResult = { operation: PatchOperation; next: number } | { error: string };

function readOperation(lines: string[], at: number, end: number, marker: string): SectionResult {
  if (marker.startsWith(ADD)) {
    const path = marker.slice(ADD.length).trim();
    const body: string[] = [];
    let i = at + 1;
    for (; i < end && lines[i].startsWith('+'); i++) body.push(lines[i].slice(1));
    if (i < end && !isOperationHeader(lines[i].trim())) return { error: `Line ${i + 1} of an Add File section does not start with "+"` };
    return { operation: { kind: 'add', path, content: body.map((line) => line + '\n').join('') }, next: i };
  }
  if (marker.startsWith(DELETE)) return { operation: { kind: 'delete', path: marker.slice(DELETE.length).trim() }, next: at + 1 };
  if (marker.startsWith(UPDATE)) return readUpdate(lines, at, end, marker.slice(UPDATE.length).trim());
  return { error: `"${lines[at]}" is not a valid file header (line ${at + 1})` };
}

function readUpdate(lines: string[], at: number, end: number, path: string): SectionResult {
  let i = at + 1;
  let moveTo: string | undefined;
  if (i < end && lines[i].trim().startsWith(MOVE)) moveTo = lines[i++].trim().slice(MOVE.length).trim();
  const chunks: PatchChunk[] = [];
  let chunk: PatchChunk | undefined;
  for (; i < end; i++) {
    const line = lines[i];
    const marker = line.trim();
    if (isOperationHeader(marker)) break;
    if (marker === END_OF_FILE) {
      if (chunk) chunk.atEnd = true;
      // Nothing can follow the end of the file in this chunk; blank lines up to the next header are spacing.
      while (i + 1 < end && lines[i + 1].trim() === '') i++;
      chunk = undefined;
      continue;
    }
    if (line.startsWith('@@')) {
      const context = line.slice(2).trim();
      chunk = { context: context === '' ? undefined : context, ...emptyChunkLines() };
      chunks.push(chunk);
      continue;
    }
    if (!chunk) {
      chunk = emptyChunkLines();
      chunks.push(chunk);
    }
    addChunkLine(chunk, line);
  }
  const changed = chunks.filter((c) => c.oldLines.length > 0 || c.newLines.length > 0);
  if (changed.length === 0 && moveTo === undefined) return { error: `The Update File section for ${path} has no changes` };
  return { operation: { kind: 'update', path, moveTo, chunks: changed }, next: i };
}

function emptyChunkLines(): PatchChunk {
  return { oldLines: [], newLines: [], atEnd: false, unmarkedOldLines: [], unmarkedNewLines: [] };
}

/** A line without a ' ', '-' or '+' prefix is read as context: models often drop the space of context lines. */
function addChunkLine(chunk: PatchChunk, line: string): void {
  const kind = line[0];
  if (kind === '+') {
    chunk.newLines.push(line.slice(1));
    chunk.unmarkedNewLines.push(line.slice(1));
  } else if (kind === '-') {
    chunk.oldLines.push(line.slice(1));
    chunk.unmarkedOldLines.push(line.slice(1));
  } else {
    const text = kind === ' ' ? line.slice(1) : line;
    chunk.oldLines.push(text);
    chunk.newLines.push(text);
    chunk.unmarkedOldLines.push(line);
    chunk.unmarkedNewLines.push(line);
  }
}
