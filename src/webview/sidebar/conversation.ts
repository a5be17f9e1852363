// The live task as a conversation: its title, status and compact meter (the review panel's header), the pending
// command question, a "Review changes" button, the plan, the timeline and the reply streaming in. Full renders
// happen only for a new state or another task; a patch touches just what it names.
import { applyPatch, emptySnapshot, type PanelPatch, type PanelSnapshot, type TimelineEntry } from '../../shared/viewModel';
import { renderHeader, renderPlan, TimelineView, type HeaderActions } from '../activity';
import { clear, el } from '../dom';
import { StreamingReply } from './streaming';

export interface ConversationActions extends HeaderActions {
  openReview(): void;
  scrolled(top: number, atBottom: boolean): void;
}

/** Within this many pixels of the end counts as "at the end": the view then follows new content. */
const BOTTOM_SLACK_PX = 24;

/** Patch fields the header does not show; any other field (title, status, meter, question, review…) re-renders it. */
const NOT_IN_HEADER: ReadonlySet<string> = new Set<keyof PanelPatch>(['timelineAppend', 'timelineReplace', 'streaming', 'plan']);

export class ConversationView {
  readonly element = el('main', { className: 'conversation', id: 'conversation', 'aria-label': 'Conversation' });
  private readonly welcome = el('div', { className: 'welcome', id: 'welcome' },
    el('p', {}, 'Describe a change and Patchpilot plans it, edits the code, runs your tests and asks you to review the result.'),
    el('p', { className: 'muted' }, 'Type @ to mention a file, the selection, the problems or the terminal.'));
  private readonly headerSlot = el('div', { className: 'header-slot' });
  private readonly reviewSlot = el('div', { className: 'review-slot' });
  private readonly planSlot = el('div', { className: 'plan-slot' });
  private readonly timeline = new TimelineView();
  private readonly streaming = new StreamingReply();
  private snapshot: PanelSnapshot | null = null;
  private announcedQuestion: string | null = null;
  private atBottom = true;
  private followFrame = 0;
  /** Where the last follow scrolled to, to tell its scroll event from the person's. */
  private followedTo = -1;

  constructor(private readonly actions: ConversationActions) {
    this.element.append(this.welcome, this.headerSlot, this.reviewSlot, this.planSlot, this.timeline.element, this.streaming.element);
    this.element.addEventListener('scroll', () => {
      const { scrollTop, scrollHeight, clientHeight } = this.element;
      const gap = scrollHeight - scrollTop - clientHeight;
      // The event of our own follow arrives a frame late, when entries may have grown below: still following.
      // (Only a real gap asks for another frame; a frame requested on every delta keeps the page rendering.)
      if (scrollTop === this.followedTo) {
        if (gap >= 1) this.follow();
      } else this.atBottom = gap < BOTTOM_SLACK_PX;
      this.actions.scrolled(scrollTop, this.atBottom);
    });
    // The composer growing, the sidebar being resized, or entries scrolled into view taking their real height
    // (off-screen ones are sized by estimate, see sidebar.css) must not leave the end out of view.
    const resized = new ResizeObserver(() => this.follow());
    resized.observe(this.element);
    resized.observe(this.timeline.element);
  }

  get current(): PanelSnapshot | null {
    return this.snapshot;
  }

  /** Renders a whole snapshot: the first state, a state after the view was shown again, or another task. */
  show(snapshot: PanelSnapshot | null): void {
    const previous = this.snapshot;
    const sameTask = previous !== null && snapshot !== null && previous.taskId === snapshot.taskId;
    this.snapshot = snapshot;
    this.welcome.hidden = snapshot !== null;
    this.renderHeader();
    this.renderReview();
    this.renderPlan();
    if (sameTask) this.syncTimeline(previous.timeline, snapshot.timeline);
    else {
      // Another task opens at its end, like any conversation.
      this.atBottom = true;
      this.timeline.reset(snapshot?.timeline ?? []);
    }
    this.streaming.update(snapshot?.streaming ?? null);
    this.follow();
  }

