// The "Queue" section: the workspace's queued tasks (from .patchpilot/queue, oldest first, the order they run in) with
// their state, Run Queue, and per entry Cancel (while queued or running) and Review (a finished worktree entry's
// proposal). Open by default when there is something in it; the person's toggle is kept like the Tasks list's.
import type { QueueListItem } from '../../shared/sidebarProtocol';
import { queueStateLabel } from '../../shared/queueList';
import { clear, el } from '../dom';

export interface QueueActions {
  run(): void;
  cancel(id: string): void;
  review(id: string): void;
}

export class QueueView {
  readonly element: HTMLElement;
  private readonly toggle = el('button', { className: 'history-toggle', id: 'queue-toggle', type: 'button', 'aria-expanded': 'true',
    'aria-controls': 'queue-body', onclick: () => this.setOpen(!this.open) });
  private readonly toggleText = document.createTextNode('Queue');
  private readonly runButton = el('button', { id: 'run-queue', className: 'secondary', type: 'button', onclick: () => this.actions.run(),
    title: 'Run the queued tasks: one at a time in your files, or in worktrees with patchpilot.queue.parallel' }, 'Run Queue');
  private readonly list = el('ul', { className: 'history-list queue-list', id: 'queue-list', 'aria-label': 'Queued tasks' });
  private readonly body = el('div', { id: 'queue-body', className: 'queue-body' }, this.list, el('div', { className: 'queue-actions' }, this.runButton));
  private open = true;

  constructor(private readonly actions: QueueActions) {
    this.toggle.append(el('span', { className: 'twisty', 'aria-hidden': 'true' }), this.toggleText);
    this.element = el('section', { className: 'history queue', id: 'queue', 'aria-label': 'Task queue', hidden: true }, this.toggle, this.body);
  }

  setOpen(open: boolean): void {
    this.open = open;
    this.toggle.setAttribute('aria-expanded', String(open));
    this.body.hidden = !open;
  }

  /** Hidden while the queue is empty: nothing to show or run. */
  setQueue(entries: QueueListItem[], running: boolean): void {
    this.element.hidden = entries.length === 0;
    const waiting = entries.filter((entry) => entry.state === 'queued' || entry.runnerGone).length;
    this.toggleText.data = entries.length ? `Queue (${waiting} waiting${running ? ', running' : ''})` : 'Queue';
    this.runButton.disabled = running || waiting === 0;
    this.runButton.textContent = running ? 'Running…' : 'Run Queue';
    clear(this.list);
    for (const entry of entries) this.list.appendChild(this.renderItem(entry));
  }

  private renderItem(entry: QueueListItem): HTMLElement {
    const title = entry.goal.split('\n')[0];
    const state = entry.runnerGone ? 'interrupted' : entry.state === 'done' ? entry.status ?? 'done' : entry.state;
    const buttons: HTMLElement[] = [];
    if (entry.state === 'queued' || entry.state === 'running') {
      buttons.push(el('button', { className: 'link queue-cancel', type: 'button', 'data-entry-id': entry.id, 'aria-label': `Cancel "${title}"`,
        onclick: () => this.actions.cancel(entry.id) }, 'Cancel'));
    }
    if (entry.state === 'done' && entry.proposal === 'pending') {
      buttons.push(el('button', { className: 'link queue-review', type: 'button', 'data-entry-id': entry.id, 'aria-label': `Review the proposal of "${title}"`,
        onclick: () => this.actions.review(entry.id) }, 'Review'));
    }
    return el('li', { 'data-entry-id': entry.id, 'data-state': entry.state },
      el('div', { className: 'history-item queue-item', title: entry.goal },
        el('span', { className: 'history-title' }, title || '(no goal)'),
        el('span', { className: 'history-meta' },
          entry.mode === 'worktree' ? el('span', { className: 'history-background', title: 'Runs in its own worktree' }, 'worktree') : null,
          el('span', { className: `history-status status-${state}`, 'data-status': state }, queueStateLabel(entry)),
          ...buttons)));
  }
}
