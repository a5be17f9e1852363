// The panel requests of a review that lives in a panel of its own (a background task, a queued task's worktree
// result): submit the pending review, open a hunk's diff, open a file. One place, so the review panels behave alike.
import * as vscode from 'vscode';
import type { PanelRequestHandlers } from '../shared/protocol';
import { isReviewDecisionList } from '../shared/protocol';
import type { ProposedContentProvider } from './diffDocuments';
import type { ReviewCoordinator } from './reviewCoordinator';
import { toChangeReview } from './reviewDecisions';

/** `reviews` is read at each request: the handlers are made before the panel's coordinator exists. */
export function separateReviewHandlers(reviewsOf: () => ReviewCoordinator, diffs: ProposedContentProvider, root: string, label: string):
  Pick<PanelRequestHandlers, 'submitReview' | 'openDiff' | 'openFile' | 'openAttemptDiff'> {
  return {
    submitReview: async ({ reviewId, files, feedback }) => {
      if (!isReviewDecisionList(files)) throw new Error('malformed review decisions');
      const reviews = reviewsOf();
      const pending = reviews.current;
      if (!pending || pending.reviewId !== reviewId) return { applied: false, message: 'This review is no longer pending.' };
      return reviews.submit(reviewId, toChangeReview(pending.changes, files, typeof feedback === 'string' ? feedback : undefined));
    },
    openDiff: async ({ reviewId, path }) => {
      const change = reviewsOf().current?.changes.find((c) => c.path === path);
      if (!change) return { opened: false };
      await diffs.openDiff(reviewId ?? label, change.path, change.before, change.after);
      return { opened: true };
    },
    openFile: async ({ path }) => {
      if (typeof path !== 'string') return { opened: false };
      await vscode.window.showTextDocument(vscode.Uri.file(`${root}/${path}`), { preview: true, viewColumn: vscode.ViewColumn.Beside });
      return { opened: true };
    },
    // One task's own change: there are no other attempts to show.
    openAttemptDiff: async () => ({ opened: false }),
  };
}
