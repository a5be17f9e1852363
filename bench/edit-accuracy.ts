// Measures the edit engine against the peer corpus (shared/benchmarks/edits): how often it agrees with the peer's
// expected result, and, above all, how often it writes a result the peer did not expect (a wrong apply).
// Run: npx tsc -p . && node out/bench/edit-accuracy.js [--verbose]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEditText, applySearchReplacePairs, type EditFormat, type FileChange, type SearchReplacePair } from '../src/tools/edits';
import { formatExtraReport, measureExtraChecks } from './edit-accuracy-extra';

export interface Tally {
  cases: number;
  agreed: number;
  /** We wrote content that differs from the peer's expected content. */
  wrongApply: number;
  /** We wrote content where the peer expects a rejection. */
  appliedWherePeerRejects: number;
  falseRejects: number;
  /** We wrote content that differs from the expected only as the README documents for that peer version. */
  peerVersion: number;
  /** Formats the engine does not implement (lazy placeholder edits). */
  unsupported: number;
}

export interface CaseOutcome {
  id: string;
  source: string;
  verdict: 'agreed' | 'wrong_apply' | 'applied_where_peer_rejects' | 'false_reject' | 'peer_version_semantics' | 'unsupported';
  detail: string;
  /** For an applied agreement: byte for byte, or only under the peer's own comparison rule (lazy edits). */
  comparison?: 'exact' | 'peer-rule';
}

export interface EditAccuracyResult {
  overall: { cases: number; agreed: number; share: number; wrongApplies: number; falseRejects: number; wrongApply: number; appliedWherePeerRejects: number; peerVersion: number };
  bySource: Record<string, Tally>;
  disputed: Tally;
  upstreamSkipped: Tally;
  unsupported: Tally;
  outcomes: CaseOutcome[];
}

type FileMap = Record<string, string>;

interface CorpusRecord {
  id: string;
  source?: string;
  format: string;
  original: string | FileMap;
  edit: unknown;
  expected: string | FileMap | null;
  params?: Record<string, unknown>;
  disputed?: boolean;
  upstream_skipped?: boolean;
}

/** What the engine produced for one record: content (string or file map), or a rejection. */
type EngineAnswer = { applied: true; result: string | FileMap } | { applied: false; reason: string };

const TARGET = 'target-file';

function emptyTally(): Tally {
  return { cases: 0, agreed: 0, wrongApply: 0, appliedWherePeerRejects: 0, falseRejects: 0, peerVersion: 0, unsupported: 0 };
}

/** A difference between two versions of one peer that the corpus README documents, and how to recognise it. */
interface PeerVersionRule {
  /** Matches the record's `source` (peer repository, test file, commit), never its id. */
  source: RegExp;
  readme: string;
  /** True when `actual` differs from `expected` exactly as documented (and in no other way). */
  explains: (actual: string | FileMap, expected: string | FileMap) => boolean;
}

/** `actual` is `expected` with a final newline added to one or more files, and otherwise identical. */
function onlyFinalNewlineAdded(actual: string | FileMap, expected: string | FileMap): boolean {
  const added = (a: string, e: string): boolean => !e.endsWith('\n') && a === `${e}\n`;
  if (typeof actual === 'string' || typeof expected === 'string') return typeof actual === 'string' && typeof expected === 'string' && added(actual, expected);
  const keys = Object.keys(actual).sort();
  if (keys.join('\0') !== Object.keys(expected).sort().join('\0')) return false;
  return keys.every((key) => actual[key] === expected[key] || added(actual[key], expected[key])) && keys.some((key) => actual[key] !== expected[key]);
}

const PEER_VERSION_RULES: PeerVersionRule[] = [
  {
    source: /codex-cli\/tests\/apply-patch\.test\.ts/,
    readme: 'README, OpenAI codex apply_patch, group 4: the legacy TypeScript codex CLI writes files without adding a trailing newline; codex-rs, which the engine follows here, ends an added file with one',
    explains: onlyFinalNewlineAdded,
  },
];

function documentedPeerVersionDifference(record: CorpusRecord, actual: string | FileMap, expected: string | FileMap): PeerVersionRule | undefined {
  return PEER_VERSION_RULES.find((rule) => rule.source.test(record.source ?? '') && rule.explains(actual, expected));
}

function lookupOver(files: FileMap): (p: string) => string | undefined {
  return (p) => (Object.prototype.hasOwnProperty.call(files, p) ? files[p] : undefined);
}

function applyChanges(files: FileMap, changes: FileChange[]): FileMap {
  const after: FileMap = { ...files };
  for (const change of changes) {
    delete after[change.path];
    const destination = change.movedTo ?? change.path;
    if (change.after !== null) after[destination] = change.after;
  }
  return after;
}

