// Applying a `*** Begin Patch` edit: every operation is computed in memory, and any failure rejects the whole patch.
import { parseApplyPatch, type PatchChunk, type PatchOperation } from './apply-patch-parse';
import { ambiguousError, editError, indentationGuessError, labelled, noMatchError, outOfOrderError, type SearchStart, type Unit } from './errors';
import { locateLines, type LineMatch } from './line-match';
import { guessesIndentation, renderReplacement } from './replacement';
import { closestCandidate } from './similarity';
import { describeDocument, indexLines, restoreBom } from './text';
import type { EditError, EditOutcome, FileLookup, MatchStrategy } from './types';
import { WorkingSet } from './working-set';

type Step = { ok: true; strategies: MatchStrategy[] } | { ok: false; error: EditError };

export function applyBeginPatch(text: string, lookup: FileLookup, file?: string): EditOutcome {
  const parsed = parseApplyPatch(text);
  if (!parsed.ok) return parsed;
  const paths = new Set(parsed.operations.map((op) => op.path));
  if (file !== undefined && paths.size > 1) {
    return { ok: false, error: editError('malformed_edit', `The patch changes ${paths.size} files, but a single target file (${file}) was given.`, { path: file }) };
  }
  const workingSet = new WorkingSet(lookup);
  const strategies: MatchStrategy[] = [];
  for (const operation of parsed.operations) {
    const step = applyOperation(file === undefined ? operation : { ...operation, path: file }, workingSet);
    if (!step.ok) return step;
    strategies.push(...step.strategies);
  }
  return { ok: true, changes: workingSet.changes(), strategies };
}

function applyOperation(operation: PatchOperation, workingSet: WorkingSet): Step {
  const existing = workingSet.read(operation.path);
  switch (operation.kind) {
    case 'add':
      if (existing !== undefined && existing !== '') {
        return { ok: false, error: editError('file_exists', `"*** Add File: ${operation.path}" but the file already exists; use "*** Update File:" to change it.`, { path: operation.path }) };
      }
      workingSet.write(operation.path, operation.content);
      return { ok: true, strategies: ['created'] };
    case 'delete':
      if (existing === undefined) return missing(operation.path, 'delete');
      workingSet.write(operation.path, null);
      return { ok: true, strategies: ['whole-file'] };
    case 'update': {
      if (existing === undefined) return missing(operation.path, 'update');
      const updated = applyChunks(existing, operation.chunks, operation.path);
      if (!updated.ok) return updated;
      if (operation.moveTo !== undefined && operation.moveTo !== operation.path) workingSet.move(operation.path, operation.moveTo, updated.content);
      else workingSet.write(operation.path, updated.content);
      return { ok: true, strategies: updated.strategies };
    }
  }
}

function missing(path: string, verb: 'update' | 'delete'): Step {
  const next = verb === 'update'
    ? `To create it, use "*** Add File: ${path}" with each line prefixed by "+"; otherwise check the path (list the directory).`
    : 'Drop that section, or check the path (list the directory).';
  return { ok: false, error: editError('file_not_found', `Cannot ${verb} ${path}: the file does not exist; nothing was changed. ${next}`, { path }) };
}

interface Replacement {
  start: number;
  length: number;
  lines: string[];
}

type ChunksResult = { ok: true; content: string; strategies: MatchStrategy[] } | { ok: false; error: EditError };

/** Chunks are found in order, each after the previous one, as the format defines. */
function applyChunks(content: string, chunks: PatchChunk[], path: string): ChunksResult {
  const shape = describeDocument(content);
  const fileLines = indexLines(shape.body).map((line) => line.text);
  const replacements: Replacement[] = [];
  const strategies: MatchStrategy[] = [];
  let start: SearchStart = { line: 1, after: 'the start of the file' };
  for (let index = 0; index < chunks.length; index++) {
    const chunk = chunks[index];
    const unit = chunkUnit(chunk);
    let anchored = false;
    if (chunk.context !== undefined) {
      const anchor = locateLines(fileLines, [chunk.context], { from: start.line - 1, takeFirst: true, punctuation: true });
      if (anchor.kind !== 'found') return { ok: false, error: missedChunk(fileLines, [chunk.context], start, { path, index, unit, what: `: its @@ line "${chunk.context}"` }) };
      start = { line: anchor.match.start + 2, after: `its @@ line (line ${anchor.match.start + 1})` };
      anchored = true;
    }
    if (chunk.oldLines.length === 0) {
      replacements.push({ start: fileLines.length, length: 0, lines: chunk.newLines });
      continue;
    }
    const found = locateChunk(fileLines, chunk, start, anchored);
    if ('error' in found) return { ok: false, error: found.error({ path, index, unit, what: '' }) };
    const { match, oldLines, newLines } = found;
    const rendered = renderReplacement(fileLines.slice(match.start, match.start + match.length), oldLines, newLines, match, true);
    if (guessesIndentation(oldLines, newLines, rendered, match.level)) {
      return { ok: false, error: indentationGuessError(path, index, { startLine: match.start + 1, lines: fileLines.slice(match.start, match.start + 1), similarity: 1 }, unit) };
    }
    replacements.push({ start: match.start, length: match.length, lines: rendered });
    strategies.push(match.level);
    start = { line: match.start + match.length + 1, after: `chunk #${index + 1} (lines ${match.start + 1}-${match.start + match.length})` };
  }
  const lines = [...fileLines];
  for (const r of [...replacements].sort((a, b) => b.start - a.start)) lines.splice(r.start, r.length, ...r.lines);
  const endsWithNewline = shape.body === '' || /\n$/.test(shape.body);
  const body = lines.length === 0 ? '' : lines.join(shape.eol) + (endsWithNewline ? shape.eol : '');
  return { ok: true, content: restoreBom(shape, body), strategies };
}

