// The corpus's extra/ records (validate, parse, match, seek, apply-chunks) checked against the parts of the engine
// that answer the same question. Reported apart from the apply cases; nothing in the engine is tuned per record.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEditText, applySearchReplacePairs } from '../src/tools/edits';
import { parseApplyPatch, type PatchOperation } from '../src/tools/edits/apply-patch-parse';
import { parseBlocks } from '../src/tools/edits/blocks';
import { locateLines } from '../src/tools/edits/line-match';
import { parseUnifiedDiff } from '../src/tools/edits/unified-diff-parse';

export type ExtraVerdict = 'agreed' | 'disagreed' | 'not_comparable';

export interface ExtraTally {
  cases: number;
  agreed: number;
  disagreed: number;
  notComparable: number;
}

export interface ExtraOutcome {
  id: string;
  file: string;
  kind: string;
  verdict: ExtraVerdict;
  detail: string;
}

export interface ExtraChecksResult {
  /** Keyed `file kind`. */
  byGroup: Record<string, ExtraTally>;
  outcomes: ExtraOutcome[];
}

interface ExtraRecord {
  id: string;
  kind: string;
  format: string;
  original: unknown;
  edit: unknown;
  valid?: boolean;
  expect_error?: boolean;
  expected?: unknown;
  expected_blocks?: Array<{ path: string; search: string; replace: string }> | null;
  expected_hunks?: unknown[];
  expected_hunk_count?: number;
  expected_match?: MatchSpan | MatchSpan[] | null;
  expected_index?: number | null;
  params?: { start?: number; eof?: boolean };
  path?: string;
}

interface MatchSpan {
  startIndex: number;
  endIndex: number;
}

type Check = { verdict: ExtraVerdict; detail: string };

const agreeIf = (same: boolean, ours: unknown, theirs: unknown): Check =>
  same ? { verdict: 'agreed', detail: '' } : { verdict: 'disagreed', detail: `ours ${JSON.stringify(ours)}\n     peer ${JSON.stringify(theirs)}` };

/** validate: is the edit text well formed? Our answer is whether the format's parser accepts it. */
function checkValidate(record: ExtraRecord): Check {
  const text = String(record.edit);
  if (record.format === 'search-replace') return agreeIf(parseBlocks(text).ok === record.valid, parseBlocks(text).ok, record.valid);
  if (record.format === 'unified-diff') return agreeIf(parseUnifiedDiff(text).ok === record.valid, parseUnifiedDiff(text).ok, record.valid);
  return { verdict: 'not_comparable', detail: `no validator for format ${record.format}` };
}

/**
 * aider parse: (filename, search, replace) triples. Aider raises when a block has no filename; our parser leaves the
 * path unset and applying such a block without a target file fails with missing_path, which counts as the same.
 */
function checkBlocksParse(record: ExtraRecord): Check {
  const parsed = parseBlocks(String(record.edit));
  if (record.expect_error) {
    const rejected = !parsed.ok || parsed.blocks.some((block) => block.path === undefined);
    return agreeIf(rejected, parsed.ok ? parsed.blocks : parsed.error.message, 'an error');
  }
  if (!parsed.ok) return agreeIf(false, parsed.error.message, record.expected_blocks);
  const ours = parsed.blocks.map((block) => ({ path: block.path, search: block.search, replace: block.replace }));
  return agreeIf(JSON.stringify(ours) === JSON.stringify(record.expected_blocks), ours, record.expected_blocks);
}

/** Our parsed operations in the shape of Roo's port of the codex parser. */
function asPortHunks(operations: PatchOperation[]): unknown[] {
  return operations.map((op) => {
    if (op.kind === 'add') return { type: 'AddFile', path: op.path, contents: op.content };
    if (op.kind === 'delete') return { type: 'DeleteFile', path: op.path };
    const chunks = op.chunks.map((c) => ({ changeContext: c.context ?? null, oldLines: c.oldLines, newLines: c.newLines, isEndOfFile: c.atEnd }));
    return { type: 'UpdateFile', path: op.path, movePath: op.moveTo ?? null, chunks };
  });
}

function checkPatchParse(record: ExtraRecord): Check {
  const parsed = parseApplyPatch(String(record.edit));
  if (record.expect_error) return agreeIf(!parsed.ok, parsed.ok ? asPortHunks(parsed.operations) : '', 'an error');
  if (!parsed.ok) return agreeIf(false, parsed.error.message, record.expected_hunks ?? `${record.expected_hunk_count} hunks`);
  const ours = asPortHunks(parsed.operations);
  if (record.expected_hunk_count !== undefined) return agreeIf(ours.length === record.expected_hunk_count, ours.length, record.expected_hunk_count);
  return agreeIf(JSON.stringify(ours) === JSON.stringify(record.expected_hunks), ours, record.expected_hunks);
}

const MARKER = '\u0001MATCHED\u0001';

/**
 * match: where a search lands. The engine exposes no matcher by offset, so the search is applied with a marker as
 * the replacement and the file is rebuilt from the text around the markers plus the peer's spans: equal to the
 * original only if we replaced exactly those spans. Continue takes the first of several matches and matches an
 * empty search at 0; the engine rejects both, and those count as disagreements.
 */
