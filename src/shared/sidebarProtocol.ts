// The sidebar view's message protocol, both ways, in one table (like the panel's in protocol.ts): the view shows the
// live task as a conversation, sends the person's messages (a new task, a follow-up that steers a running task or
// continues a finished one, @-mentions expanded by the host), and lists the task history.
import type { PanelPatch, PanelSnapshot } from './viewModel';

export interface TaskListItem {
  taskId: string;
  /** The task in the person's words. */
  title: string;
  status: string;
  startedAt: number;
  /** The task the conversation shows now. */
  live: boolean;
  /** A background task of this window (its own worktree and panel); opening it shows its panel. */
  background?: boolean;
}

/** One entry of the workspace's task queue (`.patchpilot/queue`), as the sidebar lists it. */
export interface QueueListItem {
  id: string;
  goal: string;
  state: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  /** The task's own status once done (verified, unverified, failed, stopped). */
  status: string | null;
  mode: 'in-place' | 'worktree' | null;
  /** Running, but its runner is gone (a reload, a crash): Run Queue resumes it. */
  runnerGone: boolean;
  /** A worktree entry's result: a proposal waiting for review, or applied already. */
  proposal: 'none' | 'pending' | 'applied';
  error: string | null;
  createdAt: number;
}

/** One completion of an @-mention. `insert` replaces the `@query` the person typed. */
export interface MentionItem {
  kind: 'file' | 'selection' | 'problems' | 'terminal';
  label: string;
  insert: string;
  detail?: string;
}

export interface SidebarState {
  /** The live (or most recent) task of this window, as a conversation; null before the first one. */
  task: PanelSnapshot | null;
  tasks: TaskListItem[];
  /**
   * What Send does now: start a new task, steer the running one (delivered at its next safe point), or continue
   * the finished one in the same session.
   */
  sendMode: 'new' | 'steer' | 'continue';
  /** Why nothing can be sent (no folder open), or null. */
  blocked: string | null;
  /** Workspace-relative path of the active editor, for the "attach current file" chip; null when none. */
  activeEditor: string | null;
  /** The workspace's queue, oldest first (the order it runs in). */
  queue: QueueListItem[];
  /** A queue runner of this window is working. */
  queueRunning: boolean;
}

export interface SidebarRequests {
  /** `background`: run the message as a background task in its own worktree instead of in this conversation. */
  send: { params: { text: string; attachActiveEditor: boolean; fixTests: boolean; background?: boolean }; result: { accepted: boolean; message: string } };
  /** The next message starts a new task (the finished one stays in the history). */
  newConversation: { params: Record<string, never>; result: { ok: boolean } };
  complete: { params: { query: string }; result: { items: MentionItem[] } };
  stop: { params: Record<string, never>; result: { stopped: boolean } };
  openReview: { params: Record<string, never>; result: { opened: boolean } };
  /** Opens a past task read-only, beside the live one (never replacing it); a background task opens its own panel. */
  openTask: { params: { taskId: string }; result: { opened: boolean } };
  answerCommand: { params: { questionId: string; run: boolean; always?: boolean }; result: { answered: boolean } };
  /** The composer's text as a queued task (run later by Run Queue). */
  addToQueue: { params: { text: string }; result: { accepted: boolean; message: string } };
  /** Runs the queue: one at a time in the workspace, or in worktrees with patchpilot.queue.parallel. */
  runQueue: { params: Record<string, never>; result: { started: boolean; message: string } };
  cancelQueued: { params: { id: string }; result: { cancelled: boolean; message: string } };
  /** Opens the review of a finished worktree entry's proposal against the person's current files. */
  reviewQueued: { params: { id: string }; result: { opened: boolean; message: string } };
}

/** The queue's requests (answered by src/host/queueTasks.ts; the rest by chatHandlers). */
export type QueueMethod = 'addToQueue' | 'runQueue' | 'cancelQueued' | 'reviewQueued';

export type SidebarMethod = keyof SidebarRequests;
export type SidebarParams<M extends SidebarMethod> = SidebarRequests[M]['params'];
export type SidebarResult<M extends SidebarMethod> = SidebarRequests[M]['result'];

export type SidebarRequestMessage = { [M in SidebarMethod]: { type: 'request'; id: number; method: M; params: SidebarParams<M> } }[SidebarMethod];

export type SidebarToHostMessage =
  | { type: 'ready' }
  | { type: 'log'; level: 'info' | 'error'; text: string }
  | SidebarRequestMessage;

export type SidebarReplyMessage =
  | { [M in SidebarMethod]: { type: 'reply'; id: number; method: M; ok: true; result: SidebarResult<M> } }[SidebarMethod]
  | { type: 'reply'; id: number; method: SidebarMethod; ok: false; error: string };

export type HostToSidebarMessage =
  | { type: 'state'; state: SidebarState }
  /** A change of the live task (the same patches the review panel gets). */
  | { type: 'taskPatch'; patch: PanelPatch }
  /** A change of the rest: history, send mode, active editor. */
  | { type: 'sidebarPatch'; patch: Partial<Omit<SidebarState, 'task'>> }
  /** Puts the keyboard in the composer (Patchpilot: Focus Chat). */
  | { type: 'focusComposer' }
  | SidebarReplyMessage;

export type SidebarRequestHandlers = { [M in SidebarMethod]: (params: SidebarParams<M>) => Promise<SidebarResult<M>> };

const sidebarMethods: readonly SidebarMethod[] = ['send', 'newConversation', 'complete', 'stop', 'openReview', 'openTask', 'answerCommand',
  'addToQueue', 'runQueue', 'cancelQueued', 'reviewQueued'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The view is the less trusted side: the host checks every message's envelope before dispatching it. */
export function parseSidebarMessage(value: unknown): SidebarToHostMessage | null {
  if (!isRecord(value)) return null;
  if (value.type === 'ready') return { type: 'ready' };
  if (value.type === 'log' && typeof value.text === 'string') return { type: 'log', level: value.level === 'error' ? 'error' : 'info', text: value.text };
  if (value.type !== 'request' || typeof value.id !== 'number' || !isRecord(value.params)) return null;
  const method = sidebarMethods.find((m) => m === value.method);
  if (!method) return null;
  return { type: 'request', id: value.id, method, params: value.params } as SidebarRequestMessage;
}
