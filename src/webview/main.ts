// Review panel front end: waits for nothing but sends `ready`, renders the host's snapshot and patches, keeps the
// person's per-hunk decisions in getState/setState (a hidden panel comes back as it was), and sends typed requests.
import type { HostToPanelMessage } from '../shared/protocol';
import { applyPatch, emptySnapshot, hunkKey, type HunkDecisionView, type HunkVerdict, type PanelPatch, type PanelSnapshot } from '../shared/viewModel';
import { renderHeader, renderPlan, TimelineView, type HeaderActions } from './activity';
import { renderAttempts } from './attempts';
import { ChangesView } from './changes';
import { clear, el } from './dom';
import { receiveReply, request } from './rpc';
import { restoredState, vscodeApi, type PersistedState } from './vscodeApi';

const restored = restoredState();
// A state saved by an older panel may lack newer fields: fill them from the empty snapshot.
let snapshot: PanelSnapshot = { ...emptySnapshot(), ...restored?.snapshot };
let decisions: Record<string, HunkDecisionView> = restored?.decisions ?? {};
let decisionsFor: string | null = restored?.decisionsFor ?? null;
let focusedHunk: string | null = restored?.focusedHunk ?? null;
let changesScrollTop = restored?.changesScrollTop ?? 0;
let persistTimer: ReturnType<typeof setTimeout> | undefined;

const app = document.getElementById('app') as HTMLElement;
const headerSlot = el('div', { className: 'header-slot' });
const planSlot = el('div', { className: 'plan-slot' });
const attemptsSlot = el('div', { className: 'attempts-slot' });
const timeline = new TimelineView();
const activity = el('div', { className: 'activity', id: 'activity' }, planSlot, attemptsSlot, el('section', { className: 'timeline-section' }, el('h2', {}, 'Timeline'), timeline.element));
const banner = el('div', { className: 'banner', role: 'status', id: 'banner', hidden: true });

function saveState(): void {
  clearTimeout(persistTimer);
  persistTimer = undefined;
  const state: PersistedState = { version: 1, snapshot, decisions, decisionsFor, focusedHunk, changesScrollTop, timelineScrollTop: activity.scrollTop };
  vscodeApi.setState(state);
}

/**
 * Decisions are saved at once (a hidden panel is torn down without warning); scrolling and typing are debounced,
 * because with thousands of hunks the state is large. A pending save is flushed when the page is being hidden.
 */
function persist(immediate = false): void {
  if (immediate) {
    saveState();
    return;
  }
  clearTimeout(persistTimer);
  persistTimer = setTimeout(saveState, 150);
}
document.addEventListener('visibilitychange', () => { if (persistTimer !== undefined) saveState(); });

function showBanner(text: string, level: 'info' | 'error'): void {
  banner.textContent = text;
  banner.className = `banner ${level}`;
  banner.hidden = false;
}

const changes = new ChangesView({
  decide: (key, verdict) => setVerdicts([key], verdict),
  reason: (key, text, done) => {
    decisions[key] = { verdict: decisions[key]?.verdict ?? 'reject', reason: text };
    persist(done);
  },
  decideRemaining: (verdict) => {
    const keys = (snapshot.review?.files ?? []).flatMap((f) => f.hunks.map((h) => hunkKey(f.path, h.index))).filter((k) => !decisions[k]?.verdict);
    setVerdicts(keys, verdict);
  },
  submit: () => void submitReview(),
  openDiff: (path) => void request('openDiff', { reviewId: snapshot.review?.reviewId ?? null, path }).catch(reportError),
  openFile: (path) => void request('openFile', { path }).catch(reportError),
  focusChanged: (key) => { focusedHunk = key; persist(true); },
  scrolled: (top) => { changesScrollTop = top; persist(); },
});

/** Keys of hunks that no longer apply (a background task's review): rejected with their reason, and locked so. */
function conflictKeys(): Map<string, string> {
  const keys = new Map<string, string>();
  for (const file of snapshot.review?.files ?? []) for (const hunk of file.hunks) if (hunk.conflict) keys.set(hunkKey(file.path, hunk.index), hunk.conflict);
  return keys;
}

function setVerdicts(keys: string[], verdict: HunkVerdict | null): void {
  const locked = conflictKeys();
  for (const key of keys.filter((k) => !locked.has(k))) decisions[key] = { verdict, reason: decisions[key]?.reason ?? '' };
  changes.refresh(keys);
  persist(true);
}

function reportError(error: unknown): void {
  showBanner(error instanceof Error ? error.message : String(error), 'error');
}

