// Accuracy of the test-output parsers against real failing logs with ground truth (../shared/benchmarks/testlogs).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTestOutput } from '../src/tools/testparse/index';
import { samePath } from '../src/tools/testparse/text';
import type { TestFailure, TestOutcome, TestOutcomeStatus } from '../src/tools/testparse/types';

export const matchingRules = [
  'Auto-detection is used (no runner hint); a log counts as detected when the runner matches the ground truth.',
  'Names: compared after trimming. pytest: both sides reduced to dotted form (".py" dropped, "/" and "::" -> "."),',
  '  equal or one a dotted suffix of the other (ground truth uses JUnit classname::name, the parser the node id).',
  'Unit-level entries (kind suite-error, file-error, package-failure, build-failure, compile-error) match any',
  '  reported failure that has a kind and the same file, or whose name is the ground-truth package.',
  'Not scored: go package-summary lines, package-level entries without a message (summaries of the real',
  '  failure), go parents of failed subtests and node failed parent suites. Reporting them is neutral.',
  'File: right when both name the same file (equal, or one a path suffix of the other). Line: equal.',
  'Message: the FIRST LINE of each (ground truth messages are first lines; ours go on with the value lines,',
  '  which are not compared), trimmed, whitespace collapsed, one leading error-type prefix removed',
  '  ("AssertionError [ERR_ASSERTION]: ", "Error: ", "Uncaught TypeError: "); right when equal or when one',
  '  starts with the other (ground truth from JUnit/JSON reporters sometimes joins message lines).',
  'File, line and message are scored only over found entries whose ground truth value is non-null/non-empty.',
  'False failures: reported failures that match no ground-truth entry and are not neutral.',
  'Non-failed recovery: each ground-truth non_failed_tests entry counts as recovered when the parsed tests[] has',
  '  an unused entry with the same name (rules as for failures) and the same status: ok/pass/passed = passed;',
  '  ignored/skip/skipped/xfailed = skipped; node "skipped/todo" = skipped or todo; a failing node todo = todo.',
  '  Entries whose runner lists no individual tests (jest default reporter, pytest without -v) stay unrecovered.',
];

interface TruthEntry {
  name: string;
  file: string | null;
  line: number | null;
  message: string;
  kind?: string;
  package?: string;
  is_parent_of_failed_subtest?: boolean;
}

interface TruthOutcome {
  name: string;
  status: string;
}

export interface TruthFile {
  runner: string;
  failures: TruthEntry[];
  failed_parent_tests_or_suites?: string[];
  non_failed_tests?: TruthOutcome[];
}

export interface Tally {
  logs: number;
  detected: number;
  groundTruth: number;
  found: number;
  fileScored: number;
  rightFile: number;
  lineScored: number;
  rightLine: number;
  messageScored: number;
  rightMessage: number;
  falseFailures: number;
  neutral: number;
  nonFailedScored: number;
  nonFailedRecovered: number;
  nonFailedWrongStatus: number;
}

const runnerNames: Record<string, string> = { 'node:test': 'node', 'go test': 'go', 'cargo test': 'cargo' };
const unitKinds = new Set(['suite-error', 'file-error', 'package-failure', 'build-failure', 'compile-error']);

function emptyTally(): Tally {
  return { logs: 0, detected: 0, groundTruth: 0, found: 0, fileScored: 0, rightFile: 0, lineScored: 0, rightLine: 0, messageScored: 0, rightMessage: 0, falseFailures: 0, neutral: 0, nonFailedScored: 0, nonFailedRecovered: 0, nonFailedWrongStatus: 0 };
}

function isUnscored(entry: TruthEntry): boolean {
  if (entry.is_parent_of_failed_subtest) return true;
  if (entry.kind?.startsWith('package-summary')) return true;
  return entry.kind === 'package-failure' && entry.message.trim() === '';
}

/** Only the first line of a message is compared: the ground truth records first lines. */
export function comparableMessage(message: string): string {
  const first = (message.split('\n')[0] ?? '').trim().replace(/\s+/g, ' ');
  return first.replace(/^(?:Uncaught |Unknown )?(?:[A-Z][\w$.]*)?(?:Error|Exception)(?: \[[A-Z0-9_]+\])?:\s*/, '');
}