function toPairs(edit: unknown): SearchReplacePair[] {
  const list = Array.isArray(edit) ? edit : [edit];
  return list.map((item) => {
    const record = item as { old_string?: unknown; new_string?: unknown; replace_all?: unknown };
    return { search: String(record.old_string ?? ''), replace: String(record.new_string ?? ''), replaceAll: record.replace_all === true };
  });
}

function startLineOf(record: CorpusRecord): number | undefined {
  const start = record.params?.startLine;
  return typeof start === 'number' ? start : undefined;
}

/** Corpus formats the engine implements; a record in any other is tallied apart as unsupported. */
const SUPPORTED_FORMATS = new Set(['search-replace', 'aider-editblock', 'unified-diff', 'apply-patch', 'str-replace', 'lazy-edit']);

function runEngine(record: CorpusRecord): EngineAnswer | 'unsupported' {
  if (!SUPPORTED_FORMATS.has(record.format)) return 'unsupported';
  const hint = startLineOf(record);
  if (record.format === 'str-replace') {
    const result = applySearchReplacePairs(String(record.original), toPairs(record.edit), { path: TARGET, startLineHint: hint });
    return result.ok ? { applied: true, result: result.content } : { applied: false, reason: `${result.error.code}: ${result.error.message}` };
  }
  const format: EditFormat = record.format === 'unified-diff' ? 'unified-diff' : record.format === 'apply-patch' ? 'apply-patch' : record.format === 'lazy-edit' ? 'lazy-edit' : 'auto';
  const multiFile = typeof record.original !== 'string';
  const files: FileMap = multiFile ? (record.original as FileMap) : { [TARGET]: record.original as string };
  const outcome = applyEditText(String(record.edit), lookupOver(files), { format, file: multiFile ? undefined : TARGET, startLineHint: hint });
  if (!outcome.ok) return { applied: false, reason: `${outcome.error.code}: ${outcome.error.message}` };
  const after = applyChanges(files, outcome.changes);
  return { applied: true, result: multiFile ? after : after[TARGET] ?? '' };
}

function sameResult(actual: string | FileMap, expected: string | FileMap): boolean {
  if (typeof actual === 'string' || typeof expected === 'string') return actual === expected;
  const keys = Object.keys(actual).sort();
  const expectedKeys = Object.keys(expected).sort();
  return keys.length === expectedKeys.length && keys.every((key, i) => key === expectedKeys[i] && actual[key] === expected[key]);
}

/**
 * README, Continue lazy-edit: `expected` is rebuilt from the peer's expected diff display, which the peer compares
 * line by line after trimming and ignoring whitespace-only lines; so the rebuilt text has lost indentation and
 * blank-line bytes (" " for "", three spaces for four). Records of that format are compared the way the peer does.
 */
function sameAsContinueComparesLazyEdits(actual: string | FileMap, expected: string | FileMap): boolean {
  if (typeof actual !== 'string' || typeof expected !== 'string') return false;
  const lines = (text: string): string => text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '').join('\n');
  return lines(actual) === lines(expected);
}

function judge(record: CorpusRecord): CaseOutcome {
  const base = { id: record.id, source: '' };
  let answer: EngineAnswer | 'unsupported';
  try {
    answer = runEngine(record);
  } catch (error) {
    answer = { applied: false, reason: `engine threw: ${(error as Error).stack ?? String(error)}` };
  }
  if (answer === 'unsupported') return { ...base, verdict: 'unsupported', detail: `format ${record.format} is not implemented` };
  if (!answer.applied) {
    return record.expected === null ? { ...base, verdict: 'agreed', detail: answer.reason } : { ...base, verdict: 'false_reject', detail: answer.reason };
  }
  if (record.expected === null) return { ...base, verdict: 'applied_where_peer_rejects', detail: `we wrote ${JSON.stringify(answer.result)}` };
  if (sameResult(answer.result, record.expected)) return { ...base, verdict: 'agreed', detail: '', comparison: 'exact' };
  if (record.format === 'lazy-edit' && sameAsContinueComparesLazyEdits(answer.result, record.expected)) {
    return { ...base, verdict: 'agreed', detail: 'equal as the peer compares lazy edits (trimmed lines, whitespace-only lines ignored)', comparison: 'peer-rule' };
  }
  const documented = documentedPeerVersionDifference(record, answer.result, record.expected);
  if (documented) return { ...base, verdict: 'peer_version_semantics', detail: `${documented.readme}\n     we wrote ${JSON.stringify(answer.result)}` };
  return { ...base, verdict: 'wrong_apply', detail: `expected ${JSON.stringify(record.expected)}\n     we wrote ${JSON.stringify(answer.result)}` };
}

function count(tally: Tally, outcome: CaseOutcome): void {
  tally.cases++;
  if (outcome.verdict === 'agreed') tally.agreed++;
  else if (outcome.verdict === 'wrong_apply') tally.wrongApply++;
  else if (outcome.verdict === 'applied_where_peer_rejects') tally.appliedWherePeerRejects++;
  else if (outcome.verdict === 'false_reject') tally.falseRejects++;
  else if (outcome.verdict === 'peer_version_semantics') tally.peerVersion++;
  else tally.unsupported++;
}

