// Sidebar conversation view, front end: restores what it showed from getState at once, sends `ready`, then renders
// the host's state and applies its patches (task patches incrementally, streaming deltas as text changes), and
// turns the person's actions into typed requests. Bundled by esbuild into media/dist/sidebar.js.
import type { HostToSidebarMessage, SidebarState } from '../../shared/sidebarProtocol';
import { el } from '../dom';
import { Composer } from './composer';
import { ConversationView } from './conversation';
import { HistoryView } from './history';
import { QueueView } from './queue';
import { createRpc } from './rpc';
import { Persistence, readPersisted, stateForSaving } from './state';
import { acquireSidebarApi } from './vscodeApi';

const api = acquireSidebarApi();
const restored = readPersisted(api.getState());
const persistence = new Persistence((saved) => api.setState({ ...saved, state: saved.state && stateForSaving(saved.state) }), restored);
const rpc = createRpc((message) => api.postMessage(message));
let state: SidebarState = restored.state ?? { task: null, tasks: [], sendMode: 'new', blocked: null, activeEditor: null, queue: [], queueRunning: false };

const banner = el('div', { className: 'banner', id: 'sidebar-banner', role: 'status', hidden: true },
  el('span', { className: 'banner-text' }), el('button', { className: 'link banner-close', type: 'button', 'aria-label': 'Dismiss', onclick: () => { banner.hidden = true; } }, '×'));

function reportError(error: unknown): void {
  const text = error instanceof Error ? error.message : String(error);
  (banner.querySelector('.banner-text') as HTMLElement).textContent = text;
  banner.hidden = false;
  api.postMessage({ type: 'log', level: 'error', text });
}

const conversation = new ConversationView({
  stop: () => void rpc.request('stop', {}).catch(reportError),
  answerCommand: (questionId, run, always) => void rpc.request('answerCommand', { questionId, run, ...(always ? { always } : {}) }).catch(reportError),
  openReview: () => void rpc.request('openReview', {}).catch(reportError),
  scrolled: (scrollTop, atBottom) => persistence.update({ scrollTop, atBottom }),
});

const composer = new Composer({
  send: (params) => rpc.request('send', params),
  newConversation: () => void rpc.request('newConversation', {}).then((result) => {
    if (!result.ok) reportError('Patchpilot could not start a new conversation now; try again when the task has stopped.');
  }, reportError),
  complete: (query) => rpc.request('complete', { query }).then((result) => result.items),
  draftChanged: (draft) => persistence.update({ draft }),
  attachChanged: (attachActiveEditor) => persistence.update({ attachActiveEditor }, true),
  addToQueue: (text) => rpc.request('addToQueue', { text }),
});

const queue = new QueueView({
  run: () => void rpc.request('runQueue', {}).then((result) => { if (!result.started) reportError(result.message); }, reportError),
  cancel: (id) => void rpc.request('cancelQueued', { id }).then((result) => { if (!result.cancelled) reportError(result.message); }, reportError),
  review: (id) => void rpc.request('reviewQueued', { id }).then((result) => { if (!result.opened) reportError(result.message); }, reportError),
});

const history = new HistoryView({
  openTask: (taskId) => void rpc.request('openTask', { taskId }).catch(reportError),
  toggled: (historyOpen) => persistence.update({ historyOpen }, true),
});

function showState(next: SidebarState): void {
  state = next;
  conversation.show(next.task);
  composer.render(next);
  history.setTasks(next.tasks);
  queue.setQueue(next.queue, next.queueRunning);
}

type Handlers = { [K in HostToSidebarMessage['type']]: (message: Extract<HostToSidebarMessage, { type: K }>) => void };

const handlers: Handlers = {
  state: (message) => {
    showState(message.state);
    persistence.update({ state });
  },
  taskPatch: (message) => {
    const hadTask = state.task !== null;
    state = { ...state, task: conversation.patch(message.patch) };
    if (!hadTask) composer.render(state);
    persistence.update({ state });
  },
  sidebarPatch: (message) => {
    state = { ...state, ...message.patch };
    composer.render(state);
    if (message.patch.tasks) history.setTasks(state.tasks);
    if (message.patch.queue || message.patch.queueRunning !== undefined) queue.setQueue(state.queue, state.queueRunning);
    persistence.update({ state });
  },
  focusComposer: () => composer.focus(),
  reply: (message) => rpc.receive(message),
};

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null) return;
  const type: unknown = Reflect.get(message, 'type');
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(handlers, type)) return;
  // The key check above ties the message to its handler; TypeScript cannot narrow the mapped table by a runtime key.
  (handlers[type as HostToSidebarMessage['type']] as (message: HostToSidebarMessage) => void)(message as HostToSidebarMessage);
});

window.addEventListener('error', (event) => api.postMessage({ type: 'log', level: 'error', text: String(event.message) }));

const app = document.getElementById('app') as HTMLElement;
app.replaceChildren(history.element, queue.element, conversation.element, banner, composer.element);
showState(state);
composer.restore(restored.draft, restored.attachActiveEditor);
history.setOpen(restored.historyOpen);
conversation.restoreScroll(restored.scrollTop, restored.atBottom);
api.postMessage({ type: 'ready' });
