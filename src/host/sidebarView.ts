// Host side of the chat view in the Patchpilot activity-bar container: serves the view, mirrors the live task into it
// (the same patches the review panel gets), keeps its history list and send mode current, and answers its requests —
// a message starts a task, steers the running one, or continues the last one; @-mentions are expanded here.
import * as vscode from 'vscode';
import { parseSidebarMessage, type HostToSidebarMessage, type SidebarRequestHandlers, type SidebarRequestMessage, type SidebarState } from '../shared/sidebarProtocol';
import { CHAT_VIEW_TYPE } from './commandIds';
import { Disposable } from './lifecycle';
import { panelHtml, SIDEBAR_PAGE } from './panelHtml';
import type { BackgroundTasks } from './backgroundTasks';
import type { QueueTasks } from './queueTasks';
import type { ReviewPanel } from './reviewPanel';
import type { TaskController } from './taskController';

export interface SidebarDeps {
  panel: ReviewPanel;
  controller: TaskController;
  background: BackgroundTasks;
  queue: QueueTasks;
  log: vscode.LogOutputChannel;
  handlers: SidebarRequestHandlers;
}

/** Registered by extension.ts at activation (a view open at startup must find its provider); it delegates here. */
export class SidebarView extends Disposable implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private focusWhenReady = false;

  constructor(private readonly extensionUri: vscode.Uri, private readonly deps: SidebarDeps) {
    super();
    this._register(deps.panel.onDidPatch((change) => {
      if ('patch' in change) this.post({ type: 'taskPatch', patch: change.patch });
      else void this.sendState();
    }));
    this._register(deps.controller.onDidChangeLive(() => void this.sendState()));
    this._register(deps.background.onDidChange(() => void this.sendTasks()));
    this._register(deps.queue.onDidChange(() => this.post({ type: 'sidebarPatch', patch: this.queueState() })));
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.post({ type: 'sidebarPatch', patch: { activeEditor: activeEditorPath() } })));
  }

  get isVisible(): boolean {
    return this.view?.visible ?? false;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [media] };
    view.webview.html = panelHtml(view.webview, media, vscode.Uri.joinPath, SIDEBAR_PAGE);
    const subscriptions = [
      view.webview.onDidReceiveMessage((message: unknown) => void this.receive(message)),
      // A hidden view is torn down (its state lives in getState/setState); it sends `ready` again when shown.
      view.onDidChangeVisibility(() => { if (!view.visible) this.ready = false; }),
    ];
    view.onDidDispose(() => {
      subscriptions.forEach((s) => s.dispose());
      if (this.view === view) this.view = undefined;
      this.ready = false;
    });
  }

  /** Patchpilot: Focus Chat — opens the view and puts the keyboard in the composer. */
  async focus(): Promise<void> {
    this.focusWhenReady = true;
    await vscode.commands.executeCommand(`${CHAT_VIEW_TYPE}.focus`);
    if (this.ready) this.post({ type: 'focusComposer' });
  }

  private async state(): Promise<SidebarState> {
    const { controller, panel } = this.deps;
    const snapshot = panel.snapshot;
    return {
      task: snapshot.taskId === null && snapshot.timeline.length === 0 ? null : snapshot,
      tasks: await this.taskList(),
      sendMode: controller.sendMode,
      blocked: vscode.workspace.workspaceFolders?.length ? null : 'Open a folder first: Patchpilot works on the files of a workspace folder.',
      activeEditor: activeEditorPath(),
      ...this.queueState(),
    };
  }

  private queueState(): Pick<SidebarState, 'queue' | 'queueRunning'> {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    return { queue: root?.scheme === 'file' ? this.deps.queue.list(root.fsPath) : [], queueRunning: this.deps.queue.isRunning };
  }

  /**
   * Every task of the workspace, the background ones of this window first with their state now (running, waiting
   * for review, done), then the history; the live task's state comes from its panel (the journal lags behind it).
   */
  private async taskList(): Promise<SidebarState['tasks']> {
    const { controller, panel, background } = this.deps;
    const history = await controller.history().catch(() => []);
    const live = controller.liveTaskId;
    const running = background.list();
    const ids = new Set(running.map((task) => task.taskId));
    return [
      ...running.map((task) => ({ ...task, live: false, background: true })),
      ...history.filter((task) => !ids.has(task.taskId)).slice(0, 50).map((task) => ({
        taskId: task.taskId, title: task.title, startedAt: task.startedAt, live: task.taskId === live,
        status: task.taskId === live && panel.snapshot.taskId === live ? panel.snapshot.status : task.status,
      })),
    ];
  }

  private async sendTasks(): Promise<void> {
    if (!this.view || !this.ready) return;
    this.post({ type: 'sidebarPatch', patch: { tasks: await this.taskList() } });
  }

  private async sendState(): Promise<void> {
    if (!this.view || !this.ready) return;
    this.post({ type: 'state', state: await this.state() });
  }

  private post(message: HostToSidebarMessage): void {
    if (!this.view || !this.ready) return; // everything goes out in full on the next `ready`
    void this.view.webview.postMessage(message).then(undefined, (error: unknown) => this.deps.log.warn(`chat post failed: ${String(error)}`));
  }

  private async receive(raw: unknown): Promise<void> {
    const message = parseSidebarMessage(raw);
    if (!message) {
      this.deps.log.warn(`chat view sent a message outside the protocol: ${JSON.stringify(raw).slice(0, 200)}`);
      return;
    }
    if (message.type === 'ready') {
      this.ready = true;
      await this.sendState();
      if (this.focusWhenReady) {
        this.focusWhenReady = false;
        this.post({ type: 'focusComposer' });
      }
    } else if (message.type === 'log') {
      if (message.level === 'error') this.deps.log.error(`chat: ${message.text}`);
      else this.deps.log.info(`chat: ${message.text}`);
    } else {
      await this.answer(message);
    }
  }

  private async answer(request: SidebarRequestMessage): Promise<void> {
    try {
      const result = await dispatch(this.deps.handlers, request);
      this.post({ type: 'reply', id: request.id, method: request.method, ok: true, result } as HostToSidebarMessage);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.deps.log.error(`chat request ${request.method} failed: ${text}`);
      this.post({ type: 'reply', id: request.id, method: request.method, ok: false, error: text });
    }
    if (request.method === 'send' || request.method === 'newConversation') await this.sendState();
  }
}

function activeEditorPath(): string | null {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.scheme !== 'file') return null;
  const folder = vscode.workspace.getWorkspaceFolder(editor.document.uri);
  return folder ? vscode.workspace.asRelativePath(editor.document.uri, false) : null;
}

/** One handler per method; TypeScript cannot correlate method and params through a union, hence the switch. */
function dispatch(handlers: SidebarRequestHandlers, request: SidebarRequestMessage): Promise<unknown> {
  switch (request.method) {
    case 'send': return handlers.send(request.params);
    case 'newConversation': return handlers.newConversation(request.params);
    case 'complete': return handlers.complete(request.params);
    case 'stop': return handlers.stop(request.params);
    case 'openReview': return handlers.openReview(request.params);
    case 'openTask': return handlers.openTask(request.params);
    case 'answerCommand': return handlers.answerCommand(request.params);
    case 'addToQueue': return handlers.addToQueue(request.params);
    case 'runQueue': return handlers.runQueue(request.params);
    case 'cancelQueued': return handlers.cancelQueued(request.params);
    case 'reviewQueued': return handlers.reviewQueued(request.params);
  }
}
