// Folds the streamed reply (text deltas, tool-call arguments so far) into the view the panel and the chat show, and
// sends it at most every FRAME_MS: a fast model sends hundreds of tiny deltas a second, the screen needs ~30 a second.
// Pure (no 'vscode' import): tested under plain mocha.
import type { StreamEvent } from '../agent/loop';
import type { StreamingView } from '../shared/viewModel';

export const FRAME_MS = 30;

export class StreamingBuffer {
  private view: StreamingView | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private dirty = false;

  constructor(private readonly send: (view: StreamingView | null) => void, private readonly frameMs = FRAME_MS) {}

  add(event: StreamEvent): void {
    switch (event.type) {
      case 'restart':
        // A retried request streams from the start again: what was shown is dropped.
        this.view = { step: event.step, text: '', calls: [] };
        this.schedule();
        return;
      case 'text':
        this.view ??= { step: event.step, text: '', calls: [] };
        this.view = { ...this.view, text: this.view.text + event.delta };
        this.schedule();
        return;
      case 'calls':
        this.view ??= { step: event.step, text: '', calls: [] };
        this.view = { ...this.view, calls: event.calls.map((call) => ({ name: call.name, argsText: call.argumentsText })) };
        this.schedule();
        return;
      case 'end':
        // Not sent: the finished reply's own patch (model_reply) clears the live view in the same update that adds
        // the reply to the timeline, so the text never blinks out in between.
        this.dispose();
        this.dirty = false;
        this.view = null;
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.dirty = true;
    // The first delta shows at once; later ones join the next frame.
    if (this.timer !== undefined) return;
    this.send(this.view);
    this.dirty = false;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.dirty) this.schedule();
    }, this.frameMs);
  }
}
