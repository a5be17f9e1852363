// Applying a unified diff: each hunk is located by its context (the `@@` line number is only a hint), so diffs
// with wrong line numbers still apply; new and deleted files come from /dev/null headers.
import { editError, withPath } from './errors';
import { EditableText } from './line-table';
import { applyPairsTo, applyPairsWith, type PairSettings, type PairsApplied } from './search-replace';
import { BOM, describeDocument, restoreBom } from './text';
import { parseUnifiedDiff, type DiffHunk, type FileDiff } from './unified-diff-parse';
import type { EditError, EditOutcome, FileLookup, MatchStrategy, SearchReplacePair } from './types';
import { WorkingSet } from './working-set';

type Step = { ok: true; strategies: MatchStrategy[] } | { ok: false; error: EditError };

export function applyUnifiedDiff(text: string, lookup: FileLookup, file?: string): EditOutcome {
  const parsed = parseUnifiedDiff(text);
  if (!parsed.ok) return parsed;
  if (file !== undefined && parsed.files.length > 1) {
    return { ok: false, error: editError('malformed_edit', `The diff changes ${parsed.files.length} files, but a single target file (${file}) was given; send one file's diff per call or omit the target.`, { path: file }) };
  }
  const workingSet = new WorkingSet(lookup);
  const strategies: MatchStrategy[] = [];
  for (const fileDiff of parsed.files) {
    const step = applyFileDiff(fileDiff, workingSet, file);
    if (!step.ok) return step;
    strategies.push(...step.strategies);
  }
  const changes = workingSet.changes();
  if (changes.length === 0) return { ok: false, error: editError('no_op', 'The diff changes nothing (its hunks have no + or - lines).', { path: file }) };
  return { ok: true, changes, strategies };
}

function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

function applyFileDiff(diff: FileDiff, workingSet: WorkingSet, forced: string | undefined): Step {
  if (diff.oldPath === null) return createFile(diff, workingSet, forced ?? diff.newPath ?? '');
  if (diff.newPath === null) {
    const target = forced ?? diff.oldPath;
    if (workingSet.read(target) === undefined) return { ok: false, error: editError('file_not_found', `The diff deletes ${target}, which does not exist.`, { path: target }) };
    workingSet.write(target, null);
    return { ok: true, strategies: ['whole-file'] };
  }
  const candidates = forced !== undefined ? [forced] : [...new Set([diff.newPath, diff.oldPath])].filter((p) => p !== '');
  if (candidates.length === 0) return { ok: false, error: editError('missing_path', 'The diff has no ---/+++ file header and no target file was given; add the headers or name the file.') };
  const target = candidates.find((path) => workingSet.read(path) !== undefined);
  if (target === undefined) return { ok: false, error: editError('file_not_found', `The diff modifies ${candidates[0]}, which does not exist; use --- /dev/null to create a file.`, { path: candidates[0] }) };
  const applied = applyHunks(workingSet.read(target) ?? '', diff.hunks, target);
  if (!applied.ok) return applied;
  if (forced === undefined && diff.renamed && diff.newPath !== target) workingSet.move(target, diff.newPath, applied.content);
  else workingSet.write(target, applied.content);
  return { ok: true, strategies: applied.strategies };
}

function createFile(diff: FileDiff, workingSet: WorkingSet, target: string): Step {
  if (target === '') return { ok: false, error: editError('missing_path', 'The diff creates a file but names none.') };
  const existing = workingSet.read(target);
  if (existing !== undefined && existing.trim() !== '') {
    return { ok: false, error: editError('file_exists', `The diff creates ${target} (--- /dev/null), but it already exists; diff against its current content instead.`, { path: target }) };
  }
  const lines = diff.hunks.flatMap((hunk) => hunk.newLines);
  const last = diff.hunks[diff.hunks.length - 1];
  const content = joinLines(lines);
  workingSet.write(target, last?.newNoNewline ? content.replace(/\n$/, '') : content);
  return { ok: true, strategies: ['created'] };
}

type HunksResult = { ok: true; content: string; strategies: MatchStrategy[] } | { ok: false; error: EditError };

const HUNK_SETTINGS = { lineAnchored: true, contextIsUnchanged: true, refuseFarFromHint: false, unit: 'Hunk' } as const;

/**
 * Applies the hunks in order to one shared document, whose lines are indexed once; each hunk is located by
 * its context (the `@@` number shifted by the hunks before it is only a hint) and costs about its own size plus
 * one search of the line index, not a new pass over the whole file.
 */
function applyHunks(content: string, hunks: DiffHunk[], path: string): HunksResult {
  const shape = describeDocument(content);
  const doc = new EditableText(shape.body);
  let lineShift = 0;
  const strategies: MatchStrategy[] = [];
  for (let index = 0; index < hunks.length; index++) {
    const hunk = hunks[index];
    if (sameLines(hunk.oldLines, hunk.newLines)) continue;
    if (hunk.oldLines.length === 0) {
      // `-a,0` means "after old line a"; without a number the lines are appended.
      const at = hunk.oldStart === undefined ? Number.MAX_SAFE_INTEGER : hunk.oldStart + lineShift;
      doc.insertLines(at, hunk.newLines, shape.eol);
      strategies.push('line-hint');
    } else {
      const unit = { name: 'Hunk', label: hunk.header.length > 60 ? `${hunk.header.slice(0, 60)}…` : hunk.header } as const;
      const result = applyHunkPair(doc, pairOf(hunk, lineShift), { ...HUNK_SETTINGS, path, firstEditIndex: index, unit });
      if (!result.ok) return { ok: false, error: withPath(result.error, path) };
      strategies.push(...result.strategies);
    }
    lineShift += hunk.newLines.length - hunk.oldLines.length;
  }
  const body = applyFinalNewlineMarkers(doc.body(), hunks[hunks.length - 1], shape.eol);
  return { ok: true, content: restoreBom(shape, body), strategies };
}

/**
 * One hunk is one search/replace pair applied to the text as the hunks before it left it, with the line ending
 * that dominates that text. A text starting with a second BOM after the file's own has that one set aside too by
 * the pair's own reading of the text, so it goes through the string form; that is rare enough to cost a pass.
 */
function applyHunkPair(doc: EditableText, pair: SearchReplacePair, settings: PairSettings): PairsApplied {
  if (!doc.startsWith(BOM)) return applyPairsTo(doc, [pair], settings, doc.dominantEol());
  const result = applyPairsWith(doc.body(), [pair], settings);
  if (result.ok) doc.setBody(result.content);
  return result;
}

function pairOf(hunk: DiffHunk, lineShift: number): SearchReplacePair {
  const hint = hunk.oldStart !== undefined && hunk.oldStart > 0 ? hunk.oldStart + lineShift : undefined;
  return { search: joinLines(hunk.oldLines), replace: joinLines(hunk.newLines), startLineHint: hint };
}

/** `\ No newline at end of file` on the last hunk says how the new file ends. */
function applyFinalNewlineMarkers(body: string, last: DiffHunk | undefined, eol: string): string {
  if (!last) return body;
  if (last.newNoNewline && !last.oldNoNewline && body.endsWith('\n')) return body.slice(0, body.endsWith('\r\n') ? -2 : -1);
  if (last.oldNoNewline && !last.newNoNewline && body !== '' && !body.endsWith('\n')) return body + eol;
  return body;
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, i) => line === b[i]);
}
