// The model's reply while it arrives: one element after the timeline whose text nodes are updated in place on
// every patch (they come every ~30 ms), so a delta costs a text change and never a rebuilt subtree.
import type { StreamingView } from '../../shared/viewModel';
import { el } from '../dom';

interface CallRow {
  element: HTMLElement;
  name: Text;
  args: Text;
}

/** Sets a text node's data, appending only the new tail when the text grew (the common case while streaming). */
function setText(node: Text, text: string): void {
  const current = node.data;
  if (current === text) return;
  if (text.length > current.length && text.startsWith(current)) node.appendData(text.slice(current.length));
  else node.data = text;
}

export class StreamingReply {
  // Not a live region: a screen reader would read every delta; the finished reply lands in the (live) timeline.
  readonly element = el('div', { className: 'entry model streaming', id: 'streaming', 'aria-live': 'off', 'aria-busy': 'true', hidden: true });
  private readonly head = document.createTextNode('');
  private readonly text = document.createTextNode('');
  private readonly prose = el('p', { className: 'prose', id: 'streaming-text' });
  private readonly calls = el('div', { className: 'stream-calls' });
  private readonly rows: CallRow[] = [];
  private step = -1;

  constructor() {
    this.prose.appendChild(this.text);
    this.element.append(el('div', { className: 'entry-head muted' }, this.head, el('span', { className: 'stream-cursor', 'aria-hidden': 'true' })), this.prose, this.calls);
  }

  get visible(): boolean {
    return !this.element.hidden;
  }

  update(view: StreamingView | null): void {
    if (!view) {
      this.hide();
      return;
    }
    this.element.hidden = false;
    if (view.step !== this.step) {
      this.step = view.step;
      this.head.data = `Model · step ${view.step} · replying…`;
    }
    setText(this.text, view.text);
    this.prose.hidden = view.text.length === 0;
    view.calls.forEach((call, index) => {
      const row = this.rows[index] ?? this.addRow();
      setText(row.name, call.name);
      setText(row.args, call.argsText);
    });
    while (this.rows.length > view.calls.length) this.rows.pop()?.element.remove();
  }

  private addRow(): CallRow {
    const row: CallRow = { element: el('div', { className: 'stream-call' }), name: document.createTextNode(''), args: document.createTextNode('') };
    const args = el('pre', { className: 'output' });
    args.appendChild(row.args);
    const name = el('code', { className: 'tool-name' });
    name.appendChild(row.name);
    row.element.append(el('div', { className: 'stream-call-head' }, el('span', { className: 'icon', 'aria-hidden': 'true' }, '…'), name), args);
    this.calls.appendChild(row.element);
    this.rows.push(row);
    return row;
  }

  private hide(): void {
    if (this.element.hidden) return;
    this.element.hidden = true;
    this.step = -1;
    this.text.data = '';
    while (this.rows.length) this.rows.pop()?.element.remove();
  }
}
