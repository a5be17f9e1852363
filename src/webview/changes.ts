// The change set under review, per file and per hunk, as a virtualised list: row heights are computed from line
// counts, so only the rows in view exist in the DOM and thousands of hunks stay responsive.
import { countHunks } from '../shared/protocol';
import { hunkKey, type FileChangeView, type HunkDecisionView, type HunkItemView, type HunkVerdict, type ReviewView } from '../shared/viewModel';
import { clear, el } from './dom';

const FILE_ROW = 38;
const HUNK_HEAD = 32;
const LINE = 18;
const REASON = 60;
const GAP = 10;
const OVERSCAN_PX = 600;

export interface ChangesCallbacks {
  decide(key: string, verdict: HunkVerdict | null): void;
  /** `done` when the box loses focus: the reason is complete and worth saving at once. */
  reason(key: string, text: string, done: boolean): void;
  decideRemaining(verdict: HunkVerdict): void;
  submit(): void;
  openDiff(path: string): void;
  openFile(path: string): void;
  focusChanged(key: string | null): void;
  scrolled(top: number): void;
}

type Row =
  | { kind: 'file'; key: string; file: FileChangeView }
  | { kind: 'hunk'; key: string; file: FileChangeView; hunk: HunkItemView };

export class ChangesView {
  readonly element: HTMLElement;
  private readonly toolbar = el('div', { className: 'changes-toolbar' });
  private readonly scroller = el('div', { className: 'changes-scroll', id: 'changes', tabindex: -1 });
  private readonly spacer = el('div', { className: 'changes-spacer' });
  private review: ReviewView | null = null;
  private decisions: Record<string, HunkDecisionView> = {};
  private rows: Row[] = [];
  private offsets: number[] = [];
  private readonly rendered = new Map<string, HTMLElement>();
  private focusedKey: string | null = null;
  private frame = 0;

  constructor(private readonly callbacks: ChangesCallbacks) {
    this.scroller.appendChild(this.spacer);
    this.element = el('section', { className: 'changes', 'aria-label': 'Proposed changes' }, this.toolbar, this.scroller);
    this.scroller.addEventListener('scroll', () => {
      this.scheduleRender();
      this.callbacks.scrolled(this.scroller.scrollTop);
    });
    this.scroller.addEventListener('keydown', (event) => this.onKey(event));
    new ResizeObserver(() => this.scheduleRender()).observe(this.scroller);
  }

  setReview(review: ReviewView | null, decisions: Record<string, HunkDecisionView>, focusedKey: string | null, scrollTop = 0): void {
    this.review = review;
    this.decisions = decisions;
    this.focusedKey = focusedKey;
    this.rows = [];
    for (const file of review?.files ?? []) {
      this.rows.push({ kind: 'file', key: `file:${file.path}`, file });
      for (const hunk of file.hunks) this.rows.push({ kind: 'hunk', key: hunkKey(file.path, hunk.index), file, hunk });
    }
    for (const node of this.rendered.values()) node.remove();
    this.rendered.clear();
    this.layout();
    this.scroller.scrollTop = scrollTop;
    this.renderToolbar();
    this.renderWindow(new Set());
  }

  /** After a decision changed: heights may change (the reason box), so positions are recomputed. */
  refresh(changedKeys: string[]): void {
    this.layout();
    this.renderToolbar();
    this.renderWindow(new Set(changedKeys));
  }

  focusFile(path: string): void {
    const row = this.rows.find((r) => r.kind === 'hunk' && r.file.path === path);
    if (row) this.focusRow(row.key);
  }

  focusFirstHunk(): void {
    const key = this.focusedKey ?? this.rows.find((r) => r.kind === 'hunk')?.key;
    if (key) this.focusRow(key);
  }

  private rowHeight(row: Row): number {
    if (row.kind === 'file') return FILE_ROW;
    const rejected = this.decisions[row.key]?.verdict === 'reject';
    return HUNK_HEAD + row.hunk.lines.length * LINE + (rejected || row.hunk.conflict ? REASON : 0) + GAP;
  }

  private layout(): void {
    let top = 0;
    this.offsets = this.rows.map((row) => {
      const at = top;
      top += this.rowHeight(row);
      return at;
    });
    this.spacer.style.height = `${top}px`;
  }

