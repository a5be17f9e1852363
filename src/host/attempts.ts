// Parallel attempts in the window: runs the core's attempts orchestrator for the live task, each attempt's commands in
// a terminal of its own that never takes focus (sandboxed in the attempt's worktree, as every command is), streams the
// attempts into the panel (the Attempts section, the meter, the timeline), and keeps every attempt's changes viewable
// — read-only, in the native diff editor — until the next task starts. The chosen attempt reaches the person's files
// only through the parent task's per-hunk review.
import type * as vscode from 'vscode';
import { Journal } from '../agent/journal';
import { runAttempts, type AttemptModel } from '../agent/orchestrator/attempts';
import { attemptParallelism } from '../agent/orchestrator/attemptsBudget';
import { unattendedApprover } from '../agent/orchestrator/attemptsSetup';
import type { TaskResult } from '../agent/result';
import type { AgentSession, SessionOptions } from '../agent/session';
import type { WorktreeChange } from '../tools/changes/worktrees';
import type { ProposedContentProvider } from './diffDocuments';
import { Disposable } from './lifecycle';
import type { ReviewPanel } from './reviewPanel';
import type { TaskTimeline } from './taskTimeline';
import { TerminalCommandRunner } from './terminalRunner';

/** Nobody is asked while attempts run; the refusals say what to change instead. */
export const attemptApprover = unattendedApprover({
  protectedPath: 'it names a protected path, and parallel attempts run unattended, so such a command never runs; run Fix Failing Tests without attempts to be asked',
  unconfined: (detail) => `it is outside patchpilot.commands.allow and would run unconfined: ${detail} Parallel attempts run unattended: install the sandbox or add the command to patchpilot.commands.allow.`,
});

export interface AttemptsRunInput {
  /** The task as a single session would run it (approval 'ask': the chosen attempt is reviewed per hunk before it is written). */
  task: SessionOptions;
  /** The task's own session, already shown in the panel. */
  parent: AgentSession;
  models: AttemptModel[];
  /** patchpilot.attemptsParallel (null: the machine's cores). */
  parallel: number | null;
  timeline: TaskTimeline;
  panel: ReviewPanel;
}

type Contents = Map<string, { before: string | null; after: string | null } | 'binary'>;

function text(content: Buffer | null): string | null | undefined {
  if (content === null) return null;
  return content.includes(0) ? undefined : content.toString('utf8');
}

export class WindowAttempts extends Disposable {
  /** Each attempt's runner (and its terminal), kept until the next task so its output can still be read. */
  private runners: TerminalCommandRunner[] = [];
  /** The exact contents each attempt changed, by attempt id and path, for the read-only diff. */
  private readonly contents = new Map<string, Contents>();
  private taskId: string | null = null;

  constructor(private readonly log: vscode.LogOutputChannel, private readonly diffs: ProposedContentProvider, private readonly journalDir: string) {
    super();
    this._register({ dispose: () => this.reset() });
  }

  /** A new task starts: the last task's attempt terminals close and their diffs are dropped. */
  reset(): void {
    for (const runner of this.runners) runner.dispose();
    this.runners = [];
    this.contents.clear();
    this.taskId = null;
  }

  /** Runs the attempts; `cancel` stops them all (their commands' process trees are killed). */
  run(input: AttemptsRunInput): { done: Promise<TaskResult>; cancel(): void } {
    this.reset();
    this.taskId = input.parent.taskId;
    const controller = new AbortController();
    const count = input.models.length;
    const parallel = attemptParallelism(count, input.parallel ?? undefined);
    const { timeline, panel } = input;
    this.log.info(`task ${input.parent.taskId}: ${count} attempts, ${parallel} at once (${input.models.map((m) => m.label).join(', ')})`);
    const done = runAttempts({
      task: input.task, parent: input.parent, models: input.models, parallel, attemptApprover, signal: controller.signal,
      runnerFor: (_worktree, label) => {
        const runner = new TerminalCommandRunner(this.log, { name: `Patchpilot (${label})`, reveal: false });
        this.runners.push(runner);
        return runner;
      },
      onAttemptEvent: (attempt, event) => {
        const patch = timeline.applyAttempt(attempt, event);
        if (patch) panel.patch(patch);
      },
      onAttemptChanges: (attempt, changes) => this.keep(attempt, changes),
    });
    return { done, cancel: () => controller.abort() };
  }

  private keep(attempt: string, changes: readonly WorktreeChange[]): void {
    const files: Contents = new Map();
    for (const change of changes) {
      const before = text(change.before);
      const after = text(change.after);
      files.set(change.path, before === undefined || after === undefined ? 'binary' : { before, after });
    }
    this.contents.set(attempt, files);
  }

  /**
   * Opens an attempt's change to one file, read-only: the native diff while this window still has the attempt's
   * contents, else (a past task) the unified diff its journal keeps.
   */
  async openDiff(taskId: string | null, attempt: string, path: string): Promise<boolean> {
    const kept = taskId === this.taskId ? this.contents.get(attempt)?.get(path) : undefined;
    if (kept && kept !== 'binary') {
      await this.diffs.openDiff(`${taskId}-${attempt}`, path, kept.before, kept.after, attempt, true);
      return true;
    }
    const diff = taskId ? this.journaledDiff(taskId, attempt, path) : undefined;
    if (diff === undefined) return false;
    await this.diffs.openUnifiedDiff(`${taskId}-${attempt}`, path, diff);
    return true;
  }

  private journaledDiff(taskId: string, attempt: string, path: string): string | undefined {
    for (const event of Journal.read(Journal.pathFor(this.journalDir, taskId))) {
      if (event.type === 'attempt_finished' && event.attempt.id === attempt) return event.attempt.changes.find((c) => c.path === path)?.diff;
    }
    return undefined;
  }
}
