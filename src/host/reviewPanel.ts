// Host side of the review panel: owns the WebviewPanel, gates every post on the webview's `ready`, keeps the
// authoritative snapshot (re-sent whenever the webview comes back), and answers the webview's typed requests.
import * as vscode from 'vscode';
import {
  parsePanelMessage, type HunkCommand, type HostToPanelMessage, type PanelMethod, type PanelRequestHandlers, type PanelRequestMessage,
} from '../shared/protocol';
import { applyPatch, emptySnapshot, type PanelPatch, type PanelSnapshot } from '../shared/viewModel';
import { PANEL_VIEW_TYPE } from './commandIds';
import { Disposable, toDisposable } from './lifecycle';
import { panelHtml } from './panelHtml';

export class ReviewPanel extends Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private ready = false;
  private current: PanelSnapshot = emptySnapshot();
  private readonly snapshotEmitter = this._register(new vscode.EventEmitter<PanelSnapshot>());
  /** Fires after every change of the snapshot (status bar, tests). */
  readonly onDidChangeSnapshot = this.snapshotEmitter.event;

  private readonly patchEmitter = this._register(new vscode.EventEmitter<{ patch: PanelPatch } | { reset: PanelSnapshot }>());
  /** Every patch and reset as it happens, for the chat view that mirrors the live task. */
  readonly onDidPatch = this.patchEmitter.event;

  /** `viewType`/`title`: the live review panel, or a read-only one for a past task ('patchpilot.history'). */
  constructor(private readonly extensionUri: vscode.Uri, private readonly log: vscode.LogOutputChannel, private readonly handlers: PanelRequestHandlers,
    private readonly page: { viewType: string; title: string } = { viewType: PANEL_VIEW_TYPE, title: 'Patchpilot' }) {
    super();
    this._register(toDisposable(() => this.disposePanel()));
  }

  get snapshot(): PanelSnapshot {
    return this.current;
  }

  get isVisible(): boolean {
    return this.panel?.visible ?? false;
  }

  show(preserveFocus = false): void {
    if (this.panel) {
      this.panel.reveal(undefined, preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(this.page.viewType, this.page.title, { viewColumn: vscode.ViewColumn.Active, preserveFocus }, {
      enableScripts: true, enableFindWidget: true, localResourceRoots: [this.mediaRoot()],
    });
    this.adopt(panel);
  }

  /** Takes over a panel VS Code restored after a reload (WebviewPanelSerializer). */
  adopt(panel: vscode.WebviewPanel): void {
    this.disposePanel();
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.mediaRoot(), 'icon.png');
    panel.webview.options = { enableScripts: true, localResourceRoots: [this.mediaRoot()] };
    panel.webview.html = panelHtml(panel.webview, this.mediaRoot(), vscode.Uri.joinPath);
    this.panelDisposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      // A hidden webview is torn down (its state lives in getState/setState); it sends `ready` again when shown.
      panel.onDidChangeViewState(() => { if (!panel.visible) this.ready = false; }),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.ready = false;
        this.panelDisposables.forEach((d) => d.dispose());
        this.panelDisposables = [];
      }),
    );
  }

  reset(snapshot: PanelSnapshot): void {
    this.current = snapshot;
    this.post({ type: 'snapshot', state: snapshot });
    this.snapshotEmitter.fire(snapshot);
    this.patchEmitter.fire({ reset: snapshot });
  }

  patch(patch: PanelPatch): void {
    this.current = applyPatch(this.current, patch);
    this.post({ type: 'patch', patch });
    this.snapshotEmitter.fire(this.current);
    this.patchEmitter.fire({ patch });
  }

  /** Sets the panel's title (the history panel names the task it shows). */
  setTitle(title: string): void {
    if (this.panel) this.panel.title = title;
  }

  focusFile(path: string): void {
    this.post({ type: 'focusFile', path });
  }

  /** A keybinding's hunk command, for the hunk the panel has in focus. */
  hunkCommand(command: HunkCommand): boolean {
    if (!this.panel || !this.ready) return false;
    this.post({ type: 'hunkCommand', command });
    return true;
  }

  private mediaRoot(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'media');
  }

  private post(message: HostToPanelMessage): void {
    if (!this.panel || !this.ready) return; // the snapshot goes out in full on the next `ready`
    void this.panel.webview.postMessage(message).then(undefined, (error: unknown) => this.log.warn(`panel post failed: ${String(error)}`));
  }

  private receive(raw: unknown): void {
    const message = parsePanelMessage(raw);
    if (!message) {
      this.log.warn(`panel sent a message outside the protocol: ${JSON.stringify(raw).slice(0, 200)}`);
      return;
    }
    if (message.type === 'ready') {
      this.ready = true;
      this.post({ type: 'snapshot', state: this.current });
    } else if (message.type === 'log') {
      if (message.level === 'error') this.log.error(`panel: ${message.text}`);
      else this.log.info(`panel: ${message.text}`);
    } else {
      void this.answer(message);
    }
  }

  private async answer(request: PanelRequestMessage): Promise<void> {
    const method: PanelMethod = request.method;
    try {
      const result = await dispatch(this.handlers, request);
      this.post({ type: 'reply', id: request.id, method, ok: true, result } as HostToPanelMessage);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.log.error(`panel request ${method} failed: ${text}`);
      this.post({ type: 'reply', id: request.id, method, ok: false, error: text });
    }
  }

  private disposePanel(): void {
    const panel = this.panel;
    this.panel = undefined;
    this.panelDisposables.forEach((d) => d.dispose());
    this.panelDisposables = [];
    panel?.dispose();
  }
}

/** One handler per method; TypeScript cannot correlate method and params through a union, hence the narrowing switch. */
function dispatch(handlers: PanelRequestHandlers, request: PanelRequestMessage): Promise<unknown> {
  switch (request.method) {
    case 'submitReview': return handlers.submitReview(request.params);
    case 'openDiff': return handlers.openDiff(request.params);
    case 'openFile': return handlers.openFile(request.params);
    case 'stop': return handlers.stop(request.params);
    case 'answerCommand': return handlers.answerCommand(request.params);
    case 'openAttemptDiff': return handlers.openAttemptDiff(request.params);
  }
}
