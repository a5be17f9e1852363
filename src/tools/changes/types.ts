// Contract of the hunk and checkpoint helpers the change set and the review UI use.
import type { HunkView } from '../../agent/ports';

export type { HunkView };

/** A git checkpoint taken before a task's first write; the user's branch, index and stash are untouched. */
export interface Checkpoint {
  /** e.g. refs/patchpilot/checkpoints/<taskId> */
  ref: string;
  commit: string;
}
