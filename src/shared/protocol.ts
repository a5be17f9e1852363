// The review panel's message protocol, both ways, in one table: host and webview compile against the same types.
import type { FileChangeView, HunkVerdict, PanelPatch, PanelSnapshot } from './viewModel';

export type HunkCommand = 'accept' | 'reject' | 'next' | 'previous';

export interface ReviewDecisionInput {
  path: string;
  hunks: { index: number; verdict: HunkVerdict; reason?: string }[];
}

/** Requests the webview sends; each gets exactly one reply carrying the result (or an error text). */
export interface PanelRequests {
  submitReview: { params: { reviewId: string; files: ReviewDecisionInput[]; feedback?: string }; result: { applied: boolean; message: string } };
  openDiff: { params: { reviewId: string | null; path: string }; result: { opened: boolean } };
  openFile: { params: { path: string }; result: { opened: boolean } };
  stop: { params: Record<string, never>; result: { stopped: boolean } };
  /** One parallel attempt's change to a file, opened read-only (the attempts section of the panel). */
  openAttemptDiff: { params: { taskId: string | null; attempt: string; path: string }; result: { opened: boolean } };
  /** The person's answer to a pending command question: run it or not. */
  answerCommand: { params: { questionId: string; run: boolean; always?: boolean }; result: { answered: boolean } };
}

export type PanelMethod = keyof PanelRequests;
export type PanelParams<M extends PanelMethod> = PanelRequests[M]['params'];
export type PanelResult<M extends PanelMethod> = PanelRequests[M]['result'];

export type PanelRequestMessage = { [M in PanelMethod]: { type: 'request'; id: number; method: M; params: PanelParams<M> } }[PanelMethod];

/** Webview → host. `ready` opens the gate: the host posts nothing before it. */
export type PanelToHostMessage =
  | { type: 'ready' }
  | { type: 'log'; level: 'info' | 'error'; text: string }
  | PanelRequestMessage;

export type ReplyMessage =
  | { [M in PanelMethod]: { type: 'reply'; id: number; method: M; ok: true; result: PanelResult<M> } }[PanelMethod]
  | { type: 'reply'; id: number; method: PanelMethod; ok: false; error: string };

/** Host → webview. */
export type HostToPanelMessage =
  | { type: 'snapshot'; state: PanelSnapshot }
  | { type: 'patch'; patch: PanelPatch }
  /** Moves keyboard focus to a file's first hunk (e.g. after "Review Changes" for one file). */
  | { type: 'focusFile'; path: string }
  /** A contributed keybinding for the focused hunk (accept, reject, next, previous). */
  | { type: 'hunkCommand'; command: HunkCommand }
  | ReplyMessage;

export type PanelRequestHandlers = { [M in PanelMethod]: (params: PanelParams<M>) => Promise<PanelResult<M>> };

const panelMethods: readonly PanelMethod[] = ['submitReview', 'openDiff', 'openFile', 'stop', 'answerCommand', 'openAttemptDiff'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The webview is a less trusted side: the host checks the envelope of every message before dispatching it. */
export function parsePanelMessage(value: unknown): PanelToHostMessage | null {
  if (!isRecord(value)) return null;
  if (value.type === 'ready') return { type: 'ready' };
  if (value.type === 'log' && typeof value.text === 'string') return { type: 'log', level: value.level === 'error' ? 'error' : 'info', text: value.text };
  if (value.type !== 'request' || typeof value.id !== 'number' || !isRecord(value.params)) return null;
  const method = panelMethods.find((m) => m === value.method);
  if (!method) return null;
  return { type: 'request', id: value.id, method, params: value.params } as PanelRequestMessage;
}

export function isReviewDecisionList(value: unknown): value is ReviewDecisionInput[] {
  return Array.isArray(value) && value.every((file) => isRecord(file) && typeof file.path === 'string' && Array.isArray(file.hunks)
    && file.hunks.every((h: unknown) => isRecord(h) && typeof h.index === 'number' && (h.verdict === 'accept' || h.verdict === 'reject')
      && (h.reason === undefined || typeof h.reason === 'string')));
}

export function countHunks(files: FileChangeView[]): number {
  return files.reduce((sum, file) => sum + file.hunks.length, 0);
}
