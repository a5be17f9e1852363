// The progress notification of a running task: what the current step does, with Cancel to stop the task. It is
// open only while Patchpilot works; while it waits for the person (a review, a command question) it closes, so
// the thing that needs an answer is what draws the eye. `patchpilot.showProgressNotification` switches it off.
import * as vscode from 'vscode';
import { STATUS_LABELS } from '../shared/taskState';
import type { PanelSnapshot } from '../shared/viewModel';
import { Disposable } from './lifecycle';

interface OpenProgress {
  report(message: string): void;
  close(): void;
}

/**
 * How long the notification outlives the work. Closing it in the same moment another notification opens (the
 * command question, the task's summary) lost the new toast in VS Code 1.100: with the old one still there the
 * new one shows. It also spares a flicker when the task pauses only briefly.
 */
const CLOSE_DELAY_MS = 1500;

export class TaskProgressNotification extends Disposable {
  private open: OpenProgress | undefined;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;
  private lastMessage = '';

  constructor(snapshots: vscode.Event<PanelSnapshot>, private readonly stopTask: () => void) {
    super();
    this._register(snapshots((snapshot) => this.update(snapshot)));
    this._register({ dispose: () => { clearTimeout(this.closeTimer); this.open?.close(); } });
  }

  private update(snapshot: PanelSnapshot): void {
    const working = snapshot.status === 'running' && snapshot.question === null;
    if (!working) {
      // Its last words say why it goes ("Waiting for your approval…"); at the end only the state (the task's
      // summary has its own notification, and the same text twice reads as two failures).
      const ended = snapshot.status !== 'review' && snapshot.question === null;
      const last = ended ? STATUS_LABELS[snapshot.status] : snapshot.statusText;
      if (this.open && last !== this.lastMessage) {
        this.lastMessage = last;
        this.open.report(last);
      }
      if (this.open && this.closeTimer === undefined) {
        const closing = this.open;
        this.closeTimer = setTimeout(() => {
          this.closeTimer = undefined;
          if (this.open === closing) this.open = undefined;
          closing.close();
        }, CLOSE_DELAY_MS);
      }
      return;
    }
    clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
    if (!this.open) {
      if (!vscode.workspace.getConfiguration('patchpilot').get<boolean>('showProgressNotification', true)) return;
      this.open = this.show();
      this.lastMessage = '';
    }
    const message = progressMessage(snapshot);
    if (message !== this.lastMessage) {
      this.lastMessage = message;
      this.open.report(message);
    }
  }

  private show(): OpenProgress {
    let close: () => void = () => undefined;
    let report: (message: string) => void = () => undefined;
    const ended = new Promise<void>((resolve) => { close = resolve; });
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Patchpilot', cancellable: true }, (progress, token) => {
      report = (message) => progress.report({ message });
      token.onCancellationRequested(() => this.stopTask());
      return ended;
    });
    // withProgress runs the task at once, so both callbacks are bound before anyone reports or closes.
    return { report: (message) => report(message), close: () => close() };
  }
}

/** "Step 3: running npm test · 12,400 tokens" — the status line plus what the task has spent. */
export function progressMessage(snapshot: PanelSnapshot): string {
  const { meter } = snapshot;
  const spend = meter.costUsd !== null ? `$${meter.costUsd.toFixed(3)}` : `${meter.tokens.toLocaleString('en-US')} tokens`;
  return `${snapshot.statusText} · ${spend}`;
}
