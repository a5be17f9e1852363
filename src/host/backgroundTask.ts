// One background task: a session in its own git worktree (made from the person's working tree, uncommitted work
// included), with its own panel, its own review coordinator and its own terminal, so the person keeps editing the same
// files meanwhile. When it needs a decision (a command question, the final review) a notification says so; the final
// review shows its changes against the person's files as they are *then* (conflicts marked, never forced), and once
// decided the worktree is removed.
import * as vscode from 'vscode';
import type { ChangeReview } from '../agent/ports';
import type { TaskResult } from '../agent/result';
import type { AgentSession } from '../agent/session';
import type { PanelRequestHandlers } from '../shared/protocol';
import { emptySnapshot } from '../shared/viewModel';
import type { TaskFileChange } from '../tools/changes/rebase';
import { removeWorktree, type TaskWorktree } from '../tools/changes/worktrees';
import { applyReviewedHunks, proposedChanges, rebaseOntoWorkspace, taskChanges } from '../tools/changes/worktreeReview';
import { BACKGROUND_VIEW_TYPE } from './commandIds';
import type { ProposedContentProvider } from './diffDocuments';
import { Disposable } from './lifecycle';
import { ReviewCoordinator } from './reviewCoordinator';
import { separateReviewHandlers } from './separateReviewHandlers';
import { ReviewPanel } from './reviewPanel';
import { StreamingBuffer } from './streamingBuffer';
import { TaskTimeline } from './taskTimeline';
import { TerminalCommandRunner } from './terminalRunner';

export interface BackgroundTaskDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  diffs: ProposedContentProvider;
  /** The person's workspace folder. */
  root: string;
  worktree: TaskWorktree;
  /** Protected paths of the workspace: a background task's change to one is never applied. */
  isProtected: (relative: string) => boolean;
  /** Fires when the task's state changes (the sidebar's task list follows it). */
  changed: () => void;
  /** How the finished task is offered for review (watch proposals say it their way); absent: always, as below. */
  review?: BackgroundReviewOptions;
}

export interface BackgroundReviewOptions {
  /** Whether the result is worth a review at all; when not, the worktree is removed and nothing is announced. */
  reviewIf?(result: TaskResult): boolean;
  /** The notification's text and button when the review waits. */
  notice?(info: { files: number; conflicts: number; result: TaskResult }): string;
  button?: string;
}

const REVIEW_HINT = 'Nothing is in your files yet: accepted hunks are applied to your files as they are now. '
  + 'Hunks on lines you changed since the task started are conflicts: they are not applied.';

export class BackgroundTask extends Disposable {
  readonly panel: ReviewPanel;
  readonly reviews: ReviewCoordinator;
  readonly runner: TerminalCommandRunner;
  private session: AgentSession | undefined;
  private changes: TaskFileChange[] = [];
  private worktreeRemoved = false;
  readonly startedAt = Date.now();
  /** Resolves when the task has finished and its review (if any) is waiting. */
  private reviewReady: Promise<void> = Promise.resolve();
  /** Resolves with the task's result when its session ends (null when it could not run). */
  private finishedResolve!: (result: TaskResult | null) => void;
  readonly finished = new Promise<TaskResult | null>((resolve) => { this.finishedResolve = resolve; });
  /** Resolves when the review was decided (or there was nothing to review) and the worktree is gone. */
  private settledResolve!: () => void;
  readonly settled = new Promise<void>((resolve) => { this.settledResolve = resolve; });

  constructor(private readonly deps: BackgroundTaskDeps, readonly title: string) {
    super();
    this.panel = this._register(new ReviewPanel(deps.extensionUri, deps.log, this.handlers(),
      { viewType: BACKGROUND_VIEW_TYPE, title: `Patchpilot (background): ${title.slice(0, 40)}` }));
    this.reviews = this._register(new ReviewCoordinator(this.panel, deps.log, { background: true }));
    this.runner = this._register(new TerminalCommandRunner(deps.log, { name: `Patchpilot (background): ${title.slice(0, 30)}`, reveal: false }));
    // The task list shows the state only: it follows state changes, not every streamed token.
    let status = this.panel.snapshot.status;
    this._register(this.panel.onDidChangeSnapshot((snapshot) => {
      if (snapshot.status === status) return;
      status = snapshot.status;
      deps.changed();
    }));
    // Closing the window mid-task: the worktree goes with it (the next activation also cleans up after a crash).
    this._register({ dispose: () => { this.session?.cancel(); void this.removeWorktree(); } });
  }

  get taskId(): string | null {
    return this.session?.taskId ?? null;
  }

  get worktreePath(): string {
    return this.deps.worktree.path;
  }

  get isRunning(): boolean {
    return this.session?.isRunning ?? false;
  }