/** A chunk is named by its `@@` line when it has one, else by its first line. */
function chunkUnit(chunk: PatchChunk): Unit {
  return chunk.context !== undefined ? { name: 'Chunk', label: `@@ ${chunk.context}` } : labelled('Chunk', chunk.oldLines);
}

/** Which chunk failed, for its error message. */
interface ChunkRef {
  path: string;
  index: number;
  unit: Unit;
  /** What of the chunk was looked for, when not its lines (its @@ line). */
  what: string;
}

/**
 * Why a chunk's lines (or @@ line) are not below where its search started: out of order, when the same lines
 * are above that point (a plain "not found" with a perfect candidate would not say why); else not in the file.
 */
function missedChunk(fileLines: readonly string[], searched: string[], start: SearchStart, ref: ChunkRef): EditError {
  if (start.line > 1) {
    const above = locateLines(fileLines, searched, { takeFirst: true, punctuation: true });
    if (above.kind === 'found' && above.match.start < start.line - 1) {
      const match = { startLine: above.match.start + 1, lines: fileLines.slice(above.match.start, above.match.start + above.match.length), similarity: 1 };
      return outOfOrderError(ref.path, ref.index, ref.unit, start, match, above.match.level === 'exact', ref.what);
    }
  }
  const error = noMatchError(ref.path, ref.index, closestCandidate(fileLines, searched), ref.unit, searched);
  return ref.what === '' ? error : { ...error, message: error.message.replace(' was not found;', `${ref.what} was not found;`) };
}

type ChunkLocation =
  | { match: LineMatch; oldLines: string[]; newLines: string[] }
  | { error: (ref: ChunkRef) => EditError };

const LEVEL_RANK: Record<LineMatch['level'], number> = { exact: 0, 'trailing-whitespace': 1, indentation: 2, trimmed: 3, whitespace: 4, punctuation: 5 };

function readings(chunk: PatchChunk): Array<[string[], string[]]> {
  const result: Array<[string[], string[]]> = [[chunk.oldLines, chunk.newLines]];
  // A trailing empty context line often stands for the file's final newline rather than a blank line.
  if (chunk.oldLines[chunk.oldLines.length - 1] === '' && chunk.oldLines.length > 1) {
    const trimNew = chunk.newLines[chunk.newLines.length - 1] === '' ? chunk.newLines.slice(0, -1) : chunk.newLines;
    result.push([chunk.oldLines.slice(0, -1), trimNew]);
  }
  if (chunk.unmarkedOldLines.some((line, i) => line !== chunk.oldLines[i])) result.push([chunk.unmarkedOldLines, chunk.unmarkedNewLines]);
  return result;
}

/** Tries each reading of the chunk and keeps the one that matches most strictly. */
function locateChunk(fileLines: string[], chunk: PatchChunk, start: SearchStart, anchored: boolean): ChunkLocation {
  const from = start.line - 1;
  let best: { match: LineMatch; oldLines: string[]; newLines: string[] } | undefined;
  for (const [oldLines, newLines] of readings(chunk)) {
    const located = locateLines(fileLines, oldLines, { from, punctuation: true, preferEnd: chunk.atEnd, takeFirst: anchored });
    if (located.kind === 'ambiguous' && !best) {
      return { error: (ref) => ambiguousError(ref.path, ref.index, located.starts.map((s) => s + 1), oldLines.length, ref.unit) };
    }
    if (located.kind === 'found' && (!best || LEVEL_RANK[located.match.level] < LEVEL_RANK[best.match.level])) {
      best = { match: located.match, oldLines, newLines };
    }
  }
  if (best) return best;
  return { error: (ref) => missedChunk(fileLines, chunk.oldLines, start, ref) };
}
