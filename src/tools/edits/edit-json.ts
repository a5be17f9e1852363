// Parser for `edit-json`: the JSON arguments of the edit_file tool, {"path": "...", "edits": [{"search", "replace"}]}.
import { editError } from './errors';
import type { EditError, SearchReplacePair } from './types';

export type EditJsonParse = { ok: true; path?: string; pairs: SearchReplacePair[] } | { ok: false; error: EditError };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function looksLikeEditJson(text: string): boolean {
  if (!text.trimStart().startsWith('{')) return false;
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) && (Array.isArray(value.edits) || typeof value.search === 'string');
  } catch {
    return false;
  }
}

function toPair(value: unknown): SearchReplacePair | undefined {
  if (!isRecord(value) || typeof value.search !== 'string' || typeof value.replace !== 'string') return undefined;
  const replaceAll = value.replaceAll ?? value.replace_all;
  return { search: value.search, replace: value.replace, ...(replaceAll === true ? { replaceAll: true } : {}) };
}

export function parseEditJson(text: string): EditJsonParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: editError('malformed_edit', `The edit is not valid JSON (${(error as Error).message}).`) };
  }
  if (!isRecord(value)) return { ok: false, error: editError('malformed_edit', 'The edit JSON must be an object with "path" and "edits".') };
  const rawEdits: unknown[] = Array.isArray(value.edits) ? value.edits : [value];
  const pairs = rawEdits.map(toPair);
  const bad = pairs.findIndex((pair) => pair === undefined);
  if (bad !== -1 || pairs.length === 0) {
    return { ok: false, error: editError('malformed_edit', `Edit #${bad + 1} needs string fields "search" and "replace".`, { editIndex: Math.max(0, bad) }) };
  }
  const path = typeof value.path === 'string' && value.path !== '' ? value.path : undefined;
  return { ok: true, path, pairs: pairs.filter((pair): pair is SearchReplacePair => pair !== undefined) };
}
