// Parallel attempts: N coder sessions of the same task, each in its own worktree made from one checkpoint of the
// person's working tree (each its own sandbox: the worktree is its workspace), run side by side as far as the machine
// allows, each within its share of the budget. The judge ranks them; the chosen attempt's changes become this task's
// change set in the person's tree — through the same writer, review and checkpoint as the agent's own edits — and the
// tests run there once more. Until then the person's files are not touched. The loop itself knows nothing of this.
import { join } from 'node:path';
import { cleanupStaleWorktrees, createWorktree, removeWorktree, worktreeChanges, type TaskWorktree, type WorktreeChange } from '../../tools/changes/worktrees';
import type { TestRunRecord } from '../../tools/types';
import type { TaskEvent } from '../events';
import { DEFAULT_BUDGETS } from '../guards';
import { Journal } from '../journal';
import type { Ending } from '../loop';
import { PathPolicy } from '../policy/pathPolicy';
import { ensurePatchpilotIgnore } from '../projectContext';
import type { Approver, CommandRunner, ModelClient } from '../ports';
import type { TaskResult } from '../result';
import { AgentSession, type SessionOptions } from '../session';
import { changedLines, diffsOf, prepareForPersonTree } from './attemptsApply';
import { attemptBudget } from './attemptsBudget';
import type { AttemptApplication, AttemptReport, AttemptsJudgement } from './attemptsTypes';
import { judgeAttempts, type AttemptOutcome } from './judge';

export interface AttemptModel {
  client: ModelClient;
  /** How the report names it ("gpt-4.1", "scripted attempt-2.json"). */
  label: string;
}

export interface AttemptsOptions {
  /** The task as a single session would get it; `model` is used only for the task's own record. */
  task: SessionOptions;
  /** One model per attempt (the caller cycles --attempt-models). */
  models: AttemptModel[];
  parallel: number;
  /** The command runner of one attempt (spill folder in its worktree); `label` is "attempt-N" or "baseline". */
  runnerFor(worktree: string, label: string): CommandRunner;
  /** Attempts write without asking inside their worktree: review happens when the chosen one is applied. */
  attemptApprover: Approver;
  onEvent?(event: TaskEvent): void;
  onAttemptEvent?(attempt: string, event: TaskEvent): void;
  /** An attempt's changes with their exact contents, before its worktree is removed (a display keeps them viewable). */
  onAttemptChanges?(attempt: string, changes: readonly WorktreeChange[]): void;
  /** The task's own session when the caller made it (to show and stop it as any task); else it is made from `task`. */
  parent?: AgentSession;
  signal?: AbortSignal;
}

/** The task's result with the attempts, the chosen one and the judge's reasons (the --report contract). */
export interface AttemptsResult extends TaskResult {
  attempts: AttemptReport[];
  chosenAttempt: string | null;
  judge: Omit<AttemptsJudgement, 'chosen'>;
  /** Paths of the chosen attempt not applied, and why (a file you changed meanwhile, a binary file). */
  attemptConflicts: AttemptApplication['conflicts'];
}

interface AttemptRun {
  report: AttemptReport;
  outcome: AttemptOutcome;
  changes: WorktreeChange[];
  /** The failing tests of the run that saw its final code, and the ledger's own regressions (null: no such run). */
  last: { failing: string[]; regressed: string[] } | null;
}

type Baseline = { run: TestRunRecord; signature: string };

