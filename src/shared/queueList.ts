// How a queue entry reads in the sidebar: the store's record cut down to what the list shows and acts on (pure, so
// the host and the unit tests share it).
import type { QueueEntry } from '../agent/queue/store';
import type { QueueListItem } from './sidebarProtocol';

export function queueListItem(entry: QueueEntry, runnerAlive: boolean): QueueListItem {
  return {
    id: entry.id,
    goal: entry.goal,
    state: entry.state,
    status: entry.status,
    mode: entry.mode,
    runnerGone: entry.state === 'running' && !runnerAlive,
    proposal: !entry.proposal ? 'none' : entry.appliedAt ? 'applied' : 'pending',
    error: entry.error,
    createdAt: Date.parse(entry.createdAt) || 0,
  };
}

/** The entry's state in words: "queued", "running", "resumable (its runner is gone)", "done: verified", … */
export function queueStateLabel(item: QueueListItem): string {
  if (item.runnerGone) return 'interrupted: Run Queue resumes it';
  if (item.state === 'done') {
    const status = item.status === 'unverified' ? 'not verified' : item.status ?? 'done';
    return item.proposal === 'pending' ? `done: ${status}, proposal to review` : item.proposal === 'applied' ? `done: ${status}, applied` : `done: ${status}`;
  }
  if (item.state === 'failed') return `could not run${item.error ? `: ${item.error}` : ''}`;
  return item.state;
}
