// Entry point for edit text from a model or the CLI: detects the format and applies it over the caller's files.
import { applyBeginPatch } from './apply-patch';
import { parseBlocks, type ParsedBlock } from './blocks';
import { detectEditFormat } from './detect';
import { parseEditJson } from './edit-json';
import { applyLazyEdit } from './lazy-edit';
import { editError, withPath } from './errors';
import { applyPairsWith } from './search-replace';
import type { EditFormat, EditOutcome, FileLookup, MatchStrategy, SearchReplacePair } from './types';
import { applyUnifiedDiff } from './unified-diff';
import { WorkingSet } from './working-set';

export interface ApplyEditOptions {
  format?: EditFormat;
  /** The target file; wins over a path written in the edit text. */
  file?: string;
  /** 1-based line where the first search/replace block is expected to start, when the block does not say itself. */
  startLineHint?: number;
}

export function applyEditText(text: string, lookup: FileLookup, options: ApplyEditOptions = {}): EditOutcome {
  const format = options.format && options.format !== 'auto' ? options.format : detectEditFormat(text);
  switch (format) {
    case 'search-replace':
    case 'editblock':
      return applyBlockText(text, lookup, options.file, options.startLineHint);
    case 'unified-diff':
      return applyUnifiedDiff(text, lookup, options.file);
    case 'apply-patch':
      return applyBeginPatch(text, lookup, options.file);
    case 'edit-json':
      return applyEditJson(text, lookup, options.file);
    case 'lazy-edit':
      return applyLazyText(text, lookup, options.file);
    case null:
      return {
        ok: false,
        error: editError('malformed_edit', 'The edit format was not recognised. Use SEARCH/REPLACE blocks, a unified diff, a "*** Begin Patch" patch, or {"path", "edits": [{"search", "replace"}]}.'),
      };
  }
}

interface FileEdit {
  path: string;
  pairs: SearchReplacePair[];
  firstIndex: number;
}

/** Groups blocks by target file, keeping their order; indexes stay those of the whole edit text. */
function groupByFile(blocks: ParsedBlock[], file: string | undefined, startLineHint: number | undefined): FileEdit[] | undefined {
  const groups = new Map<string, FileEdit>();
  for (let i = 0; i < blocks.length; i++) {
    const path = file ?? blocks[i].path;
    if (path === undefined) return undefined;
    const group = groups.get(path) ?? { path, pairs: [], firstIndex: i };
    // The option's hint says where the edit starts: it stands in for the first block's own hint only.
    group.pairs.push({ search: blocks[i].search, replace: blocks[i].replace, startLineHint: blocks[i].startLine ?? (i === 0 ? startLineHint : undefined) });
    groups.set(path, group);
  }
  return [...groups.values()];
}

function applyBlockText(text: string, lookup: FileLookup, file: string | undefined, startLineHint: number | undefined): EditOutcome {
  const parsed = parseBlocks(text);
  if (!parsed.ok) return { ok: false, error: file ? withPath(parsed.error, file) : parsed.error };
  const groups = groupByFile(parsed.blocks, file, startLineHint);
  if (!groups) return { ok: false, error: editError('missing_path', 'A SEARCH/REPLACE block does not say which file it edits: put the file path on the line before the block.') };
  return applyGroups(groups, lookup, true);
}

function applyEditJson(text: string, lookup: FileLookup, file: string | undefined): EditOutcome {
  const parsed = parseEditJson(text);
  if (!parsed.ok) return parsed;
  const path = file ?? parsed.path;
  if (path === undefined) return { ok: false, error: editError('missing_path', 'The edit JSON has no "path"; say which file to edit.') };
  return applyGroups([{ path, pairs: parsed.pairs, firstIndex: 0 }], lookup, false);
}

/** A lazy edit names no file in its text: the caller says which file it rewrites. */
function applyLazyText(text: string, lookup: FileLookup, file: string | undefined): EditOutcome {
  if (file === undefined) return { ok: false, error: editError('missing_path', 'A lazy edit (a file with "... existing code ..." placeholders) needs the path of the file it rewrites.') };
  const before = lookup(file);
  if (before === undefined) return { ok: false, error: editError('file_not_found', `${file} does not exist; a lazy edit fills placeholders from the current file, so write a new file in full instead.`, { path: file }) };
  const result = applyLazyEdit(before, text, file);
  if (!result.ok) return result;
  return { ok: true, changes: [{ path: file, before, after: result.content }], strategies: result.strategies };
}

/** Applies each file's pairs in memory; the first failure rejects the whole edit, across all files. */
function applyGroups(groups: FileEdit[], lookup: FileLookup, lineAnchored: boolean): EditOutcome {
  const workingSet = new WorkingSet(lookup);
  const strategies: MatchStrategy[] = [];
  for (const group of groups) {
    const current = workingSet.read(group.path);
    if (current === undefined && group.pairs.some((pair) => pair.search !== '')) {
      return { ok: false, error: editError('file_not_found', `${group.path} does not exist; to create it, use an empty search text.`, { path: group.path }) };
    }
    const result = applyPairsWith(current ?? '', group.pairs, { path: group.path, lineAnchored, firstEditIndex: group.firstIndex });
    if (!result.ok) return result;
    workingSet.write(group.path, result.content);
    strategies.push(...result.strategies);
  }
  const changes = workingSet.changes();
  if (changes.length === 0) return { ok: false, error: editError('no_op', 'The edit changes nothing: the files would stay exactly as they are. Read the file again; the change may already be there.') };
  return { ok: true, changes, strategies };
}
