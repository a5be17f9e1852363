// Targeted re-runs: while the task iterates, `run_tests` runs only the tests that failed in the last full run (flaky
// ones left out), with the runner's own filter — seconds instead of the whole suite. Whenever that is not exact, the
// full suite runs: no filter can be built, the selection passed last time (so the next run checks everything), or a
// filter selected nothing. A targeted run never verifies anything: finish always runs the full suite.
import type { TestRunRecord } from '../../tools/types';
import { buildFilterCommand } from './filters';

export type TargetPlan =
  | { kind: 'targeted'; command: string; selected: string[] }
  /** `note`: why this is the full suite although tests failed last time (told to the model); null when nothing to say. */
  | { kind: 'full'; note: string | null };

export interface TargetedRunsOptions {
  testCommand: string;
  packageScript(name: string): string | null;
}

export class TargetedRuns {
  private lastFull: TestRunRecord | null = null;
  private selectionPassed = false;
  private disabledBecause: string | null = null;
  private readonly flaky = new Set<string>();

  constructor(private readonly options: TargetedRunsOptions) {}

  /** Flaky tests (from triage) are not re-run as targets: their passing says nothing about the change. */
  setFlaky(names: readonly string[]): void {
    for (const name of names) this.flaky.add(name);
  }

  /** Every recorded test run, in order. */
  noteRun(run: TestRunRecord): void {
    if (run.targeted) {
      if (run.exitCode === 0) this.selectionPassed = true;
      return;
    }
    if (run.originalTests || run.command === this.options.testCommand) {
      this.lastFull = run;
      this.selectionPassed = false;
    }
  }

  /** A filter that selected nothing: targeted runs stop for this task. */
  disable(reason: string): void {
    this.disabledBecause = reason;
  }

  plan(): TargetPlan {
    const last = this.lastFull;
    if (!last || last.exitCode === 0 || last.timedOut) return { kind: 'full', note: null };
    if (this.disabledBecause) return { kind: 'full', note: `Full suite (targeted runs are off for this task: ${this.disabledBecause}).` };
    if (this.selectionPassed) return { kind: 'full', note: 'Full suite: the tests selected last time pass now, so this run checks everything.' };
    // A suite that failed as a whole (a compile error, a crashed file) has no single tests to select.
    if (last.failures.some((f) => f.kind)) return { kind: 'full', note: null };
    const targets = last.failures.filter((f) => !this.flaky.has(f.name));
    if (targets.length === 0) return { kind: 'full', note: null };
    const plan = buildFilterCommand(this.options.testCommand, targets, { outputRunner: last.runner ?? 'unknown', packageScript: this.options.packageScript });
    if (!plan.ok) return { kind: 'full', note: `Full suite (the failing tests could not be selected: ${plan.reason}).` };
    return { kind: 'targeted', command: plan.command, selected: plan.selected };
  }
}