function checkMatch(record: ExtraRecord): Check {
  const original = String(record.original);
  const search = String((record.edit as { old_string?: unknown }).old_string ?? '');
  const expected = record.expected_match ?? null;
  const spans = expected === null ? [] : Array.isArray(expected) ? expected : [expected];
  const result = applySearchReplacePairs(original, [{ search, replace: MARKER, replaceAll: Array.isArray(expected) }]);
  if (!result.ok) return agreeIf(spans.length === 0, `${result.error.code}`, expected);
  if (spans.length === 0) return agreeIf(false, 'a match', 'no match');
  const parts = result.content.split(MARKER);
  if (parts.length !== spans.length + 1) return agreeIf(false, `${parts.length - 1} matches`, expected);
  const rebuilt = parts.map((part, i) => part + (i < spans.length ? original.slice(spans[i].startIndex, spans[i].endIndex) : '')).join('');
  return agreeIf(rebuilt === original, result.content, expected);
}

/** seek: the line index where apply_patch finds a line sequence; ours is the same lookup apply-patch.ts makes. */
function checkSeek(record: ExtraRecord): Check {
  const lines = record.original as string[];
  const pattern = record.edit as string[];
  const located = locateLines(lines, pattern, { from: record.params?.start ?? 0, takeFirst: true, punctuation: true, preferEnd: record.params?.eof === true });
  const ours = located.kind === 'found' ? located.match.start : null;
  return agreeIf(ours === record.expected_index, ours, record.expected_index);
}

interface PortChunk {
  changeContext: string | null;
  oldLines: string[];
  newLines: string[];
  isEndOfFile: boolean;
}

/** apply-chunks: the pre-parsed chunks written back as a `*** Begin Patch` update and applied through the engine. */
function checkApplyChunks(record: ExtraRecord): Check {
  const file = record.path ?? 'file.txt';
  const body = (record.edit as PortChunk[]).flatMap((chunk) => [
    chunk.changeContext === null ? '@@' : `@@ ${chunk.changeContext}`,
    ...chunk.oldLines.map((line) => `-${line}`),
    ...chunk.newLines.map((line) => `+${line}`),
    ...(chunk.isEndOfFile ? ['*** End of File'] : []),
  ]);
  const patch = ['*** Begin Patch', `*** Update File: ${file}`, ...body, '*** End Patch'].join('\n');
  const outcome = applyEditText(patch, (p) => (p === file ? String(record.original) : undefined), { format: 'apply-patch' });
  const ours = outcome.ok ? outcome.changes.find((c) => c.path === file)?.after ?? String(record.original) : null;
  const theirs = record.expect_error ? null : (record.expected as string | null);
  return agreeIf(ours === theirs, outcome.ok ? ours : outcome.error.message, theirs);
}

function check(record: ExtraRecord): Check {
  switch (record.kind) {
    case 'validate':
      return checkValidate(record);
    case 'parse':
      return record.format === 'apply-patch' ? checkPatchParse(record) : checkBlocksParse(record);
    case 'match':
      return checkMatch(record);
    case 'seek':
      return checkSeek(record);
    case 'apply-chunks':
      return checkApplyChunks(record);
    default:
      return { verdict: 'not_comparable', detail: `unknown kind ${record.kind}` };
  }
}

export function measureExtraChecks(extraDir: string): ExtraChecksResult {
  const byGroup: Record<string, ExtraTally> = {};
  const outcomes: ExtraOutcome[] = [];
  const files = fs.readdirSync(extraDir).filter((name) => name.endsWith('.jsonl')).sort();
  for (const file of files) {
    const records = fs.readFileSync(path.join(extraDir, file), 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as ExtraRecord);
    for (const record of records) {
      let result: Check;
      try {
        result = check(record);
      } catch (error) {
        result = { verdict: 'disagreed', detail: `engine threw: ${(error as Error).message}` };
      }
      const tally = (byGroup[`${file} ${record.kind}`] ??= { cases: 0, agreed: 0, disagreed: 0, notComparable: 0 });
      tally.cases++;
      if (result.verdict === 'agreed') tally.agreed++;
      else if (result.verdict === 'disagreed') tally.disagreed++;
      else tally.notComparable++;
      outcomes.push({ id: record.id, file, kind: record.kind, ...result });
    }
  }
  return { byGroup, outcomes };
}

export function formatExtraReport(result: ExtraChecksResult, verbose: boolean): string {
  const lines = ['', 'extraChecks (extra/: not apply cases; each kind checked against the engine part that answers it)'];
  lines.push(['file kind'.padEnd(52), ...['cases', 'agreed', 'share', 'disagree', 'n/a'].map((h) => h.padStart(9))].join(''));
  for (const [group, t] of Object.entries(result.byGroup)) {
    const share = t.cases === 0 ? '-' : `${((100 * t.agreed) / t.cases).toFixed(1)}%`;
    lines.push([group.padEnd(52), ...[t.cases, t.agreed, share, t.disagreed, t.notComparable].map((cell) => String(cell).padStart(9))].join(''));
  }
  lines.push('validate: the format parser accepts it; parse: blocks/hunks as the peer shapes them; match: the span our');
  lines.push('str-replace engine replaces; seek: locateLines as apply_patch uses it; apply-chunks: chunks applied as a patch.');
  if (verbose) {
    for (const outcome of result.outcomes.filter((o) => o.verdict !== 'agreed')) {
      lines.push(`\n[extra ${outcome.verdict}] ${outcome.id} (${outcome.file} ${outcome.kind})\n     ${outcome.detail.slice(0, 800)}`);
    }
  }
  return lines.join('\n');
}
