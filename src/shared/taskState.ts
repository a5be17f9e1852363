// The task's state, one source of truth for everything that shows it: the panel's badge, the chat view, the status
// bar and the notifications read these labels, and the state moves only through taskStatusAfter(), so no display
// can say "Review" after the review was applied or "Verified" for a tree whose tests fail.
import type { PanelStatus } from './viewModel';

export const STATUS_LABELS: Readonly<Record<PanelStatus, string>> = {
  idle: 'Idle',
  running: 'Running',
  review: 'Waiting for your review',
  verified: 'Verified',
  unverified: 'Completed — not verified',
  failed: 'Failed',
  stopped: 'Stopped',
};

/** Short forms for narrow places (the status bar, a 300-px sidebar). */
export const SHORT_STATUS_LABELS: Readonly<Record<PanelStatus, string>> = {
  idle: 'idle', running: 'running', review: 'review', verified: 'verified', unverified: 'not verified', failed: 'failed', stopped: 'stopped',
};

export type TaskStatusChange =
  | { kind: 'started' }
  | { kind: 'review_opened' }
  /** The review was answered or dropped: back to what the task was before it (its result, or running in 'ask' mode). */
  | { kind: 'review_closed'; before: PanelStatus; mode: 'ask' | 'final' }
  | { kind: 'finished'; status: Exclude<PanelStatus, 'idle' | 'running' | 'review'> };

export function taskStatusAfter(current: PanelStatus, change: TaskStatusChange): PanelStatus {
  switch (change.kind) {
    case 'started': return 'running';
    case 'review_opened': return 'review';
    case 'review_closed': return change.mode === 'ask' ? 'running' : change.before === 'review' ? current : change.before;
    case 'finished': return change.status;
  }
}

/** True while the task works or waits for the person: Stop applies, the chat steers it. */
export function isActive(status: PanelStatus): boolean {
  return status === 'running' || status === 'review';
}