  /** For the in-VS-Code tests: resolves when the review is on screen (or the task ended without changes). */
  whenReviewReady(): Promise<void> {
    return this.reviewReady;
  }

  /** Runs the session in the worktree; its events stream into this task's panel. */
  start(session: AgentSession): void {
    this.session = session;
    const timeline = new TaskTimeline(emptySnapshot().meter);
    this.panel.reset({ ...emptySnapshot(), taskId: session.taskId, title: session.title, goal: session.goal, status: 'running',
      statusText: 'Running in its own worktree', approval: 'auto', restricted: false });
    if (session.startEvent) {
      const patch = timeline.apply(session.startEvent);
      if (patch) this.panel.patch(patch);
    }
    this.panel.patch({ timelineAppend: [{ kind: 'note', level: 'info', text: `Background task: it works in ${this.deps.worktree.path}; your files stay as they are until you review its changes.` }] });
    const events = session.onEvent((event) => {
      const patch = timeline.apply(event);
      if (patch) this.panel.patch(patch);
    });
    const streaming = new StreamingBuffer((view) => this.panel.patch({ streaming: view }));
    const stream = session.onStream((event) => streaming.add(event));
    this.deps.log.info(`background task ${session.taskId} started in ${this.deps.worktree.path}`);
    this.reviewReady = session.run().then((result) => {
      this.finishedResolve(result);
      return this.presentReview(result);
    }, (error: unknown) => {
      this.deps.log.error(`background task ${session.taskId} failed: ${String(error)}`);
      this.finishedResolve(null);
      this.settle();
    }).finally(() => {
      events.dispose();
      stream.dispose();
      streaming.dispose();
      this.deps.changed();
    });
  }

  stop(): boolean {
    if (!this.session?.isRunning) return false;
    this.session.cancel();
    return true;
  }

  private async presentReview(result: TaskResult): Promise<void> {
    const title = this.title.split('\n')[0].slice(0, 60);
    const options = this.deps.review;
    if (options?.reviewIf && !options.reviewIf(result)) {
      this.settle();
      return;
    }
    this.changes = await taskChanges(this.deps.worktree);
    const rebased = rebaseOntoWorkspace(this.deps.root, this.changes, { isProtected: this.deps.isProtected });
    if (rebased.length === 0) {
      void vscode.window.showInformationMessage(`Patchpilot: background task "${title}": ${result.summary} It changed no files.`);
      this.settle();
      return;
    }
    const proposed = proposedChanges(rebased);
    const conflicts = proposed.reduce((n, file) => n + file.hunks.filter((h) => h.conflict).length, 0);
    this.reviews.presentFinal(`${proposed.length} file(s) changed by the background task`, proposed, (review) => this.apply(review), REVIEW_HINT);
    const text = options?.notice?.({ files: proposed.length, conflicts, result })
      ?? `Patchpilot: background task "${title}" is waiting for your review: ${proposed.length} file(s)`
      + `${conflicts ? `, ${conflicts} hunk(s) conflict with your edits` : ''}. ${result.summary}`;
    const button = options?.button ?? 'Review Changes';
    void vscode.window.showInformationMessage(text, button).then((choice) => {
      if (choice === button) this.panel.show();
    });
  }

  /** Writes the accepted hunks into the person's files (rebased once more), then removes the worktree. */
  private async apply(review: ChangeReview): Promise<{ applied: boolean; message: string }> {
    const report = await applyReviewedHunks(this.deps.root, this.changes, review.files, { isProtected: this.deps.isProtected });
    const { message } = report;
    const refused = report.refused;
    this.panel.patch({ timelineAppend: [{ kind: 'note', level: refused.length ? 'warning' : 'info', text: message }] });
    this.deps.log.info(`background review of ${this.taskId}: ${message}`);
    this.settle();
    return { applied: refused.length === 0, message };
  }

  private settle(): void {
    void this.removeWorktree().finally(() => {
      this.settledResolve();
      this.deps.changed();
    });
  }

  private async removeWorktree(): Promise<void> {
    if (this.worktreeRemoved) return;
    this.worktreeRemoved = true;
    await removeWorktree(this.deps.worktree);
  }

  private handlers(): PanelRequestHandlers {
    return {
      ...separateReviewHandlers(() => this.reviews, this.deps.diffs, this.deps.root, 'background'),
      stop: async () => ({ stopped: this.stop() }),
      answerCommand: async ({ questionId, run, always }) => {
        if (typeof questionId !== 'string' || typeof run !== 'boolean') throw new Error('answerCommand needs a questionId and run: true or false');
        return { answered: this.reviews.answerCommand(questionId, run, always === true) };
      },
    };
  }
}
