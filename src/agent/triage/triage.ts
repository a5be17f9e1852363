// Triage before the first model call, at no model cost: the suite runs once (that run is also the verdict's
// baseline), each failing test then runs by itself with the runner's own filter — and once more if it failed —
// which tells failing tests from flaky ones; with bisection, `git bisect` names the commit that broke each
// failing test. Every run goes through the session's gates (same runner, same sandbox), every bound is stated.
import type { TestFailure } from '../../tools/testparse/types';
import type { TestRunRecord } from '../../tools/types';
import { findCulprit, type BisectDeps } from './bisect';
import { classifyTest, outcomeFor, type SelectedOutcome } from './classify';
import { buildFilterCommand } from './filters';
import type { TriageCulprit, TriageFailing, TriageReport, TriageSettings } from './types';

export interface TriageDeps {
  testCommand: string;
  /** The full suite, recorded like any test run (it is the baseline of the verdict). */
  runFull(): Promise<TestRunRecord | null>;
  /** A selected-tests command through the gates, parsed, not recorded in the ledger. */
  runSelected(command: string, cwd?: string): Promise<TestRunRecord>;
  packageScript(name: string): string | null;
  bisect: Omit<BisectDeps, 'runSelected' | 'onStep'> | null;
  now(): number;
  /** Each triage run, for the journal. */
  onRun?(event: { purpose: 'isolate' | 'rerun' | 'bisect'; test: string; command: string; outcome: SelectedOutcome; commit?: string }): void;
}

export async function runTriage(deps: TriageDeps, settings: TriageSettings): Promise<TriageReport | null> {
  const started = deps.now();
  const full = await deps.runFull();
  if (!full) return null;
  const report: TriageReport = { runner: null, filterUnavailable: null, failing: [], flaky: [], culprits: [], capped: [], runs: 1, durationMs: 0 };
  const failures = full.exitCode === 0 ? [] : uniqueByName(full.failures);
  const deadline = started + settings.isolationBudgetMs;
  const confirmed: { failure: TestFailure; command: string }[] = [];
  let isolated = 0;
  for (const failure of failures) {
    if (failure.kind) {
      report.failing.push(failing(failure, 'not_isolated', 0, `not a single test (${failure.kind})`));
      continue;
    }
    const plan = buildFilterCommand(deps.testCommand, [failure], { outputRunner: full.runner ?? 'unknown', packageScript: deps.packageScript });
    if (!plan.ok) {
      report.filterUnavailable ??= plan.reason;
      report.failing.push(failing(failure, 'not_isolated', 0, plan.reason));
      continue;
    }
    report.runner = plan.runner;
    if (isolated >= settings.maxIsolated || deps.now() >= deadline) {
      report.failing.push(failing(failure, 'not_isolated', 0, 'over the isolation bound'));
      continue;
    }
    isolated++;
    const outcomes: SelectedOutcome[] = [];
    for (let attempt = 0; attempt <= settings.reruns; attempt++) {
      if (attempt > 0 && (outcomes[attempt - 1] !== 'failed' || deps.now() >= deadline)) break;
      const run = await deps.runSelected(plan.command);
      report.runs++;
      const outcome = outcomeFor(failure.name, run);
      outcomes.push(outcome);
      deps.onRun?.({ purpose: attempt === 0 ? 'isolate' : 'rerun', test: failure.name, command: plan.command, outcome });
    }
    const verdict = classifyTest(outcomes);
    if (verdict.kind === 'flaky') {
      report.flaky.push({ name: failure.name, file: failure.file, evidence: verdict.evidence, runs: verdict.runs });
    } else if (verdict.kind === 'failing') {
      report.failing.push(failing(failure, 'failed_alone', verdict.runs));
      confirmed.push({ failure, command: plan.command });
    } else {
      report.failing.push(failing(failure, 'not_isolated', verdict.runs, verdict.evidence === 'not_selected' ? 'the filter selected no test of that name' : 'the run by itself was inconclusive'));
    }
  }
  const overCap = report.failing.filter((f) => f.note === 'over the isolation bound').length;
  if (overCap) report.capped.push(`isolated ${isolated} of ${isolated + overCap} failing tests (at most ${settings.maxIsolated}, within ${Math.round(settings.isolationBudgetMs / 1000)} s)`);
  if (settings.bisect && deps.bisect) await bisectAll(deps, settings, confirmed, report);
  report.durationMs = deps.now() - started;
  return report;
}

