// The composer: a growing textarea (Enter sends, Shift+Enter breaks the line), the Send button whose label says
// what sending does now (start, steer, continue), Fix failing tests, New conversation, the "Attach <file>" chip,
// @-mentions, and the reason when nothing can be sent. A rejected message stays in the box with the host's reason.
import type { MentionItem, SidebarRequests, SidebarState } from '../../shared/sidebarProtocol';
import { el } from '../dom';
import { MentionPopup } from './mentions';

export const SEND_LABELS: Record<SidebarState['sendMode'], string> = {
  new: 'Start task',
  steer: 'Send to the running task',
  continue: 'Continue this task',
};

const PLACEHOLDERS: Record<SidebarState['sendMode'], string> = {
  new: 'Describe a task… (@ to mention, Enter to send, Shift+Enter for a new line)',
  steer: 'Tell the running task something… (it reads it at its next step)',
  continue: 'Ask for a follow-up in this task…',
};

type SendParams = SidebarRequests['send']['params'];
type SendResult = SidebarRequests['send']['result'];

export interface ComposerActions {
  send(params: SendParams): Promise<SendResult>;
  newConversation(): void;
  complete(query: string): Promise<MentionItem[]>;
  draftChanged(draft: string): void;
  attachChanged(attach: boolean): void;
  /** The text as a queued task, run later by Run Queue. */
  addToQueue(text: string): Promise<SendResult>;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

export class Composer {
  readonly element: HTMLElement;
  readonly input = el('textarea', { id: 'composer-input', className: 'composer-input', rows: 1, 'aria-label': 'Message to Patchpilot',
    'aria-describedby': 'composer-blocked composer-error', spellcheck: true });
  private readonly mentions = new MentionPopup(this.input, (query) => this.actions.complete(query));
  private readonly attachName = document.createTextNode('');
  private readonly attach = el('button', { id: 'attach-editor', className: 'chip', type: 'button', 'aria-pressed': 'false', hidden: true,
    onclick: () => this.setAttach(!this.attachOn, true) }, el('span', { className: 'chip-mark', 'aria-hidden': 'true' }), 'Attach ');
  private readonly blocked = el('p', { className: 'composer-blocked', id: 'composer-blocked', hidden: true });
  private readonly error = el('p', { className: 'composer-error', id: 'composer-error', role: 'alert', hidden: true });
  private readonly newConversation = el('button', { id: 'new-conversation', className: 'secondary', type: 'button', hidden: true,
    onclick: () => this.actions.newConversation() }, 'New conversation');
  private readonly fixTests = el('button', { id: 'fix-tests', className: 'secondary', type: 'button', onclick: () => void this.submit(true),
    title: 'Run the tests and fix what fails; the text, if any, is passed along' }, 'Fix failing tests');
  private readonly sendButton = el('button', { id: 'send', type: 'button', onclick: () => void this.submit(false) }, SEND_LABELS.new);
  /** A task of its own in a separate worktree, beside whatever runs here: the person keeps editing meanwhile. */
  private readonly backgroundButton = el('button', { id: 'send-background', className: 'secondary', type: 'button', onclick: () => void this.submit(false, true),
    title: 'Run this as a background task in its own git worktree; you review its changes against your files when it is done' }, 'Run in background');
  private readonly queueButton = el('button', { id: 'add-to-queue', className: 'secondary', type: 'button', onclick: () => void this.queue(),
    title: 'Add this task to the workspace\'s queue (.patchpilot/queue); Run Queue runs the queued tasks' }, 'Add to Queue');
  private state: SidebarState | null = null;
  private attachOn = false;
  private sending = false;

