// The verdict: a pure function from what verification saw to the word a person acts on. The CLI, the report and the
// panel render it; none recomputes it.
//
// `verified` only when the test command ran, executed at least one test (where the runner reports counts), and the
// tests that existed at the start — with the test configuration and scripts as they were — pass against the final
// code. Tests that ran at the start and are now skipped, todo or filtered out count as not run. With no test command
// the status is `unverified`, never `verified`.
import type { TestRunRecord } from '../../tools/types';
import type { LedgerStep } from './ledger';

export type Verdict =
  | { status: 'verified'; summary: string }
  /** Nothing failed, but nothing proves the goal either (no test command; no tests ran, and none existed to run). */
  | { status: 'unverified'; summary: string }
  /** The verification failed: the task goes on (or ends not verified) with this reason for the model. */
  | { status: 'failing'; kind: 'tests_fail' | 'no_tests_ran' | 'tests_not_run' | 'originals_unavailable'; summary: string };

export interface VerdictInput {
  testCommand: string | null;
  /** The deciding run: the original tests when test files changed, else the normal run. */
  run: TestRunRecord | null;
  step: LedgerStep | null;
  /** The first test run of the task, before any change (null when the task made none before its first edit). */
  baseline: TestRunRecord | null;
  /** Test files or test configuration the agent changed. */
  testChanges: string[];
}

/** How many tests ran (passed or failed), or null when the runner did not say. */
export function executedCount(run: TestRunRecord): number | null {
  if (run.tests) return run.tests.filter((t) => t.status === 'passed' || t.status === 'failed').length;
  if (run.passed === null && run.failed === null) return null;
  return (run.passed ?? 0) + (run.failed ?? 0);
}

export function decideVerdict(input: VerdictInput): Verdict {
  const { run } = input;
  if (!input.testCommand || run === null) {
    return { status: 'unverified', summary: 'Completed, not verified: there is no test command to check the result with.' };
  }
  if (run.targeted) {
    // Only the failing tests ran: everything else is unknown. Never a verification, whatever the exit code.
    return { status: 'failing', kind: 'tests_not_run', summary: `Not verified: only ${run.targeted.selected.length} selected test(s) ran (a targeted run); the full suite decides.` };
  }
  if (input.testChanges.length > 0 && !run.originalTests) {
    return { status: 'failing', kind: 'originals_unavailable',
      summary: `Not verified: test files changed (${input.testChanges.join(', ')}) and the original tests could not be run against the change (no git checkpoint).` };
  }
  if (run.timedOut || run.exitCode !== 0) {
    const count = run.failures.length;
    return { status: 'failing', kind: 'tests_fail', summary: run.timedOut ? `The test command timed out.`
      : `The tests fail${count ? ` (${count} failing)` : ` (exit code ${run.exitCode})`}${run.originalTests ? ', run as they were at the start' : ''}.` };
  }
  const executed = executedCount(run);
  if (executed === 0) {
    const baselineRan = input.baseline ? executedCount(input.baseline) : null;
    if (baselineRan !== null && baselineRan > 0) {
      return { status: 'failing', kind: 'no_tests_ran', summary: `The test command passed but ran no tests; ${baselineRan} ran at the start. Tests filtered out do not count as passing.` };
    }
    return { status: 'unverified', summary: 'Completed, not verified: the test command passed but ran no tests.' };
  }
  const notRun = input.step?.notRun ?? [];
  if (notRun.length > 0) {
    return { status: 'failing', kind: 'tests_not_run', summary: `${notRun.length} test(s) that ran at the start did not run now (skipped, todo or filtered out): ${notRun.slice(0, 5).join(', ')}${notRun.length > 5 ? ', …' : ''}.` };
  }
  const counted = executed === null ? '' : ` (${executed} test${executed === 1 ? '' : 's'} ran)`;
  return { status: 'verified', summary: `${run.originalTests ? 'The original tests pass' : 'The tests pass'}${counted}.` };
}