export async function runAttempts(options: AttemptsOptions): Promise<AttemptsResult> {
  const { task } = options;
  const count = options.models.length;
  // What a crash left behind goes first, so leftovers never pile up.
  await cleanupStaleWorktrees(task.cwd);
  const parent = options.parent ?? AgentSession.create({ ...task, model: options.models[0].client });
  if (options.onEvent) {
    if (parent.startEvent && !options.parent) options.onEvent(parent.startEvent);
    parent.onEvent(options.onEvent);
  }
  const taskId = parent.taskId;
  const total = { ...DEFAULT_BUDGETS, ...task.budgets };
  const share = attemptBudget(total, count, options.parallel);
  const policy = new PathPolicy(task.cwd, { extraProtected: task.extraProtected, unprotected: task.unprotected });
  const worktrees: TaskWorktree[] = [];
  try {
    const testCommand = task.trusted === false ? null : task.testCommand ?? null;
    for (let i = 0; i < count + (testCommand ? 1 : 0); i++) {
      worktrees.push(await createWorktree(task.cwd, {
        purpose: i < count ? `attempt ${i + 1} of task ${taskId}` : `the tests at the checkpoint of task ${taskId}`, label: i < count ? `attempt-${i + 1}` : 'baseline',
        isProtected: (relative) => policy.isProtectedRelative(relative),
      }));
    }
    parent.record({ type: 'attempts_started', count, parallel: options.parallel, models: options.models.map((m) => m.label), budgets: share, worktrees: worktrees.slice(0, count).map((w) => w.path) });
    const deadline = total.maxWallMs === null ? null : Date.now() + total.maxWallMs;
    // "Tests that passed at the start" need a run at the start: once, in a worktree of its own, beside the attempts.
    const baselineRun = testCommand ? runBaseline(options, taskId, worktrees[count]) : Promise.resolve(undefined);
    const runs = await pool(count, options.parallel, (i) => runOneAttempt(options, taskId, i, worktrees[i], share, deadline));
    const baseline = await baselineRun;
    for (const run of runs) countRegressions(run, baseline);
    for (const run of runs) parent.record({ type: 'attempt_finished', attempt: run.report });
    const judgement = judgeAttempts(runs.map((run) => run.outcome));
    parent.record({ type: 'attempts_judged', judgement });
    const chosen = runs.find((run) => run.report.id === judgement.chosen);
    const prepared = chosen ? prepareForPersonTree(task.cwd, chosen.changes) : { changes: [], conflicts: [] };
    const best = runs.find((run) => run.report.id === judgement.ranking[0]);
    const fallback: Ending | undefined = chosen ? undefined : {
      status: best?.report.status === 'stopped' ? 'stopped' : 'failed',
      reason: best?.report.status === 'stopped' ? (best.report.reason as Ending['reason']) : 'tests_failing',
      summary: judgement.reasons[0],
    };
    const { result, applied } = await parent.applyAndVerify(prepared.changes, {
      title: chosen ? `${chosen.report.id} (${chosen.report.model})` : 'no attempt', summary: chosen ? `${chosen.report.id}: ${chosen.report.summary}` : '',
      baseline, fallback,
    }, options.signal);
    const conflicts = [...prepared.conflicts, ...(applied && !applied.ok ? [{ path: '(change set)', reason: applied.message }] : [])];
    if (chosen) parent.record({ type: 'attempt_applied', application: { attempt: chosen.report.id, applied: result.changes.map((c) => c.path), conflicts } });
    return withAttempts(result, runs, judgement, conflicts);
  } finally {
    for (const worktree of worktrees) await removeWorktree(worktree);
  }
}