  constructor(private readonly actions: ComposerActions) {
    const name = el('span', { className: 'chip-name' });
    name.appendChild(this.attachName);
    this.attach.appendChild(name);
    this.element = el('section', { className: 'composer', id: 'composer', 'aria-label': 'Message' },
      el('div', { className: 'composer-context' }, this.attach),
      el('div', { className: 'composer-box' }, this.mentions.element, this.input),
      this.blocked, this.error,
      el('div', { className: 'composer-actions' }, this.newConversation, this.fixTests, el('span', { className: 'spacer' }), this.queueButton, this.backgroundButton, this.sendButton));
    this.input.addEventListener('keydown', (event) => this.onKey(event));
    this.input.addEventListener('input', () => {
      this.autosize();
      this.mentions.update();
      this.refreshButtons();
      this.actions.draftChanged(this.input.value);
    });
    this.input.addEventListener('click', () => this.mentions.update());
    this.input.addEventListener('keyup', (event) => {
      if (['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) this.mentions.update();
    });
  }

  /** Puts back what an earlier page saved; call after the composer is in the document (its height depends on it). */
  restore(draft: string, attach: boolean): void {
    this.input.value = draft;
    this.setAttach(attach, false);
    this.autosize();
    this.refreshButtons();
  }

  render(state: SidebarState): void {
    this.state = state;
    this.sendButton.textContent = SEND_LABELS[state.sendMode];
    this.input.placeholder = state.blocked ?? PLACEHOLDERS[state.sendMode];
    this.input.disabled = state.blocked !== null;
    this.blocked.hidden = state.blocked === null;
    this.blocked.textContent = state.blocked ?? '';
    this.fixTests.hidden = state.sendMode !== 'new';
    this.newConversation.hidden = state.task === null;
    this.attach.hidden = state.activeEditor === null;
    if (state.activeEditor !== null) {
      this.attachName.data = basename(state.activeEditor);
      this.attach.title = `${this.attachOn ? 'Sending' : 'Send'} ${state.activeEditor} with the message`;
      this.attach.setAttribute('aria-label', `Attach ${state.activeEditor}`);
    }
    this.refreshButtons();
  }

  focus(): void {
    this.input.focus();
  }

  private setAttach(on: boolean, byPerson: boolean): void {
    this.attachOn = on;
    this.attach.setAttribute('aria-pressed', String(on));
    if (this.state?.activeEditor) this.attach.title = `${on ? 'Sending' : 'Send'} ${this.state.activeEditor} with the message`;
    if (byPerson) this.actions.attachChanged(on);
  }

  private refreshButtons(): void {
    const blocked = this.state?.blocked != null;
    this.sendButton.disabled = blocked || this.sending || this.input.value.trim() === '';
    this.fixTests.disabled = blocked || this.sending;
    this.backgroundButton.disabled = this.sendButton.disabled;
    this.queueButton.disabled = this.sendButton.disabled;
    this.newConversation.disabled = blocked || this.sending;
    // While the host decides, the text is what was sent: clearing it after acceptance must not lose new typing.
    this.input.readOnly = this.sending;
  }

  private onKey(event: KeyboardEvent): void {
    if (this.mentions.handleKey(event)) return;
    // Enter while an input method composes a character belongs to the IME.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.altKey) return;
    event.preventDefault();
    void this.submit(false);
  }

  /** Grows with the text up to the CSS max-height, then scrolls; heights go through the CSSOM (no inline styles). */
  private autosize(): void {
    this.input.style.height = 'auto';
    const borders = this.input.offsetHeight - this.input.clientHeight;
    this.input.style.height = `${this.input.scrollHeight + borders}px`;
  }

  private async submit(fixTests: boolean, background = false): Promise<void> {
    const text = this.input.value.trim();
    if (this.sending || this.state?.blocked != null || (!fixTests && text === '')) return;
    await this.whileSending(() => this.actions.send({ text, attachActiveEditor: this.attachOn && this.state?.activeEditor != null, fixTests, ...(background ? { background } : {}) }));
  }

  private async queue(): Promise<void> {
    const text = this.input.value.trim();
    if (this.sending || this.state?.blocked != null || text === '') return;
    await this.whileSending(() => this.actions.addToQueue(text));
  }

  /** One submission at a time; the text is cleared only once the host took it, and its refusal is shown. */
  private async whileSending(action: () => Promise<{ accepted: boolean; message?: string }>): Promise<void> {
    this.sending = true;
    this.refreshButtons();
    try {
      const result = await action();
      this.showError(result.accepted ? null : result.message ?? null);
      if (result.accepted) {
        this.input.value = '';
        this.autosize();
        this.actions.draftChanged('');
      }
    } catch (error) {
      this.showError(error instanceof Error ? error.message : String(error));
    } finally {
      this.sending = false;
      this.refreshButtons();
    }
  }

  private showError(message: string | null): void {
    this.error.hidden = message === null;
    this.error.textContent = message ?? '';
  }
}
