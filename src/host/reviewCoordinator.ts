// Pending per-hunk reviews: the Approver the session calls in 'ask' mode, the end-of-task review of 'auto' mode,
// and the ways a person decides them (the panel's Submit, Accept All / Reject All from the palette).
import { randomBytes } from 'node:crypto';
import { taskStatusAfter } from '../shared/taskState';
import type { PanelStatus } from '../shared/viewModel';
import * as vscode from 'vscode';
import type { Approver, ChangeReview, CommandApproval, CommandApprovalRequest, ProposedFileChange, ToolApproval, ToolApprovalRequest } from '../agent/ports';
import { CONTEXT_KEYS } from './commandIds';
import { Disposable } from './lifecycle';
import type { ReviewPanel } from './reviewPanel';
import { uniformReview } from './reviewDecisions';
import { toFileViews } from './taskTimeline';

interface Answer {
  run: boolean;
  always: boolean;
}

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
  private readonly questions = new Map<string, (answer: Answer) => void>();

  /**
   * `background` (a background task's reviews): a review neither brings its panel forward (a notification says so
   * instead) nor sets the context keys of the palette's Accept All / Reject All, which act on the foreground task.
   */
  constructor(private readonly panel: ReviewPanel, private readonly log: vscode.LogOutputChannel, private readonly options: { background?: boolean } = {}) {
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
    const answer = await this.ask(request.command, reason, false, signal);
    this.log.info(`command ${answer.run ? 'approved' : 'refused'} by the person: ${request.command}`);
    return answer.run ? { approved: true } : { approved: false, feedback: signal?.aborted ? 'The task was stopped.' : 'The person declined to run this command.' };
  }

  /** An MCP tool outside the allow rules: asked like a command, with "Always Allow" for the rest of the task. */
  async approveTool(request: ToolApprovalRequest, signal?: AbortSignal): Promise<ToolApproval> {
    if (signal?.aborted) return { approved: false, feedback: 'The task was stopped.' };
    const args = request.argsText.length > 200 ? `${request.argsText.slice(0, 200)}…` : request.argsText;
    const what = `MCP tool ${request.server}/${request.tool}`;
    const answer = await this.ask(what, `It is not in patchpilot.mcp.allow. Arguments: ${args}`, true, signal);
    this.log.info(`${what} ${answer.run ? (answer.always ? 'always allowed' : 'allowed') : 'refused'} by the person`);
    return answer.run ? { approved: true, always: answer.always } : { approved: false, feedback: signal?.aborted ? 'The task was stopped.' : 'The person declined.' };
  }

  /** The question goes into the panel (it stays until answered) and, when the panel is out of view, a notification. */
  private async ask(command: string, reason: string, canAlways: boolean, signal?: AbortSignal): Promise<Answer> {
    const questionId = randomBytes(6).toString('hex');
    const answer = new Promise<Answer>((resolve) => { this.questions.set(questionId, resolve); });
    const panelInView = this.panel.isVisible;
    this.panel.patch({ question: { questionId, command, reason, ...(canAlways ? { canAlways } : {}) }, statusText: `Waiting for your approval to run ${command}` });
    if (!panelInView) this.notifyQuestion(questionId, command, reason, canAlways);
    const onAbort = (): void => { this.answerCommand(questionId, false); };
    signal?.addEventListener('abort', onAbort, { once: true });
    const result = await answer;
    signal?.removeEventListener('abort', onAbort);
    return result;
  }

  private notifyQuestion(questionId: string, command: string, reason: string, canAlways: boolean): void {
    const run = 'Run Command';
    const always = 'Always Allow';
    const show = 'Show Panel';
    const buttons = canAlways ? [run, always, 'Don\'t Run', show] : [run, 'Don\'t Run', show];
    void vscode.window.showWarningMessage(`Patchpilot wants to run \`${command}\`. ${reason} Run it?`, ...buttons).then((choice) => {
      if (choice === show) {
        this.panel.show();
        return;
      }
      // Answered in the panel meanwhile: the late click changes nothing, and says so.
      if (!this.answerCommand(questionId, choice === run || choice === always, choice === always) && choice !== undefined) {
        void vscode.window.showInformationMessage(`Patchpilot: \`${command}\` was already answered in the panel.`);
      }
    });
  }

  /** Settles a pending question; false when it was already answered (the other place answered first). */
  answerCommand(questionId: string, run: boolean, always = false): boolean {
    const settle = this.questions.get(questionId);
    if (!settle) return false;
    this.questions.delete(questionId);
    if (this.panel.snapshot.question?.questionId === questionId) {
      this.panel.patch({ question: null, statusText: run ? 'Running the approved command' : 'Command declined; telling the model' });
    }
    settle({ run, always: run && always });
    return true;
  }

  /** 'auto' mode, end of task: the cumulative change set for per-hunk acceptance; `apply` restores rejected hunks. */
  presentFinal(title: string, changes: ProposedFileChange[], apply: (review: ChangeReview) => Promise<{ applied: boolean; message: string }>, hint?: string): string {
    return this.open('final', title, changes, apply, hint);
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

  private open(mode: 'ask' | 'final', title: string, changes: ProposedFileChange[], settle: PendingReview['settle'], hint?: string): string {
    const reviewId = randomBytes(6).toString('hex');
    const before = this.panel.snapshot.status;
    this.pending = { reviewId, mode, title, changes, settle, before };
    this.panel.patch({ review: { reviewId, title, mode, files: toFileViews(changes), ...(hint ? { hint } : {}) }, status: taskStatusAfter(before, { kind: 'review_opened' }),
      statusText: mode === 'ask' ? 'Waiting for your review before writing' : 'Review the task\'s changes' });
    if (this.options.background) return reviewId;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.reviewPending, true);
    this.panel.show(true);
    return reviewId;
  }

  private clear(reviewId: string): void {
    const pending = this.pending;
    if (pending?.reviewId !== reviewId) return;
    this.pending = undefined;
    this.panel.patch({ review: null, status: taskStatusAfter(this.panel.snapshot.status, { kind: 'review_closed', before: pending.before, mode: pending.mode }) });
    if (!this.options.background) void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.reviewPending, false);
  }
}
