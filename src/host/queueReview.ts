// The review of a queued task that ran in a worktree: its proposal (`.patchpilot/proposals/<id>.patch`) read back as
// whole files and shown in a panel of its own against the person's files as they are now — like a background task's
// review: hunks on lines the person changed since are conflicts that cannot be accepted, and accepted hunks are
// applied to the files as they are when the person applies (read once more), never over an edit made meanwhile.
import * as vscode from 'vscode';
import type { ChangeReview } from '../agent/ports';
import type { QueueEntry } from '../agent/queue/store';
import type { PanelRequestHandlers } from '../shared/protocol';
import { emptySnapshot } from '../shared/viewModel';
import type { TaskFileChange } from '../tools/changes/rebase';
import { applyReviewedHunks, proposedChanges, rebaseOntoWorkspace } from '../tools/changes/worktreeReview';
import { BACKGROUND_VIEW_TYPE } from './commandIds';
import type { ProposedContentProvider } from './diffDocuments';
import { Disposable } from './lifecycle';
import { ReviewCoordinator } from './reviewCoordinator';
import { separateReviewHandlers } from './separateReviewHandlers';
import { ReviewPanel } from './reviewPanel';

export interface QueueReviewDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  diffs: ProposedContentProvider;
  root: string;
  isProtected: (relative: string) => boolean;
  /** Called after the person applied the review (with the files written). */
  applied: (written: string[]) => void;
}

const HINT = 'This queued task ran in its own worktree: nothing is in your files yet. Accepted hunks are applied to your files as they are now; '
  + 'hunks on lines you changed since the task started are conflicts and are not applied.';

export class QueueProposalReview extends Disposable {
  readonly panel: ReviewPanel;
  readonly reviews: ReviewCoordinator;
  private decidedResolve!: (message: string) => void;
  /** Resolves with what was applied once the person decided. */
  readonly decided = new Promise<string>((resolve) => { this.decidedResolve = resolve; });

  constructor(private readonly deps: QueueReviewDeps, private readonly entry: QueueEntry, private readonly changes: TaskFileChange[]) {
    super();
    const title = entry.goal.split('\n')[0].slice(0, 40);
    this.panel = this._register(new ReviewPanel(deps.extensionUri, deps.log, this.handlers(), { viewType: BACKGROUND_VIEW_TYPE, title: `Patchpilot (queue): ${title}` }));
    this.reviews = this._register(new ReviewCoordinator(this.panel, deps.log, { background: true }));
  }

  /** Shows the review; false when none of the changes differ from the person's files any more. */
  present(): boolean {
    const rebased = rebaseOntoWorkspace(this.deps.root, this.changes, { isProtected: this.deps.isProtected });
    if (rebased.length === 0) return false;
    const entry = this.entry;
    this.panel.reset({ ...emptySnapshot(), taskId: entry.taskId, title: entry.goal.split('\n')[0], goal: entry.goal,
      status: entry.status === 'verified' ? 'verified' : 'unverified', statusText: `Queued task ${entry.id}: ${entry.status ?? entry.state}`, approval: 'auto', restricted: false });
    if (entry.summary) this.panel.patch({ timelineAppend: [{ kind: 'note', level: 'info', text: entry.summary }] });
    const proposed = proposedChanges(rebased);
    this.reviews.presentFinal(`${proposed.length} file(s) changed by the queued task`, proposed, (review) => this.apply(review), HINT);
    this.panel.show();
    return true;
  }

  private async apply(review: ChangeReview): Promise<{ applied: boolean; message: string }> {
    const report = await applyReviewedHunks(this.deps.root, this.changes, review.files, { isProtected: this.deps.isProtected });
    const { message } = report;
    const refused = report.refused;
    this.panel.patch({ timelineAppend: [{ kind: 'note', level: refused.length ? 'warning' : 'info', text: message }] });
    this.deps.log.info(`queue review of ${this.entry.id}: ${message}`);
    this.deps.applied(report.written);
    this.decidedResolve(message);
    return { applied: refused.length === 0, message };
  }

  private handlers(): PanelRequestHandlers {
    const refuse = async (): Promise<never> => { throw new Error('This queued task has finished; only its review is open.'); };
    return {
      ...separateReviewHandlers(() => this.reviews, this.deps.diffs, this.deps.root, 'queue'),
      stop: refuse,
      answerCommand: refuse,
    };
  }
}
