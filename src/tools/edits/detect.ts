// Recognising which edit format a piece of model output is written in.
import { looksLikeApplyPatch } from './apply-patch-parse';
import { hasSearchMarker } from './blocks';
import { looksLikeEditJson } from './edit-json';
import type { EditFormat } from './types';
import { looksLikeUnifiedDiff } from './unified-diff-parse';

const SEARCH_LINE = /^(?:<{7,8}|-{3,}) SEARCH>?$/;

/** The format of `text`, or null when it is none of the known formats. Checked from most to least specific. */
export function detectEditFormat(text: string): Exclude<EditFormat, 'auto'> | null {
  if (looksLikeEditJson(text)) return 'edit-json';
  if (looksLikeApplyPatch(text)) return 'apply-patch';
  if (hasSearchMarker(text)) return namesFileBeforeBlock(text) ? 'editblock' : 'search-replace';
  if (looksLikeUnifiedDiff(text)) return 'unified-diff';
  return null;
}

/** Aider's dialect puts a filename line (possibly then a fence) right before the first SEARCH marker. */
function namesFileBeforeBlock(text: string): boolean {
  const lines = text.split(/\r?\n/);
  const marker = lines.findIndex((line) => SEARCH_LINE.test(line));
  const before = lines.slice(0, marker).filter((line) => line.trim() !== '' && !/^\s*(`{3,}|~{3,})\s*\w*$/.test(line));
  const last = before[before.length - 1];
  return last !== undefined && /^[^\s]+$/.test(last.trim().replace(/^[#*`]+|[*`:]+$/g, ''));
}