  /** Applies a task patch incrementally and returns the patched snapshot (the caller persists it). */
  patch(patch: PanelPatch): PanelSnapshot {
    const previous = this.snapshot;
    const next = applyPatch(previous ?? emptySnapshot(), patch);
    if (previous === null || (patch.taskId !== undefined && patch.taskId !== previous.taskId)) {
      this.show(next);
      return next;
    }
    this.snapshot = next;
    if (Object.keys(patch).some((field) => !NOT_IN_HEADER.has(field))) this.renderHeader();
    if (patch.review !== undefined) this.renderReview();
    if (patch.plan) this.renderPlan();
    for (const { index, entry } of patch.timelineReplace ?? []) this.timeline.replace(index, entry);
    if (patch.timelineAppend?.length) this.timeline.append(patch.timelineAppend);
    if (patch.streaming !== undefined) this.streaming.update(next.streaming);
    this.follow();
    return next;
  }

  /**
   * The same task again (the host's state after `ready`, when the view showed what getState kept): only the
   * entries that differ change, so the restored scroll position and the nodes around it stay put.
   */
  private syncTimeline(previous: TimelineEntry[], next: TimelineEntry[]): void {
    if (next.length < previous.length) {
      this.timeline.reset(next);
      return;
    }
    previous.forEach((entry, index) => {
      if (entry !== next[index] && JSON.stringify(entry) !== JSON.stringify(next[index])) this.timeline.replace(index, next[index]);
    });
    if (next.length > previous.length) this.timeline.append(next.slice(previous.length));
  }

  restoreScroll(top: number, atBottom: boolean): void {
    this.atBottom = atBottom;
    if (atBottom) this.follow();
    else this.element.scrollTop = top;
  }

  /** While the person is at the end, new content keeps the end in view (once per frame, however many patches). */
  private follow(): void {
    if (!this.atBottom || this.followFrame) return;
    this.followFrame = requestAnimationFrame(() => {
      this.followFrame = 0;
      if (!this.atBottom) return;
      this.element.scrollTop = this.element.scrollHeight;
      this.followedTo = this.element.scrollTop;
    });
  }

  private renderHeader(): void {
    const snapshot = this.snapshot;
    // Re-rendering must not take the keyboard away from a header button the person is on (meter patches are frequent).
    const focusedId = this.headerSlot.contains(document.activeElement) ? document.activeElement?.id : undefined;
    clear(this.headerSlot);
    if (!snapshot) return;
    const header = renderHeader(snapshot, this.actions);
    // The task in the person's words; the goal (the prompt with the mentions expanded) stays in the tooltip.
    const title = header.querySelector('#goal');
    if (title && snapshot.title) title.textContent = snapshot.title;
    if (snapshot.readOnly) header.querySelectorAll('button').forEach((button) => { button.disabled = true; });
    this.headerSlot.appendChild(header);
    if (focusedId) document.getElementById(focusedId)?.focus();
    this.focusNewQuestion(snapshot);
  }

  /** A new question takes the keyboard (Tab reaches its buttons) unless the person is typing in the composer. */
  private focusNewQuestion(snapshot: PanelSnapshot): void {
    const question = snapshot.question;
    if (!question || question.questionId === this.announcedQuestion) return;
    this.announcedQuestion = question.questionId;
    const typing = document.activeElement instanceof HTMLTextAreaElement || document.activeElement instanceof HTMLInputElement;
    if (!typing) document.getElementById('question')?.focus();
  }

  private renderReview(): void {
    clear(this.reviewSlot);
    const review = this.snapshot?.review;
    if (!review) return;
    const files = review.files.length;
    const waiting = review.mode === 'ask' ? 'The task waits for your decisions.' : 'Already on disk; rejected hunks are restored.';
    this.reviewSlot.append(
      el('button', { id: 'open-review', className: 'review-button', disabled: this.snapshot?.readOnly === true, onclick: () => this.actions.openReview() },
        `Review changes (${files} ${files === 1 ? 'file' : 'files'})`),
      el('p', { className: 'muted review-hint' }, waiting));
  }

  private renderPlan(): void {
    clear(this.planSlot);
    const plan = this.snapshot?.plan ?? [];
    // An empty plan says nothing worth a sidebar's height.
    if (plan.length) this.planSlot.appendChild(renderPlan(plan));
  }
}
