// @-mentions in the composer: typing `@` at the start or after whitespace opens a list of completions the host
// computes (`complete`, debounced, stale replies dropped); arrows move, Enter or Tab inserts, Escape closes. The
// textarea keeps the keyboard throughout: the list is tied to it by aria-activedescendant, as in a combobox.
import type { MentionItem } from '../../shared/sidebarProtocol';
import { clear, el } from '../dom';

export const COMPLETE_DEBOUNCE_MS = 80;

const KIND_LABELS: Record<MentionItem['kind'], string> = { file: 'File', selection: 'Selection', problems: 'Problems', terminal: 'Terminal' };

interface Token {
  /** Index of the `@` in the textarea's value. */
  start: number;
  query: string;
}

/** The `@query` that ends at the caret, if the caret is in one. */
export function mentionAt(value: string, caret: number): Token | null {
  const match = /(?:^|\s)@([^\s@]*)$/.exec(value.slice(0, caret));
  return match ? { start: caret - match[1].length - 1, query: match[1] } : null;
}

export class MentionPopup {
  readonly element = el('div', { className: 'mention-popup', id: 'mention-popup', hidden: true });
  private readonly list = el('ul', { className: 'mention-list', id: 'mention-list', role: 'listbox', 'aria-label': 'Mention suggestions' });
  private readonly status = el('div', { className: 'mention-status muted', id: 'mention-status', role: 'status' });
  private items: MentionItem[] = [];
  private active = -1;
  private token: Token | null = null;
  /** Where Escape closed the list: it stays closed until the person starts another mention. */
  private dismissedAt: number | null = null;
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly textarea: HTMLTextAreaElement, private readonly complete: (query: string) => Promise<MentionItem[]>) {
    this.element.append(this.list, this.status);
    textarea.setAttribute('aria-autocomplete', 'list');
    textarea.setAttribute('aria-haspopup', 'listbox');
    textarea.setAttribute('aria-controls', 'mention-list');
    textarea.setAttribute('aria-expanded', 'false');
    textarea.addEventListener('blur', () => this.close());
    // mousedown, not click: preventing it keeps the focus (and the caret) in the textarea.
    this.list.addEventListener('mousedown', (event) => {
      const index = this.optionIndex(event.target);
      if (index === null) return;
      event.preventDefault();
      this.insert(index);
    });
    this.list.addEventListener('mousemove', (event) => {
      const index = this.optionIndex(event.target);
      if (index !== null && index !== this.active) this.setActive(index);
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** After typing or moving the caret: opens, refreshes or closes the list for the mention at the caret. */
  update(): void {
    const { selectionStart, selectionEnd, value } = this.textarea;
    const token = selectionStart === selectionEnd ? mentionAt(value, selectionStart) : null;
    if (!token) {
      this.dismissedAt = null;
      this.close();
      return;
    }
    if (token.start === this.dismissedAt) return;
    if (this.isOpen && this.token?.start === token.start && this.token.query === token.query) return;
    this.token = token;
    this.open();
    this.request(token.query);
  }

  /** Keys while the list is open; returns true when the key was the list's (the composer must not act on it). */
  handleKey(event: KeyboardEvent): boolean {
    if (!this.isOpen || event.isComposing) return false;
    const count = this.items.length;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (count === 0) return false;
        this.setActive((this.active + (event.key === 'ArrowDown' ? 1 : -1) + count) % count);
        break;
      case 'Enter':
      case 'Tab':
        // With nothing to pick, Enter sends and Tab moves on, as they do with the list closed.
        if (count === 0 || this.active < 0 || event.shiftKey) return false;
        this.insert(this.active);
        break;
      case 'Escape':
        this.dismissedAt = this.token?.start ?? null;
        this.close();
        event.stopPropagation();
        break;
      default:
        return false;
    }
    event.preventDefault();
    return true;
  }

  close(): void {
    clearTimeout(this.timer);
    // Any reply still on its way belongs to a list that is gone.
    this.generation++;
    this.token = null;
    this.items = [];
    this.active = -1;
    clear(this.list);
    this.element.hidden = true;
    this.textarea.setAttribute('aria-expanded', 'false');
    this.textarea.removeAttribute('aria-activedescendant');
  }

  private open(): void {
    if (this.isOpen) return;
    this.element.hidden = false;
    this.textarea.setAttribute('aria-expanded', 'true');
    this.status.textContent = 'Searching…';
  }

  private request(query: string): void {
    clearTimeout(this.timer);
    const generation = ++this.generation;
    this.list.setAttribute('aria-busy', 'true');
    this.timer = setTimeout(() => {
      this.complete(query).then(
        (items) => { if (generation === this.generation) this.show(items, query); },
        (error: unknown) => {
          if (generation !== this.generation) return;
          this.show([], query);
          this.status.textContent = `No suggestions: ${error instanceof Error ? error.message : String(error)}`;
        });
    }, COMPLETE_DEBOUNCE_MS);
  }

  private show(items: MentionItem[], query: string): void {
    this.items = items;
    clear(this.list);
    this.list.removeAttribute('aria-busy');
    items.forEach((item, index) => this.list.appendChild(el('li', {
      className: `mention-option kind-${item.kind}`, id: `mention-option-${index}`, role: 'option', 'aria-selected': 'false', 'data-index': index,
      title: item.detail ? `${item.label} — ${item.detail}` : item.label },
    el('span', { className: 'mention-kind' }, KIND_LABELS[item.kind]),
    el('span', { className: 'mention-label' }, item.label),
    item.detail ? el('span', { className: 'mention-detail' }, item.detail) : null)));
    this.status.textContent = items.length ? `${items.length} ${items.length === 1 ? 'suggestion' : 'suggestions'}` : `Nothing matches @${query}`;
    this.active = -1;
    if (items.length) this.setActive(0);
    else this.textarea.removeAttribute('aria-activedescendant');
  }

  private setActive(index: number): void {
    this.list.querySelector(`#mention-option-${this.active}`)?.setAttribute('aria-selected', 'false');
    this.active = index;
    const option = this.list.querySelector(`#mention-option-${index}`);
    option?.setAttribute('aria-selected', 'true');
    option?.scrollIntoView({ block: 'nearest' });
    this.textarea.setAttribute('aria-activedescendant', `mention-option-${index}`);
  }

  private optionIndex(target: EventTarget | null): number | null {
    const option = target instanceof Element ? target.closest('.mention-option') : null;
    const index = Number(option?.getAttribute('data-index'));
    return option && Number.isInteger(index) ? index : null;
  }

  /** Replaces the `@query` before the caret with the item's text and a space, then lets the composer see the input. */
  private insert(index: number): void {
    const item = this.items[index];
    const token = this.token;
    if (!item || !token) return;
    const { value, selectionStart } = this.textarea;
    const after = value.slice(selectionStart);
    const inserted = /^\s/.test(after) ? item.insert : `${item.insert} `;
    this.textarea.value = value.slice(0, token.start) + inserted + after;
    const caret = token.start + inserted.length;
    this.textarea.setSelectionRange(caret, caret);
    this.close();
    // The caret may now sit right after the inserted `@path`: that mention is done, not a new query.
    this.dismissedAt = token.start;
    this.textarea.dispatchEvent(new Event('input', { bubbles: true }));
  }
}
