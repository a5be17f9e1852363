// What a run of one selected test says about it, and what a test's runs add up to: failing (fails alone, every
// time), flaky (passed alone, or passed when run again), or not isolated (the filter could not select it). Also
// reads `git bisect` output for the first bad commit. Pure functions, so every classification is unit-tested.
import type { TestRunRecord } from '../../tools/types';
import { executedCount } from '../verdict/verdict';

/** One filtered run, for one test: it failed, passed, was not selected at all, or the run cannot tell. */
export type SelectedOutcome = 'failed' | 'passed' | 'not_selected' | 'inconclusive';

export function outcomeFor(name: string, run: TestRunRecord): SelectedOutcome {
  if (run.timedOut) return 'inconclusive';
  if (run.failures.some((f) => f.name === name)) return 'failed';
  const listed = run.tests?.find((t) => t.name === name);
  if (listed) return listed.status === 'passed' ? 'passed' : listed.status === 'failed' ? 'failed' : 'not_selected';
  const executed = executedCount(run);
  if (run.tests && run.tests.length > 0 && executed !== null && executed > 0) {
    // The runner listed the tests it ran and this one is not among them: the filter picked others.
    return 'not_selected';
  }
  if (executed === 0) return 'not_selected';
  // A passing run that executed tests, all selected by this test's anchored filter: it passed.
  if (run.exitCode === 0 && executed !== null && executed > 0) return 'passed';
  return 'inconclusive';
}

/** Did a targeted run select anything? A filter that matched nothing must not read as "all selected tests pass". */
export function selectionRan(run: TestRunRecord): boolean {
  const executed = executedCount(run);
  if (executed !== null) return executed > 0;
  return run.failures.length > 0;
}

export type TestClass =
  | { kind: 'failing'; evidence: 'failed_alone'; runs: number }
  | { kind: 'flaky'; evidence: 'passed_alone' | 'passed_on_rerun'; runs: number }
  | { kind: 'not_isolated'; evidence: 'not_selected' | 'inconclusive'; runs: number };

/** `outcomes`: the test's runs alone, in order (the full suite already saw it fail). */
export function classifyTest(outcomes: readonly SelectedOutcome[]): TestClass {
  const runs = outcomes.length;
  const [first] = outcomes;
  if (first === 'passed') return { kind: 'flaky', evidence: 'passed_alone', runs };
  if (first === 'failed') {
    return outcomes.slice(1).includes('passed') ? { kind: 'flaky', evidence: 'passed_on_rerun', runs } : { kind: 'failing', evidence: 'failed_alone', runs };
  }
  return { kind: 'not_isolated', evidence: first === 'not_selected' ? 'not_selected' : 'inconclusive', runs };
}

export type BisectStatus =
  | { kind: 'found'; commit: string }
  | { kind: 'ambiguous'; candidates: string[] }
  | { kind: 'continue' }
  | { kind: 'unknown' };

/** What `git bisect good|bad|skip` printed: the first bad commit, a set of candidates (skips), or go on. */
export function parseBisectOutput(text: string): BisectStatus {
  const found = /^([0-9a-f]{7,64}) is the first bad commit\b/m.exec(text);
  if (found) return { kind: 'found', commit: found[1] };
  if (/first bad commit could be any of:/.test(text)) {
    const after = text.slice(text.indexOf('could be any of:'));
    const candidates = [...after.matchAll(/^([0-9a-f]{7,64})$/gm)].map((m) => m[1]);
    return { kind: 'ambiguous', candidates };
  }
  if (/^Bisecting: /m.test(text)) return { kind: 'continue' };
  return { kind: 'unknown' };
}

export interface CommitInfo {
  commit: string;
  author: string;
  date: string;
  subject: string;
  /** The commit's stat and patch, bounded. */
  diff: string;
  diffTruncated: boolean;
}

/** Reads `git show --format=%H%n%an%n%aI%n%s --stat --patch` output; the diff is cut at `maxDiffChars`. */
export function parseCommitShow(text: string, maxDiffChars: number): CommitInfo | null {
  const lines = text.split('\n');
  if (lines.length < 4 || !/^[0-9a-f]{40,64}$/.test(lines[0])) return null;
  const diff = lines.slice(4).join('\n').replace(/^\n+/, '').trimEnd();
  const diffTruncated = diff.length > maxDiffChars;
  return { commit: lines[0], author: lines[1], date: lines[2], subject: lines[3], diff: diffTruncated ? diff.slice(0, maxDiffChars) : diff, diffTruncated };
}