  private scheduleRender(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderWindow(new Set());
    });
  }

  /** First row whose bottom is below `y` (binary search over the offsets). */
  private rowAt(y: number): number {
    let low = 0;
    let high = this.rows.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.offsets[mid] <= y) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  private renderWindow(force: Set<string>): void {
    if (this.rows.length === 0) {
      for (const node of this.rendered.values()) node.remove();
      this.rendered.clear();
      return;
    }
    const top = Math.max(0, this.scroller.scrollTop - OVERSCAN_PX);
    const bottom = this.scroller.scrollTop + (this.scroller.clientHeight || 800) + OVERSCAN_PX;
    const wanted = new Set<string>();
    for (let index = this.rowAt(top); index < this.rows.length && this.offsets[index] < bottom; index++) {
      const row = this.rows[index];
      wanted.add(row.key);
      let node = this.rendered.get(row.key);
      if (node && force.has(row.key) && !node.contains(document.activeElement)) {
        node.remove();
        node = undefined;
      } else if (node && force.has(row.key)) {
        this.updateDecisionInPlace(node, row);
        node = this.rendered.get(row.key);
      }
      if (!node) {
        node = row.kind === 'file' ? this.renderFile(row.file) : this.renderHunk(row.file, row.hunk, row.key);
        this.rendered.set(row.key, node);
        this.scroller.appendChild(node);
      }
      node.style.top = `${this.offsets[index]}px`;
      node.style.height = `${this.rowHeight(row) - (row.kind === 'hunk' ? GAP : 0)}px`;
    }
    for (const [key, node] of this.rendered) {
      if (wanted.has(key) || node.contains(document.activeElement)) continue;
      node.remove();
      this.rendered.delete(key);
    }
  }

  private renderToolbar(): void {
    clear(this.toolbar);
    const review = this.review;
    if (!review) {
      this.toolbar.appendChild(el('p', { className: 'muted empty' }, 'No change set is waiting for review.'));
      return;
    }
    const total = countHunks(review.files);
    let accepted = 0;
    let rejected = 0;
    for (const row of this.rows) {
      if (row.kind !== 'hunk') continue;
      const verdict = this.decisions[row.key]?.verdict;
      if (verdict === 'accept') accepted += 1;
      else if (verdict === 'reject') rejected += 1;
    }
    const undecided = total - accepted - rejected;
    const conflicts = this.rows.filter((r) => r.kind === 'hunk' && r.hunk.conflict).length;
    const hint = (review.hint ?? (review.mode === 'ask' ? 'Nothing is written until you apply your decisions.' : 'Already on disk: rejected hunks are restored exactly.'))
      + (conflicts ? ` ${conflicts} hunk(s) conflict with your edits and cannot be accepted.` : '');
    this.toolbar.append(
      el('div', { className: 'review-title' }, el('h2', {}, review.title), el('span', { className: 'muted' }, ` ${review.files.length} file(s), ${total} hunk(s). ${hint}`)),
      el('div', { className: 'review-actions' },
        el('span', { className: 'counts', id: 'review-counts', 'aria-live': 'polite' }, `${accepted} accepted · ${rejected} rejected · ${undecided} undecided`),
        el('button', { className: 'secondary', id: 'accept-rest', disabled: undecided === 0, onclick: () => this.callbacks.decideRemaining('accept') }, 'Accept remaining'),
        el('button', { className: 'secondary', id: 'reject-rest', disabled: undecided === 0, onclick: () => this.callbacks.decideRemaining('reject') }, 'Reject remaining'),
        el('button', { id: 'submit-review', disabled: undecided > 0, onclick: () => this.callbacks.submit(), title: 'Keyboard: j/k move, a accept, r reject, d diff' },
          undecided > 0 ? `Decide ${undecided} more` : 'Apply decisions')));
  }

  private renderFile(file: FileChangeView): HTMLElement {
    return el('div', { className: 'row file-row', 'data-path': file.path, role: 'heading', 'aria-level': 3 },
      el('span', { className: `change-kind ${file.change}` }, file.change),
      el('button', { className: 'link file-path', title: 'Open the file', onclick: () => this.callbacks.openFile(file.path) }, file.path),
      el('span', { className: 'added' }, `+${file.added}`), el('span', { className: 'removed' }, `−${file.removed}`),
      el('span', { className: 'spacer' }),
      el('button', { className: 'secondary open-diff', 'data-path': file.path, onclick: () => this.callbacks.openDiff(file.path) }, 'Open in diff editor'));
  }

  private renderHunk(file: FileChangeView, hunk: HunkItemView, key: string): HTMLElement {
    if (hunk.conflict) return this.renderConflict(file, hunk, key);
    const decision = this.decisions[key];
    const verdict = decision?.verdict ?? null;
    const row = el('div', { className: `row hunk-row ${verdict ?? 'undecided'}`, 'data-key': key, 'data-path': file.path, 'data-hunk': hunk.index,
      // Every rendered hunk is in the Tab order; Tab past a row's last control moves on to the next hunk (onKey).
      tabindex: 0, role: 'group', 'aria-label': `${file.path} hunk ${hunk.index + 1}: ${verdict ?? 'undecided'}` });
    row.addEventListener('focus', () => this.setFocused(key));
    const toggle = (target: HunkVerdict) => this.callbacks.decide(key, verdict === target ? null : target);
    row.append(
      el('div', { className: 'hunk-head' },
        el('code', {}, hunk.header),
        el('span', { className: 'spacer' }),
        el('button', { className: 'accept', 'aria-pressed': String(verdict === 'accept'), onclick: () => toggle('accept') }, verdict === 'accept' ? '✓ Accepted' : 'Accept'),
        el('button', { className: 'reject', 'aria-pressed': String(verdict === 'reject'), onclick: () => toggle('reject') }, verdict === 'reject' ? '✗ Rejected' : 'Reject')),
      el('div', { className: 'hunk-lines' }, ...hunk.lines.map((line) => el('div', {
        className: `line ${line.sign === '+' ? 'add' : line.sign === '-' ? 'del' : 'ctx'}` }, `${line.sign === ' ' ? ' ' : line.sign} ${line.text}`))));
    if (verdict === 'reject') row.appendChild(this.reasonBox(key, decision?.reason ?? ''));
    return row;
  }

  /** A hunk that no longer applies to the person's file: shown with the reason, never acceptable (it stays rejected). */
  private renderConflict(file: FileChangeView, hunk: HunkItemView, key: string): HTMLElement {
    const reason = hunk.conflict ?? '';
    const row = el('div', { className: 'row hunk-row conflict reject', 'data-key': key, 'data-path': file.path, 'data-hunk': hunk.index, 'data-conflict': 'true',
      tabindex: 0, role: 'group', 'aria-label': `${file.path} hunk ${hunk.index + 1}: conflict, not applied` });
    row.addEventListener('focus', () => this.setFocused(key));
    row.append(
      el('div', { className: 'hunk-head' },
        el('code', {}, hunk.header),
        el('span', { className: 'conflict-badge' }, 'Conflict'),
        el('span', { className: 'spacer' }),
        el('button', { className: 'accept', disabled: true, title: reason, 'aria-disabled': 'true' }, 'Accept'),
        el('button', { className: 'reject', disabled: true, 'aria-pressed': 'true' }, '✗ Not applied')),
      el('div', { className: 'conflict-reason', role: 'note' }, reason),
      el('div', { className: 'hunk-lines' }, ...hunk.lines.map((line) => el('div', {
        className: `line ${line.sign === '+' ? 'add' : line.sign === '-' ? 'del' : 'ctx'}` }, `${line.sign === ' ' ? ' ' : line.sign} ${line.text}`))));
    return row;
  }

  private reasonBox(key: string, value: string): HTMLElement {
    const box = el('textarea', { className: 'reason', rows: 2, placeholder: 'Why is this hunk wrong? (sent back to the model)', 'aria-label': 'Reason for rejecting' });
    box.value = value;
    box.addEventListener('input', () => this.callbacks.reason(key, box.value, false));
    box.addEventListener('change', () => this.callbacks.reason(key, box.value, true));
    return box;
  }

  /** Keeps keyboard focus (and the reason being typed) when the focused row's decision changes. */
  private updateDecisionInPlace(node: HTMLElement, row: Row): void {
    if (row.kind !== 'hunk') return;
    const replacement = this.renderHunk(row.file, row.hunk, row.key);
    const focusReason = document.activeElement instanceof HTMLTextAreaElement && node.contains(document.activeElement);
    node.replaceWith(replacement);
    this.rendered.set(row.key, replacement);
    const reason = replacement.querySelector('textarea');
    if (focusReason && reason) reason.focus();
    else replacement.focus({ preventScroll: true });
  }

  private setFocused(key: string): void {
    if (this.focusedKey === key) return;
    this.focusedKey = key;
    this.callbacks.focusChanged(key);
  }

  /** A contributed keybinding (Patchpilot: Accept Hunk …) for the focused hunk, or the first undecided one. */
  command(command: 'accept' | 'reject' | 'next' | 'previous'): void {
    if (command === 'next' || command === 'previous') {
      this.moveFocus(command === 'next' ? 1 : -1);
      return;
    }
    const key = this.focusedKey ?? this.rows.find((r) => r.kind === 'hunk' && !this.decisions[r.key]?.verdict)?.key;
    if (!key) return;
    this.focusRow(key);
    this.callbacks.decide(key, command === 'accept' ? 'accept' : 'reject');
    if (command === 'reject') this.rendered.get(key)?.querySelector('textarea')?.focus();
  }

  /** Tab from a hunk's last control goes to the next hunk, which may not be in the DOM yet (the list is virtual). */
  private tabAcross(event: KeyboardEvent): boolean {
    const row = (event.target as HTMLElement).closest<HTMLElement>('.hunk-row');
    const key = row?.getAttribute('data-key');
    if (!row || !key) return false;
    const hunks = this.rows.filter((r) => r.kind === 'hunk');
    const at = hunks.findIndex((r) => r.key === key);
    const focusables = Array.from(row.querySelectorAll<HTMLElement>("button, textarea"));
    const forward = !event.shiftKey && (focusables.length === 0 ? event.target === row : event.target === focusables[focusables.length - 1]);
    const backward = event.shiftKey && event.target === row;
    const next = forward ? hunks[at + 1] : backward ? hunks[at - 1] : undefined;
    if (!next) return false;
    event.preventDefault();
    this.focusRow(next.key);
    return true;
  }

  private focusRow(key: string): void {
    const index = this.rows.findIndex((r) => r.key === key);
    if (index < 0) return;
    const offset = this.offsets[index];
    const viewTop = this.scroller.scrollTop;
    const rowBottom = offset + this.rowHeight(this.rows[index]);
    if (offset < viewTop || rowBottom > viewTop + this.scroller.clientHeight) this.scroller.scrollTop = Math.max(0, offset - FILE_ROW);
    this.renderWindow(new Set());
    this.setFocused(key);
    this.rendered.get(key)?.focus({ preventScroll: true });
  }

  private moveFocus(step: number): void {
    const hunks = this.rows.filter((r) => r.kind === 'hunk');
    if (hunks.length === 0) return;
    const current = hunks.findIndex((r) => r.key === this.focusedKey);
    const next = current < 0 ? 0 : Math.min(hunks.length - 1, Math.max(0, current + step));
    this.focusRow(hunks[next].key);
  }

  private onKey(event: KeyboardEvent): void {
    const target = event.target;
    if (event.key === 'Tab' && this.tabAcross(event)) return;
    if (target instanceof HTMLTextAreaElement) {
      if (event.key === 'Escape' && this.focusedKey) this.focusRow(this.focusedKey);
      return;
    }
    if (target instanceof HTMLButtonElement && (event.key === 'Enter' || event.key === ' ')) return;
    const key = this.focusedKey;
    const actions: Record<string, () => void> = {
      ArrowDown: () => this.moveFocus(1), j: () => this.moveFocus(1), ArrowUp: () => this.moveFocus(-1), k: () => this.moveFocus(-1),
      Home: () => this.moveFocus(-Infinity), End: () => this.moveFocus(Infinity),
      a: () => { if (key) this.callbacks.decide(key, 'accept'); },
      r: () => {
        if (!key) return;
        this.callbacks.decide(key, 'reject');
        this.rendered.get(key)?.querySelector('textarea')?.focus();
      },
      d: () => {
        const row = this.rows.find((r) => r.key === key);
        if (row) this.callbacks.openDiff(row.file.path);
      },
    };
    const action = actions[event.key];
    if (!action || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    action();
  }
}