async function bisectAll(deps: TriageDeps, settings: TriageSettings, confirmed: { failure: TestFailure; command: string }[], report: TriageReport): Promise<void> {
  const bisect = settings.bisect!;
  const deadline = deps.now() + bisect.budgetMs;
  const chosen = confirmed.slice(0, bisect.maxTests);
  if (confirmed.length > chosen.length) report.capped.push(`bisected ${chosen.length} of ${confirmed.length} failing tests (at most ${bisect.maxTests})`);
  for (const { failure, command } of chosen) {
    if (deps.now() >= deadline) {
      report.capped.push(`bisection stopped before ${failure.name}: ${Math.round(bisect.budgetMs / 1000)} s spent`);
      break;
    }
    const culprit: TriageCulprit = await findCulprit({
      ...deps.bisect!,
      runSelected: (cmd, cwd) => deps.runSelected(cmd, cwd),
      onStep: (step) => deps.onRun?.({ purpose: 'bisect', test: step.test, command: step.command, outcome: step.outcome, commit: step.commit }),
    }, failure.name, command, bisect, deadline).catch((error: unknown) => ({ test: failure.name, commit: null, note: `bisection failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, runs: 0 }));
    report.runs += culprit.runs;
    report.culprits.push(culprit);
  }
}

function failing(failure: TestFailure, isolation: TriageFailing['isolation'], runs: number, note?: string): TriageFailing {
  return { name: failure.name, file: failure.file, line: failure.line, message: failure.message.split('\n')[0], isolation, runs, ...(note ? { note } : {}) };
}

function uniqueByName(failures: TestFailure[]): TestFailure[] {
  const seen = new Set<string>();
  return failures.filter((f) => (seen.has(f.name) ? false : (seen.add(f.name), true)));
}

const PROMPT_DIFF_CHARS = 1500;

/** The triage as the model reads it in its first prompt: compact, failing first, flaky named as not to be fixed. */
export function formatTriage(report: TriageReport): string {
  const lines = [`Triage before your first step (no model calls; the test command ran ${report.runs} time(s) in ${(report.durationMs / 1000).toFixed(1)} s):`];
  if (report.failing.length === 0 && report.flaky.length === 0) lines.push('- The full test suite passes at the start.');
  const place = (f: { file: string | null; line?: number | null }) => (f.file ? ` (${f.file}${f.line ? `:${f.line}` : ''})` : '');
  if (report.failing.length) {
    lines.push('Failing:');
    for (const f of report.failing) {
      const how = f.isolation === 'failed_alone' ? `fails when run by itself (${f.runs}/${f.runs} runs)` : `not run by itself: ${f.note ?? 'unknown'}`;
      lines.push(`- ${f.name}${place(f)}: ${f.message} — ${how}`);
    }
  }
  if (report.flaky.length) {
    lines.push('Flaky — failed in the full run but passed by itself or on a re-run (flaky, or dependent on other tests). Name them in your summary; do not change code to "fix" them:');
    for (const f of report.flaky) lines.push(`- ${f.name}${place(f)}: ${f.evidence === 'passed_alone' ? 'passed when run by itself' : 'passed when run again'}`);
  }
  for (const c of report.culprits) {
    if (!c.commit) {
      lines.push(`Culprit of ${c.test}: none named (${c.note}).`);
      continue;
    }
    lines.push(`Culprit of ${c.test}: commit ${c.commit.slice(0, 12)} "${c.subject ?? ''}" (${c.author ?? '?'}, ${c.date ?? '?'}), ${c.note}. Its change:`);
    const diff = c.diff ?? '';
    lines.push(diff.length > PROMPT_DIFF_CHARS ? `${diff.slice(0, PROMPT_DIFF_CHARS)}\n[… diff cut]` : diff);
  }
  if (report.filterUnavailable) lines.push(`Tests could not be selected by name: ${report.filterUnavailable}.`);
  for (const cap of report.capped) lines.push(`Bound reached: ${cap}.`);
  return lines.join('\n');
}
