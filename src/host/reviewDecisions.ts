// The person's per-hunk decisions as the core's ChangeReview. Pure (no 'vscode'), so it is tested under plain mocha.
import type { ChangeReview, FileDecision, ProposedFileChange } from '../agent/ports';
import type { ReviewDecisionInput } from '../shared/protocol';

/** Every hunk of the change set decided the same way. */
export function uniformReview(changes: ProposedFileChange[], accepted: boolean, reason?: string): ChangeReview {
  return { files: changes.map((change) => ({ path: change.path, hunks: change.hunks.map((hunk) => ({ index: hunk.index, accepted, reason })) })) };
}

/** The panel's decisions as the core's ChangeReview; an undecided hunk cannot reach here (the panel requires all). */
export function toChangeReview(changes: ProposedFileChange[], decisions: ReviewDecisionInput[], feedback?: string): ChangeReview {
  const files: FileDecision[] = changes.map((change) => {
    const decided = decisions.find((d) => d.path === change.path);
    return {
      path: change.path,
      hunks: change.hunks.map((hunk) => {
        const verdict = decided?.hunks.find((h) => h.index === hunk.index);
        if (!verdict) throw new Error(`No decision for hunk ${hunk.index + 1} of ${change.path}.`);
        const reason = verdict.reason?.trim();
        return { index: hunk.index, accepted: verdict.verdict === 'accept', ...(reason ? { reason } : {}) };
      }),
    };
  });
  return feedback?.trim() ? { files, feedback: feedback.trim() } : { files };
}
