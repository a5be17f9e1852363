// The per-test ledger of a task: for every test run, which tests failed, which were fixed since the first run, which
// regressed (passed before, fail now), which fail for the first time, and which tests that ran at the start no
// longer run. The verification feedback names them, the no-progress guard judges by them, the report carries them.
import type { TestRunRecord } from '../../tools/types';

export interface LedgerStep {
  /** 0-based index of the run among the task's test runs. */
  run: number;
  verification: boolean;
  originalTests: boolean;
  exitCode: number | null;
  passed: number | null;
  failed: number | null;
  skipped: number | null;
  /** Names of the failing tests (empty when the run passed or named none). */
  failing: string[];
  /** Failed in the first failing run, no longer fail. */
  fixed: string[];
  /** Passed in an earlier run of this task, fail now. */
  regressed: string[];
  /** Fail now, failed in no earlier run and were not known to pass: new failures (or new tests). */
  newlyFailing: string[];
  /** Ran (passed or failed) in the first run, and now are skipped, todo or absent. */
  notRun: string[];
  /** Compared with the previous run: fewer failures and no new ones (true), not (false), or unknowable (null). */
  progress: boolean | null;
}

export class TestLedger {
  readonly steps: LedgerStep[] = [];
  private baselineFailing: Set<string> | null = null;
  private baselineRan: Set<string> | null = null;
  private readonly knownPassed = new Set<string>();
  private readonly everFailed = new Set<string>();
  private previousFailing: Set<string> | null = null;
  /** The failing tests of the last run of the whole suite: what a full run after targeted ones is compared with. */
  private previousFullFailing: Set<string> | null = null;
  private readonly signatures: string[] = [];

  add(run: TestRunRecord, verification: boolean, signature: string): LedgerStep {
    const failing = run.exitCode === 0 ? [] : unique(run.failures.map((f) => f.name));
    const failingSet = new Set(failing);
    const passedNow = (run.tests ?? []).filter((t) => t.status === 'passed').map((t) => t.name);
    const ranNow = new Set((run.tests ?? []).filter((t) => t.status === 'passed' || t.status === 'failed').map((t) => t.name));
    // A targeted run selects a few tests on purpose: the rest are not "not run", and it sets no baseline.
    const selected = run.targeted ? new Set(run.targeted.selected) : null;
    if (this.baselineRan === null && run.tests && !selected) this.baselineRan = ranNow;
    if (this.baselineFailing === null && failing.length && !selected) this.baselineFailing = new Set(failing);
    const baselineFailing = this.baselineFailing ?? new Set<string>();
    const step: LedgerStep = {
      run: this.steps.length, verification, originalTests: run.originalTests === true,
      exitCode: run.exitCode, passed: run.passed, failed: run.failed, skipped: run.skipped ?? null,
      failing,
      fixed: [...baselineFailing].filter((name) => !failingSet.has(name) && (!selected || selected.has(name)) && (run.exitCode === 0 || failing.length > 0 || ranNow.has(name))),
      regressed: failing.filter((name) => this.knownPassed.has(name)),
      newlyFailing: failing.filter((name) => !this.knownPassed.has(name) && !this.everFailed.has(name) && !baselineFailing.has(name)),
      notRun: this.baselineRan && run.tests && !selected ? [...this.baselineRan].filter((name) => !ranNow.has(name)) : [],
      progress: this.progressAgainst(failingSet, run, signature, selected),
    };
    for (const name of passedNow) this.knownPassed.add(name);
    for (const name of failing) this.everFailed.add(name);
    this.previousFailing = failingSet;
    if (!selected) this.previousFullFailing = failingSet;
    this.signatures.push(signature);
    this.steps.push(step);
    return step;
  }

  /** The last verification step, if any. */
  get lastVerification(): LedgerStep | undefined {
    return [...this.steps].reverse().find((step) => step.verification);
  }

  private progressAgainst(failing: Set<string>, run: TestRunRecord, signature: string, selected: Set<string> | null): boolean | null {
    if (run.exitCode === 0) return true;
    // A targeted run is judged on what it selected; a full run against the last full run (not a narrower one).
    const previous = selected ? restrict(this.previousFailing, selected) : this.previousFullFailing ?? this.previousFailing;
    if (previous === null) return null;
    if (failing.size > 0 && previous.size > 0) {
      // Fewer failures but new ones is not progress: something else broke.
      const newOnes = [...failing].filter((name) => !previous.has(name));
      return newOnes.length === 0 && failing.size < previous.size;
    }
    if (this.steps[this.steps.length - 1]?.exitCode === 0) return false; // it passed before and fails now
    // Nothing named: judge by the signature. One seen before (the same, or an older one: oscillation) is no progress.
    return this.signatures.includes(signature) ? false : null;
  }
}

function restrict(names: Set<string> | null, to: Set<string>): Set<string> | null {
  return names ? new Set([...names].filter((name) => to.has(name))) : null;
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}

/** The ledger's news in words for the model, after a failed verification. Empty when there is nothing to say. */
export function describeStep(step: LedgerStep): string {
  const lines: string[] = [];
  const list = (names: string[]) => names.slice(0, 8).map((n) => `\`${n}\``).join(', ') + (names.length > 8 ? ` and ${names.length - 8} more` : '');
  for (const name of step.regressed.slice(0, 8)) lines.push(`Regression: \`${name}\` passed before this change and fails now.`);
  if (step.regressed.length > 8) lines.push(`… and ${step.regressed.length - 8} more regressions.`);
  if (step.newlyFailing.length && step.run > 0) lines.push(`Newly failing (they did not fail before): ${list(step.newlyFailing)}.`);
  if (step.fixed.length) lines.push(`Fixed so far: ${list(step.fixed)}.`);
  if (step.notRun.length) lines.push(`Not run any more (they ran at the start; skipped, todo or filtered out now): ${list(step.notRun)}. They count as not passing.`);
  return lines.join('\n');
}
