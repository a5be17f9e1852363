// Pending per-hunk reviews: the Approver the session calls in 'ask' mode, the end-of-task review of 'auto' mode,
// and the ways a person decides them (the panel's Submit, Accept All / Reject All from the palette).
import { randomBytes } from 'node:crypto';
import { taskStatusAfter } from '../shared/taskState';
import type { PanelStatus } from '../shared/viewModel';
import * as vscode from 'vscode';
import type { Approver, ChangeReview, CommandApproval, CommandApprovalRequest, ProposedFileChange } from '../agent/ports';
import { CONTEXT_KEYS } from './commandIds';
import { Disposable } from './lifecycle';
import type { ReviewPanel } from './reviewPanel';
import { uniformReview } from './reviewDecisions';
import { toFileViews } from './taskTimeline';

export interface PendingReview {
  reviewId: string;
  mode: 'ask' | 'final';
  title: string;
  changes: ProposedFileChange[];
  settle(review: ChangeReview): Promise<{ applied: boolean; message: string }>;
  /** The task's status when the review opened: what it returns to once answered. */
  before: PanelStatus;
}

function abortError(): Error {
  const error = new Error('The task was stopped.');
  error.name = 'AbortError';
  return error;
}

export class ReviewCoordinator extends Disposable implements Approver {
  private pending: PendingReview | undefined;
  private readonly questions = new Map<string, (run: boolean) => void>();

  constructor(private readonly panel: ReviewPanel, private readonly log: vscode.LogOutputChannel) {
    super();
  }

  get current(): PendingReview | undefined {
    return this.pending;
  }

  /** 'ask' mode: shows the change set and waits for the person's decisions before anything is written. */
  reviewChanges(request: { taskId: string; title: string; changes: ProposedFileChange[] }, signal?: AbortSignal): Promise<ChangeReview> {
    if (signal?.aborted) return Promise.reject(abortError());
    return new Promise<ChangeReview>((resolve, reject) => {
      const onAbort = (): void => {
        this.clear(reviewId);
        reject(abortError());
      };
      const reviewId = this.open('ask', request.title, request.changes, async (review) => {
        signal?.removeEventListener('abort', onAbort);
        this.panel.patch({ statusText: 'Running' });
        resolve(review);
        const rejected = review.files.reduce((n, f) => n + f.hunks.filter((h) => !h.accepted).length, 0);
        return { applied: true, message: rejected ? `Sent back ${rejected} rejected hunk(s) with your reasons.` : 'Accepted; writing the changes.' };
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Commands outside the allow rules: the task waits for the answer. The question always goes into the panel, where
   * it stays until answered. When the panel is not in view, a notification asks too (without switching the person's
   * editor tab); a notification cannot be closed from code, so it is not shown where the panel already asks.
   * Whichever is answered first decides; dismissing the notification or stopping the task counts as "no".
   */
  async approveCommand(request: CommandApprovalRequest, signal?: AbortSignal): Promise<CommandApproval> {
    if (signal?.aborted) return { approved: false, feedback: 'The task was stopped.' };
    // Without a sandbox the person must know the command would run with their full rights.
    const reason = request.unconfined ? `${request.reason} It would run WITHOUT a sandbox.` : request.reason;
    const questionId = randomBytes(6).toString('hex');
    const answer = new Promise<boolean>((resolve) => { this.questions.set(questionId, resolve); });
    const panelInView = this.panel.isVisible;
    this.panel.patch({ question: { questionId, command: request.command, reason },
      statusText: `Waiting for your approval to run ${request.command}` });
    if (!panelInView) this.notifyQuestion(questionId, request.command, reason);
    const onAbort = (): void => { this.answerCommand(questionId, false); };
    signal?.addEventListener('abort', onAbort, { once: true });
    const approved = await answer;
    signal?.removeEventListener('abort', onAbort);
    this.log.info(`command ${approved ? 'approved' : 'refused'} by the person: ${request.command}`);
    return approved ? { approved: true } : { approved: false, feedback: signal?.aborted ? 'The task was stopped.' : 'The person declined to run this command.' };
  }

  private notifyQuestion(questionId: string, command: string, reason: string): void {
    const run = 'Run Command';
    const show = 'Show Panel';
    void vscode.window.showWarningMessage(`Patchpilot wants to run \`${command}\`. ${reason} Run it?`, run, 'Don\'t Run', show).then((choice) => {
      if (choice === show) {
        this.panel.show();
        return;
      }
      // Answered in the panel meanwhile: the late click changes nothing, and says so.
      if (!this.answerCommand(questionId, choice === run) && choice !== undefined) {
        void vscode.window.showInformationMessage(`Patchpilot: \`${command}\` was already answered in the panel.`);
      }
    });
  }

  /** Settles a pending command question; false when it was already answered (the other place answered first). */
  answerCommand(questionId: string, run: boolean): boolean {
    const settle = this.questions.get(questionId);
    if (!settle) return false;
    this.questions.delete(questionId);
    if (this.panel.snapshot.question?.questionId === questionId) {
      this.panel.patch({ question: null, statusText: run ? 'Running the approved command' : 'Command declined; telling the model' });
    }
    settle(run);
    return true;
  }

  /** 'auto' mode, end of task: the cumulative change set for per-hunk acceptance; `apply` restores rejected hunks. */
  presentFinal(title: string, changes: ProposedFileChange[], apply: (review: ChangeReview) => Promise<{ applied: boolean; message: string }>): string {
    return this.open('final', title, changes, apply);
  }

  async submit(reviewId: string, review: ChangeReview): Promise<{ applied: boolean; message: string }> {
    const pending = this.pending;
    if (!pending || pending.reviewId !== reviewId) return { applied: false, message: 'This review is no longer pending.' };
    this.clear(reviewId);
    return pending.settle(review);
  }

  async decideAll(accepted: boolean): Promise<{ applied: boolean; message: string } | undefined> {
    const pending = this.pending;
    if (!pending) return undefined;
    const reason = accepted ? undefined : 'Rejected with Reject All.';
    return this.submit(pending.reviewId, uniformReview(pending.changes, accepted, reason));
  }

  /** Drops a pending final review (a new task starts); an 'ask' review is ended by its task's abort signal instead. */
  dismissFinal(): void {
    if (this.pending?.mode === 'final') this.clear(this.pending.reviewId);
  }

  private open(mode: 'ask' | 'final', title: string, changes: ProposedFileChange[], settle: PendingReview['settle']): string {
    const reviewId = randomBytes(6).toString('hex');
    const before = this.panel.snapshot.status;
    this.pending = { reviewId, mode, title, changes, settle, before };
    this.panel.patch({ review: { reviewId, title, mode, files: toFileViews(changes) }, status: taskStatusAfter(before, { kind: 'review_opened' }),
      statusText: mode === 'ask' ? 'Waiting for your review before writing' : 'Review the task\'s changes' });
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.reviewPending, true);
    this.panel.show(true);
    return reviewId;
  }

  private clear(reviewId: string): void {
    const pending = this.pending;
    if (pending?.reviewId !== reviewId) return;
    this.pending = undefined;
    this.panel.patch({ review: null, status: taskStatusAfter(this.panel.snapshot.status, { kind: 'review_closed', before: pending.before, mode: pending.mode }) });
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.reviewPending, false);
  }
}
