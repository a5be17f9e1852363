// The "Tasks" section: a collapsible list of this window's tasks (title, status, when), the live one marked;
// choosing another opens it read-only beside the live one (`openTask`). Relative times refresh once a minute.
import type { TaskListItem } from '../../shared/sidebarProtocol';
import { SHORT_STATUS_LABELS } from '../../shared/taskState';
import type { PanelStatus } from '../../shared/viewModel';
import { clear, el } from '../dom';

export interface HistoryActions {
  openTask(taskId: string): void;
  toggled(open: boolean): void;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", then the date. */
export function relativeTime(at: number, now: number): string {
  const elapsed = Math.max(0, now - at);
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  if (elapsed < 2 * DAY) return 'yesterday';
  if (elapsed < 7 * DAY) return `${Math.floor(elapsed / DAY)} days ago`;
  return new Date(at).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

/** The state's words from taskState (one source for every display); "review" reads as what it asks of the person. */
function statusLabel(status: string): string {
  if (status === 'review') return 'waiting for review';
  if (Object.prototype.hasOwnProperty.call(SHORT_STATUS_LABELS, status)) return SHORT_STATUS_LABELS[status as PanelStatus];
  return status.replace(/_/g, ' ');
}

export class HistoryView {
  readonly element: HTMLElement;
  private readonly toggle = el('button', { className: 'history-toggle', id: 'history-toggle', type: 'button', 'aria-expanded': 'false',
    'aria-controls': 'history-list', onclick: () => this.setOpen(!this.open, true) });
  private readonly toggleText = document.createTextNode('Tasks');
  private readonly list = el('ul', { className: 'history-list', id: 'history-list', 'aria-label': 'Tasks of this window', hidden: true });
  private readonly times: { node: Text; at: number }[] = [];
  private open = false;

  constructor(private readonly actions: HistoryActions) {
    this.toggle.append(el('span', { className: 'twisty', 'aria-hidden': 'true' }), this.toggleText);
    this.element = el('section', { className: 'history', id: 'history', 'aria-label': 'Task history' }, this.toggle, this.list);
    setInterval(() => this.refreshTimes(), MINUTE);
  }

  setOpen(open: boolean, byPerson = false): void {
    this.open = open;
    this.toggle.setAttribute('aria-expanded', String(open));
    this.list.hidden = !open;
    if (byPerson) this.actions.toggled(open);
  }

  setTasks(tasks: TaskListItem[]): void {
    this.toggleText.data = tasks.length ? `Tasks (${tasks.length})` : 'Tasks';
    clear(this.list);
    this.times.length = 0;
    if (tasks.length === 0) {
      this.list.appendChild(el('li', { className: 'history-empty muted' }, 'No tasks yet in this window.'));
      return;
    }
    const now = Date.now();
    for (const task of tasks) this.list.appendChild(this.renderItem(task, now));
  }

  private renderItem(task: TaskListItem, now: number): HTMLElement {
    const time = document.createTextNode(relativeTime(task.startedAt, now));
    this.times.push({ node: time, at: task.startedAt });
    const body = [
      el('span', { className: 'history-title' }, task.title || '(untitled task)'),
      el('span', { className: 'history-meta' },
        task.live ? el('span', { className: 'history-live' }, 'current') : null,
        task.background ? el('span', { className: 'history-background', title: 'Runs in its own worktree' }, 'background') : null,
        el('span', { className: `history-status status-${task.status}`, 'data-status': task.status }, statusLabel(task.status)),
        el('span', { className: 'history-time' }, time)),
    ];
    // The live task is the conversation already on screen: marked, not a button that would do nothing.
    const item = task.live
      ? el('div', { className: 'history-item live', 'aria-current': 'true', title: task.title }, ...body)
      : el('button', { className: `history-item${task.background ? ' background' : ''}`, type: 'button', 'data-task-id': task.taskId,
        title: task.background ? `Open the background task "${task.title}"` : `Open "${task.title}" (read-only)`,
        onclick: () => this.actions.openTask(task.taskId) }, ...body);
    return el('li', { 'data-task-id': task.taskId }, item);
  }

  private refreshTimes(): void {
    const now = Date.now();
    for (const { node, at } of this.times) node.data = relativeTime(at, now);
  }
}