function readRecords(file: string): CorpusRecord[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as CorpusRecord);
}

/** Runs every apply case of the corpus; disputed, upstream-skipped and unsupported cases are tallied apart. */
export async function measureEditAccuracy(corpusDir: string): Promise<EditAccuracyResult> {
  const bySource: Record<string, Tally> = {};
  const disputed = emptyTally();
  const upstreamSkipped = emptyTally();
  const unsupported = emptyTally();
  const outcomes: CaseOutcome[] = [];
  const files = fs.readdirSync(corpusDir).filter((name) => name.endsWith('.jsonl')).sort();
  for (const name of files) {
    const tally = (bySource[name] = emptyTally());
    for (const record of readRecords(path.join(corpusDir, name))) {
      const outcome = { ...judge(record), source: name };
      outcomes.push(outcome);
      if (record.disputed) count(disputed, outcome);
      else if (record.upstream_skipped) count(upstreamSkipped, outcome);
      else if (outcome.verdict === 'unsupported') count(unsupported, outcome);
      else count(tally, outcome);
    }
  }
  const total = Object.values(bySource).reduce((sum, t) => {
    (Object.keys(sum) as Array<keyof Tally>).forEach((key) => { sum[key] += t[key]; });
    return sum;
  }, emptyTally());
  return {
    overall: {
      cases: total.cases,
      agreed: total.agreed,
      share: total.cases === 0 ? 0 : total.agreed / total.cases,
      wrongApplies: total.wrongApply + total.appliedWherePeerRejects,
      falseRejects: total.falseRejects,
      wrongApply: total.wrongApply,
      appliedWherePeerRejects: total.appliedWherePeerRejects,
      peerVersion: total.peerVersion,
    },
    bySource,
    disputed,
    upstreamSkipped,
    unsupported,
    outcomes,
  };
}

function row(label: string, t: Tally): string {
  const share = t.cases === 0 ? '-' : `${((100 * t.agreed) / t.cases).toFixed(1)}%`;
  return [label.padEnd(34), t.cases, t.agreed, share, t.wrongApply, t.appliedWherePeerRejects, t.falseRejects, t.peerVersion].map((cell, i) => (i === 0 ? String(cell) : String(cell).padStart(9))).join('');
}

export function formatReport(result: EditAccuracyResult, verbose: boolean): string {
  const header = ['source'.padEnd(34), ...['cases', 'agreed', 'share', 'wrong', 'app/rej', 'f.reject', 'peer-ver'].map((h) => h.padStart(9))].join('');
  const lines = [header];
  for (const [source, tally] of Object.entries(result.bySource)) lines.push(row(source, tally));
  const o = result.overall;
  lines.push(row('OVERALL', { cases: o.cases, agreed: o.agreed, wrongApply: o.wrongApply, appliedWherePeerRejects: o.appliedWherePeerRejects, falseRejects: o.falseRejects, peerVersion: o.peerVersion, unsupported: 0 }));
  lines.push(row('disputed (reported apart)', result.disputed));
  lines.push(row('upstream_skipped (apart)', result.upstreamSkipped));
  if (result.unsupported.cases > 0) lines.push(`unsupported (format not implemented): ${result.unsupported.cases} cases`);
  const byRule = result.outcomes.filter((x) => x.comparison === 'peer-rule').length;
  if (byRule > 0) lines.push(`of the agreements, ${byRule} are equal only as the peer compares them (Continue lazy edits: trimmed lines, whitespace-only lines ignored)`);
  lines.push('wrong = wrote content other than expected; app/rej = applied where the peer rejects; f.reject = we rejected, peer applied;');
  lines.push('peer-ver = wrote content other than expected, differing only as the corpus README documents for that peer version');
  lines.push('  (each row: cases = agreed + wrong + app/rej + f.reject + peer-ver)');
  if (verbose) {
    for (const outcome of result.outcomes.filter((x) => x.verdict !== 'agreed' && x.verdict !== 'unsupported')) {
      lines.push(`\n[${outcome.verdict}] ${outcome.id} (${outcome.source})\n     ${outcome.detail.slice(0, 1500)}`);
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '../..');
  const corpusDir = path.resolve(repoRoot, '../shared/benchmarks/edits');
  if (!fs.existsSync(corpusDir)) {
    console.log(`Edit corpus not found at ${corpusDir}; skipping the edit-accuracy benchmark (it expects shared/ beside the checkout).`);
    return;
  }
  const verbose = process.argv.includes('--verbose');
  const result = await measureEditAccuracy(corpusDir);
  console.log(formatReport(result, verbose));
  const extraDir = path.join(corpusDir, 'extra');
  if (fs.existsSync(extraDir)) console.log(formatExtraReport(measureExtraChecks(extraDir), verbose));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