export function messagesAgree(truth: string, reported: string): boolean {
  const a = comparableMessage(truth);
  const b = comparableMessage(reported);
  if (a === b) return true;
  const shorter = a.length <= b.length ? a : b;
  return shorter.length > 0 && (a.startsWith(b) || b.startsWith(a));
}

const truthStatuses: Record<string, TestOutcomeStatus[]> = {
  ok: ['passed'], pass: ['passed'], passed: ['passed'],
  ignored: ['skipped'], skip: ['skipped'], skipped: ['skipped'], xfailed: ['skipped'],
  'skipped/todo': ['skipped', 'todo'], todo: ['todo'],
};

/** The statuses a ground-truth non-failed status allows; null when it is not one we score. */
export function allowedStatuses(status: string): TestOutcomeStatus[] | null {
  if (/^todo \(failed/.test(status)) return ['todo'];
  return truthStatuses[status] ?? null;
}

/** Scores the parsed per-test outcomes against the ground truth's non_failed_tests. */
export function scoreOutcomes(runner: string, truth: TruthFile, tests: readonly TestOutcome[] | undefined, tally: Tally): string[] {
  const misses: string[] = [];
  const unused = [...(tests ?? [])];
  for (const entry of truth.non_failed_tests ?? []) {
    const allowed = allowedStatuses(entry.status);
    if (!allowed) continue;
    tally.nonFailedScored++;
    const candidates = unused.filter((t) => namesAgree(runner, { name: entry.name, file: null, line: null, message: '' }, { name: t.name, file: null, line: null, message: '' }));
    const right = candidates.find((t) => allowed.includes(t.status));
    const chosen = right ?? candidates[0];
    if (chosen) unused.splice(unused.indexOf(chosen), 1);
    if (right) tally.nonFailedRecovered++;
    else if (chosen) {
      tally.nonFailedWrongStatus++;
      misses.push(`status: ${entry.name}: want ${entry.status}, got ${chosen.status}`);
    }
  }
  return misses;
}

function dotted(name: string): string {
  return name.trim().replace(/\.py(?=::|$)/, '').replace(/::|\//g, '.');
}

function namesAgree(runner: string, truth: TruthEntry, reported: TestFailure): boolean {
  if (unitKinds.has(truth.kind ?? '')) {
    if (!reported.kind) return false;
    const sameFile = truth.file !== null && reported.file !== null && samePath(truth.file, reported.file);
    const samePackage = truth.package !== undefined && reported.name.split(' ')[0] === truth.package.split(' ')[0];
    return sameFile || samePackage;
  }
  if (runner === 'pytest') {
    const a = dotted(truth.name);
    const b = dotted(reported.name);
    return a === b || a.endsWith('.' + b) || b.endsWith('.' + a);
  }
  return truth.name.trim() === reported.name.trim();
}

function agreement(truth: TruthEntry, reported: TestFailure): number {
  const file = truth.file !== null && reported.file !== null && samePath(truth.file, reported.file) ? 1 : 0;
  const line = truth.line !== null && truth.line === reported.line ? 1 : 0;
  const message = messagesAgree(truth.message, reported.message) ? 1 : 0;
  return file + line + message;
}

export function scoreLog(runner: string, truth: TruthFile, reported: TestFailure[], tally: Tally): string[] {
  const misses: string[] = [];
  const unmatched = [...reported];
  const neutralNames = new Set(truth.failed_parent_tests_or_suites ?? []);
  const unscored: TruthEntry[] = [];
  for (const entry of truth.failures) {
    if (isUnscored(entry)) {
      unscored.push(entry);
      continue;
    }
    tally.groundTruth++;
    const candidates = unmatched.filter((r) => namesAgree(runner, entry, r));
    if (candidates.length === 0) {
      misses.push(`missing: ${entry.name} (${entry.file}:${entry.line})`);
      continue;
    }
    const best = candidates.reduce((a, b) => (agreement(entry, b) > agreement(entry, a) ? b : a));
    unmatched.splice(unmatched.indexOf(best), 1);
    tally.found++;
    if (entry.file !== null) {
      tally.fileScored++;
      if (best.file !== null && samePath(entry.file, best.file)) tally.rightFile++;
      else misses.push(`file: ${entry.name}: want ${entry.file}, got ${best.file}`);
    }
    if (entry.line !== null) {
      tally.lineScored++;
      if (entry.line === best.line) tally.rightLine++;
      else misses.push(`line: ${entry.name}: want ${entry.line}, got ${best.line}`);
    }
    if (entry.message.trim() !== '') {
      tally.messageScored++;
      if (messagesAgree(entry.message, best.message)) tally.rightMessage++;
      else misses.push(`message: ${entry.name}: want ${JSON.stringify(entry.message)}, got ${JSON.stringify(best.message)}`);
    }
  }
  for (const extra of unmatched) {
    const isNeutral = neutralNames.has(extra.name) || unscored.some((entry) => namesAgree(runner, { ...entry, kind: entry.kind?.startsWith('package') ? 'package-failure' : entry.kind }, extra) || entry.name === extra.name);
    if (isNeutral) tally.neutral++;
    else {
      tally.falseFailures++;
      misses.push(`false failure: ${extra.name} (${extra.file}:${extra.line}) ${extra.message}`);
    }
  }
  return misses;
}

function add(into: Tally, from: Tally): void {
  for (const key of Object.keys(into) as (keyof Tally)[]) into[key] += from[key];
}

export async function measureTestlogAccuracy(dir: string, verbose = false): Promise<{ overall: Tally; byRunner: Record<string, Tally> }> {
  const byRunner: Record<string, Tally> = {};
  const overall = emptyTally();
  const logs = (await fs.promises.readdir(dir)).filter((name) => name.endsWith('.txt')).sort();
  for (const logName of logs) {
    const truthPath = path.join(dir, logName.replace(/\.txt$/, '.json'));
    if (!fs.existsSync(truthPath)) continue;
    const truth = JSON.parse(await fs.promises.readFile(truthPath, 'utf8')) as TruthFile;
    const runner = runnerNames[truth.runner] ?? truth.runner;
    const parsed = parseTestOutput(await fs.promises.readFile(path.join(dir, logName), 'utf8'));
    const tally = emptyTally();
    tally.logs = 1;
    tally.detected = parsed.runner === runner ? 1 : 0;
    const misses = [...scoreLog(runner, truth, parsed.failures, tally), ...scoreOutcomes(runner, truth, parsed.tests, tally)];
    if (verbose && (misses.length > 0 || !tally.detected)) {
      console.log(`-- ${logName} (detected ${parsed.runner})`);
      for (const miss of misses) console.log(`   ${miss}`);
    }
    byRunner[runner] ??= emptyTally();
    add(byRunner[runner], tally);
    add(overall, tally);
  }
  return { overall, byRunner };
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '   -  ' : `${((100 * part) / whole).toFixed(1).padStart(5)}%`;
}

export function formatTally(label: string, t: Tally): string {
  return [
    label.padEnd(8),
    `${t.detected}/${t.logs}`.padStart(6),
    String(t.groundTruth).padStart(5),
    `${t.found} ${percent(t.found, t.groundTruth)}`.padStart(12),
    `${t.rightFile}/${t.fileScored} ${percent(t.rightFile, t.fileScored)}`.padStart(15),
    `${t.rightLine}/${t.lineScored} ${percent(t.rightLine, t.lineScored)}`.padStart(15),
    `${t.rightMessage}/${t.messageScored} ${percent(t.rightMessage, t.messageScored)}`.padStart(15),
    String(t.falseFailures).padStart(6),
    String(t.neutral).padStart(8),
    `${t.nonFailedRecovered}/${t.nonFailedScored} ${percent(t.nonFailedRecovered, t.nonFailedScored)}`.padStart(15),
  ].join(' ');
}

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '../..');
  const dir = path.resolve(repoRoot, '../shared/benchmarks/testlogs');
  if (!fs.existsSync(dir)) {
    console.log(`testlog accuracy: skipped, no logs at ${dir}`);
    return;
  }
  const { overall, byRunner } = await measureTestlogAccuracy(dir, process.argv.includes('--verbose'));
  console.log(`Test-output parser accuracy on ${overall.logs} logs in ${dir}\n`);
  console.log('runner   detect   GT   found            right file      right line   right message  false  neutral   non-failed ok');
  for (const runner of Object.keys(byRunner).sort()) console.log(formatTally(runner, byRunner[runner]));
  console.log(formatTally('overall', overall));
  console.log('\nRules:');
  for (const rule of matchingRules) console.log(`  ${rule}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