/** Runs `count` jobs with at most `limit` at once; results in job order. */
async function pool<T>(count: number, limit: number, job: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await job(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}

async function runOneAttempt(options: AttemptsOptions, taskId: string, index: number, worktree: TaskWorktree,
  share: ReturnType<typeof attemptBudget>, deadline: number | null): Promise<AttemptRun> {
  const id = `attempt-${index + 1}`;
  const model = options.models[index];
  const journalDir = join(options.task.journalDir, 'attempts', taskId);
  const attemptTaskId = `${taskId}-${id}`;
  // A later wave starts with what is left of the task's time, never more than its share.
  const maxWallMs = share.maxWallMs === null || deadline === null ? share.maxWallMs : Math.max(1, Math.min(share.maxWallMs, deadline - Date.now()));
  await ensurePatchpilotIgnore(worktree.path);
  const session = AgentSession.create({
    ...options.task, cwd: worktree.path, model: model.client, journalDir, taskId: attemptTaskId,
    approval: 'auto', approver: options.attemptApprover, runner: options.runnerFor(worktree.path, id), budgets: { ...share, maxWallMs },
  });
  // Which test run saw the final code: a change after the last run makes it stale, and the attempt is checked again.
  let changedSinceTests = false;
  session.onEvent((event) => {
    options.onAttemptEvent?.(id, event);
    if (event.type === 'file_changed' || (event.type === 'command_run' && event.purpose === 'command')) changedSinceTests = true;
    if (event.type === 'test_run') changedSinceTests = false;
  });
  if (options.onAttemptEvent && session.startEvent) options.onAttemptEvent(id, session.startEvent);
  let result = await session.run(options.signal);
  const testCommand = options.task.testCommand ?? null;
  if (testCommand && result.status !== 'verified' && changedSinceTests && !options.signal?.aborted) {
    result = (await session.applyAndVerify([], { title: '', summary: result.summary }, options.signal)).result;
  }
  const changes = await worktreeChanges(worktree);
  options.onAttemptChanges?.(id, changes);
  const last = result.ledger[result.ledger.length - 1];
  const known = testCommand !== null && last !== undefined && !changedSinceTests;
  const failingTests = known ? (last.exitCode === 0 ? 0 : Math.max(last.failing.length, last.failed ?? 0, 1)) : null;
  const regressions = known ? last.regressed.length : null;
  const report: AttemptReport = {
    id, model: model.label, status: result.status, reason: result.reason, verified: result.status === 'verified', failingTests, regressions,
    diffLines: changedLines(changes), usage: result.usage, steps: result.steps, verdict: result.verdict, summary: result.summary,
    taskId: attemptTaskId, journal: Journal.pathFor(journalDir, attemptTaskId), changes: diffsOf(changes), ledger: result.ledger,
  };
  const outcome: AttemptOutcome = {
    id, verified: report.verified, failingTests, regressions, diffLines: report.diffLines, costUsd: result.usage.costUsd,
    totalTokens: result.usage.promptTokens + result.usage.completionTokens, hasChanges: changes.length > 0,
    // With roles on, the verifier role's last word on this attempt (it never changes the attempt's status).
    verifierVerdict: result.verifier ? (result.verifier.decision === 'agree' ? 'pass' : 'fail') : null,
  };
  return { report, outcome, changes, last: known ? { failing: last.failing, regressed: last.regressed } : null };
}

/** The tests at the checkpoint, run like a verification (sandboxed, journaled) in a session that makes no model call. */
async function runBaseline(options: AttemptsOptions, taskId: string, worktree: TaskWorktree): Promise<Baseline | undefined> {
  await ensurePatchpilotIgnore(worktree.path);
  const session = AgentSession.create({
    ...options.task, cwd: worktree.path, model: options.models[0].client, journalDir: join(options.task.journalDir, 'attempts', taskId),
    taskId: `${taskId}-baseline`, approval: 'auto', approver: options.attemptApprover, runner: options.runnerFor(worktree.path, 'baseline'),
  });
  let baseline: Baseline | undefined;
  session.onEvent((event) => {
    if (event.type === 'test_run' && !baseline) baseline = { run: event.run, signature: event.signature };
  });
  await session.applyAndVerify([], { title: '', summary: 'The tests at the checkpoint.' }, options.signal);
  return baseline;
}

/**
 * Regressions: tests that passed in the run at the checkpoint and fail in the attempt's last run. Without a list of
 * passing tests from the runner, the attempt's own ledger (passed earlier in the attempt) is what is known.
 */
function countRegressions(run: AttemptRun, baseline: Baseline | undefined): void {
  if (!run.last) return;
  const passedAtStart = baseline?.run.tests ? new Set(baseline.run.tests.filter((t) => t.status === 'passed').map((t) => t.name)) : null;
  const regressed = passedAtStart ? run.last.failing.filter((name) => passedAtStart.has(name)) : run.last.regressed;
  run.report.regressions = regressed.length;
  run.outcome.regressions = regressed.length;
}

/** The parent task's result with the attempts; usage, steps and model calls are totals across attempts. */
function withAttempts(result: TaskResult, runs: AttemptRun[], judgement: AttemptsJudgement, conflicts: AttemptApplication['conflicts']): AttemptsResult {
  const usage = { promptTokens: 0, completionTokens: 0, costUsd: null as number | null };
  for (const { report } of runs) {
    usage.promptTokens += report.usage.promptTokens;
    usage.completionTokens += report.usage.completionTokens;
    if (report.usage.costUsd !== null) usage.costUsd = (usage.costUsd ?? 0) + report.usage.costUsd;
  }
  const steps = runs.reduce((n, run) => n + run.report.steps, 0);
  return {
    ...result, steps, modelCalls: steps, usage,
    attempts: runs.map((run) => run.report), chosenAttempt: judgement.chosen,
    judge: { ranking: judgement.ranking, reasons: judgement.reasons, ties: judgement.ties }, attemptConflicts: conflicts,
  };
}