async function submitReview(): Promise<void> {
  const review = snapshot.review;
  if (!review) return;
  const files = review.files.map((file) => ({
    path: file.path,
    hunks: file.hunks.map((hunk) => {
      const decision = decisions[hunkKey(file.path, hunk.index)];
      const reason = decision?.reason.trim();
      return { index: hunk.index, verdict: decision?.verdict ?? 'accept', ...(decision?.verdict === 'reject' && reason ? { reason } : {}) };
    }),
  }));
  try {
    const outcome = await request('submitReview', { reviewId: review.reviewId, files });
    showBanner(outcome.message, outcome.applied ? 'info' : 'error');
    // An answer to a mid-task review ("Accepted; writing the changes") is news only until the task moves on.
    transientBanner = review.mode === 'ask' && outcome.applied;
  } catch (error) {
    reportError(error);
  }
}

let announcedQuestion: string | null = null;
let transientBanner = false;
const headerActions: HeaderActions = {
  stop: () => void request('stop', {}).catch(reportError),
  answerCommand: (questionId, run, always) => void request('answerCommand', { questionId, run, ...(always ? { always } : {}) }).catch(reportError),
};

function renderHeaderSlot(): void {
  clear(headerSlot);
  headerSlot.appendChild(renderHeader(snapshot, headerActions));
  // A new question takes the keyboard (Tab reaches its buttons) unless the person is typing somewhere.
  const question = snapshot.question;
  if (question && question.questionId !== announcedQuestion) {
    announcedQuestion = question.questionId;
    const typing = document.activeElement instanceof HTMLInputElement || document.activeElement instanceof HTMLTextAreaElement;
    if (!typing) (headerSlot.querySelector('#question') as HTMLElement | null)?.focus();
  }
}

/** Each attempt's change opens read-only beside the panel (the host has its contents, or the past task's journal). */
function openAttemptDiff(attempt: string, path: string): void {
  void request('openAttemptDiff', { taskId: snapshot.taskId, attempt, path }).then((result) => {
    if (!result.opened) showBanner(`The diff of ${attempt} for ${path} is no longer available.`, 'error');
  }, reportError);
}

function renderAttemptsSlot(): void {
  clear(attemptsSlot);
  const section = renderAttempts(snapshot.attempts, openAttemptDiff);
  if (section) attemptsSlot.appendChild(section);
}

function renderAll(): void {
  renderHeaderSlot();
  clear(planSlot);
  planSlot.appendChild(renderPlan(snapshot.plan));
  renderAttemptsSlot();
  timeline.reset(snapshot.timeline);
  syncReview(true);
}

/** Decisions belong to one review: a new review starts with none. */
function syncReview(force: boolean): void {
  const reviewId = snapshot.review?.reviewId ?? null;
  if (reviewId !== decisionsFor) {
    decisions = {};
    decisionsFor = reviewId;
    focusedHunk = null;
    changesScrollTop = 0;
    force = true;
  }
  for (const [key, reason] of conflictKeys()) decisions[key] = { verdict: 'reject', reason: `Conflict: ${reason}` };
  if (force) changes.setReview(snapshot.review, decisions, focusedHunk, changesScrollTop);
  app.classList.toggle('has-review', snapshot.review !== null);
}

function applyHostPatch(patch: PanelPatch): void {
  snapshot = applyPatch(snapshot, patch);
  if (patch.goal !== undefined || patch.title !== undefined || patch.approval !== undefined || patch.status !== undefined || patch.statusText !== undefined || patch.meter !== undefined
    || patch.restricted !== undefined || patch.question !== undefined || patch.costs !== undefined) {
    renderHeaderSlot();
  }
  if (patch.attempts !== undefined) renderAttemptsSlot();
  if (patch.plan) {
    clear(planSlot);
    planSlot.appendChild(renderPlan(snapshot.plan));
  }
  const atBottom = activity.scrollHeight - activity.scrollTop - activity.clientHeight < 40;
  for (const { index, entry } of patch.timelineReplace ?? []) timeline.replace(index, entry);
  if (patch.timelineAppend) timeline.append(patch.timelineAppend);
  if (patch.timelineAppend && transientBanner) {
    banner.hidden = true;
    transientBanner = false;
  }
  if (atBottom && patch.timelineAppend) activity.scrollTop = activity.scrollHeight;
  if (patch.review !== undefined) {
    banner.hidden = patch.review === null ? banner.hidden : true;
    syncReview(true);
  }
}

window.addEventListener('message', (event: MessageEvent<HostToPanelMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'snapshot':
      // A new task (or another past task) starts clean: the last task's banner does not carry over.
      if (message.state.taskId !== snapshot.taskId) banner.hidden = true;
      snapshot = message.state;
      renderAll();
      break;
    case 'patch':
      applyHostPatch(message.patch);
      break;
    case 'focusFile':
      changes.focusFile(message.path);
      break;
    case 'hunkCommand':
      changes.command(message.command);
      break;
    case 'reply':
      receiveReply(message);
      break;
  }
  persist();
});

window.addEventListener('error', (event) => vscodeApi.postMessage({ type: 'log', level: 'error', text: String(event.message) }));

clear(app);
app.append(headerSlot, banner, el('main', { className: 'layout' }, activity, changes.element));
renderAll();
if (restored) activity.scrollTop = restored.timelineScrollTop;
vscodeApi.postMessage({ type: 'ready' });
