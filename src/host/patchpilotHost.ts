// Everything the commands need, built once on first use: panel, reviews, terminal runner, secrets, status bar,
// diff documents and the task controller, wired together and owned (disposed) by this host.
import * as vscode from 'vscode';
import type { PanelRequestHandlers } from '../shared/protocol';
import { isReviewDecisionList } from '../shared/protocol';
import type { CommandId } from './commandIds';
import { chatHandlers } from './chatHandlers';
import { HISTORY_VIEW_TYPE } from './commandIds';
import { commandHandlers } from './commands';
import { SidebarView } from './sidebarView';
import { BackgroundTasks } from './backgroundTasks';
import { startDemoIfHere } from './demo';
import { mcpSetupFor } from './mcpSetup';
import { ProposedContentProvider } from './diffDocuments';
import { WindowAttempts } from './attempts';
import { Disposable } from './lifecycle';
import { ReviewCoordinator } from './reviewCoordinator';
import { toChangeReview } from './reviewDecisions';
import { ReviewPanel } from './reviewPanel';
import { ApiKeyStore } from './secrets';
import { TaskStatusBar } from './statusBar';
import { journalDirFor, TaskController } from './taskController';
import { TaskProgressNotification } from './taskProgress';
import { TerminalCommandRunner } from './terminalRunner';
import { QueueTasks } from './queueTasks';
import { TestWatchController } from './watchTests';

export class PatchpilotHost extends Disposable {
  readonly panel: ReviewPanel;
  /** Past tasks open here, read-only, beside the live panel. */
  readonly history: ReviewPanel;
  readonly sidebar!: SidebarView;
  readonly reviews: ReviewCoordinator;
  readonly runner: TerminalCommandRunner;
  readonly apiKeys: ApiKeyStore;
  readonly controller: TaskController;
  /** Tasks running in their own worktrees while the person keeps editing. */
  readonly background: BackgroundTasks;
  /** Patchpilot: Watch Tests — test runs after changes, fixes proposed as background tasks. */
  readonly watch: TestWatchController;
  /** The workspace's task queue (.patchpilot/queue), shared with the CLI. */
  readonly queue: QueueTasks;
  private readonly diffs: ProposedContentProvider;
  /** Parallel attempts of the live task, viewable until the next task starts. */
  readonly attempts: WindowAttempts;
  private readonly handlers: ReturnType<typeof commandHandlers>;

  readonly extensionUri: vscode.Uri;
  /** Where the extension keeps its own files (the demo projects). */
  readonly storageDir: string;

  constructor(context: vscode.ExtensionContext, readonly log: vscode.LogOutputChannel) {
    super();
    this.extensionUri = context.extensionUri;
    this.storageDir = context.globalStorageUri.fsPath;
    this.panel = this._register(new ReviewPanel(context.extensionUri, log, this.panelHandlers()));
    this.history = this._register(new ReviewPanel(context.extensionUri, log, this.historyHandlers(), { viewType: HISTORY_VIEW_TYPE, title: 'Patchpilot history' }));
    this.reviews = this._register(new ReviewCoordinator(this.panel, log));
    this.runner = this._register(new TerminalCommandRunner(log));
    this.apiKeys = this._register(new ApiKeyStore(context.secrets));
    this.diffs = this._register(new ProposedContentProvider());
    this.attempts = this._register(new WindowAttempts(log, this.diffs, journalDirFor(context)));
    const statusBar = this._register(new TaskStatusBar());
    this.controller = this._register(new TaskController({
      panel: this.panel, reviews: this.reviews, runner: this.runner, statusBar, apiKeys: this.apiKeys, log, journalDir: journalDirFor(context),
      history: this.history,
      chatVisible: () => this.sidebar?.isVisible ?? false,
      mcp: (root) => mcpSetupFor(root, context, log),
      attempts: this.attempts,
    }));
    this.background = this._register(new BackgroundTasks({ extensionUri: context.extensionUri, log, controller: this.controller, diffs: this.diffs }));
    this.watch = this._register(new TestWatchController(this.background, log));
    this.queue = this._register(new QueueTasks({ extensionUri: context.extensionUri, log, controller: this.controller, diffs: this.diffs }));
    this._register(new TaskProgressNotification(this.panel.onDidChangeSnapshot, () => this.controller.stop()));
    this.handlers = commandHandlers(this);
    this.sidebar = this._register(new SidebarView(context.extensionUri, {
      panel: this.panel, controller: this.controller, background: this.background, queue: this.queue, log,
      handlers: { ...chatHandlers(this, { fixFailingTests: (note) => this.handlers['patchpilot.fixFailingTests'](note ? [note] : []) }), ...this.queue.handlers() },
    }));
    // In the demo's window the scripted model starts, and the task with it; it closes with the window.
    void startDemoIfHere(this).then((server) => { if (server) this._register({ dispose: () => void server.close() }); },
      (error: unknown) => this.reportError(error));
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => {
      log.info('workspace trusted: commands and tests may run from the next task on');
      this.panel.patch({ restricted: false });
    }));
  }

  runCommand(id: CommandId, args: unknown[]): Promise<unknown> {
    this.log.debug(`command ${id}`);
    return this.handlers[id](args);
  }

  /** After a window reload VS Code restores the panel; it shows the latest task again (resumable if interrupted). */
  async adoptPanel(panel: vscode.WebviewPanel): Promise<void> {
    this.panel.adopt(panel);
    if (this.controller.isRunning || this.panel.snapshot.taskId !== null) return;
    const latest = (await this.controller.history())[0];
    if (latest) this.controller.showTask(latest.taskId);
  }

  /**
   * One message per failure, with a way out: Retry (the same command again), Open Settings, Select Model; the
   * details go to the log. `retry` is the command to run again, when there is one.
   */
  reportError(error: unknown, retry?: () => unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.log.error(error instanceof Error && error.stack ? error.stack : message);
    const actions = [...(retry ? ['Retry'] : []), 'Open Settings', 'Select Model', 'Show Log'];
    void vscode.window.showErrorMessage(`Patchpilot: ${message}`, ...actions).then((choice) => {
      if (choice === 'Retry') void retry?.();
      else if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'patchpilot');
      else if (choice === 'Select Model') void vscode.commands.executeCommand('patchpilot.selectModel');
      else if (choice === 'Show Log') this.log.show();
    });
  }

  /** The history panel shows a past task: it can open files and diffs, nothing else. */
  private historyHandlers(): PanelRequestHandlers {
    const live = this.panelHandlers();
    const refuse = async (): Promise<never> => { throw new Error('This is a past task, shown read-only.'); };
    return { ...live, submitReview: refuse, stop: refuse, answerCommand: refuse };
  }

  private panelHandlers(): PanelRequestHandlers {
    return {
      submitReview: async ({ reviewId, files, feedback }) => {
        if (!isReviewDecisionList(files)) throw new Error('malformed review decisions');
        const pending = this.reviews.current;
        if (!pending || pending.reviewId !== reviewId) return { applied: false, message: 'This review is no longer pending.' };
        return this.reviews.submit(reviewId, toChangeReview(pending.changes, files, typeof feedback === 'string' ? feedback : undefined));
      },
      openDiff: async ({ reviewId, path }) => {
        if (typeof path !== 'string') throw new Error('openDiff needs a path');
        const pending = this.reviews.current;
        const changes = pending && pending.reviewId === reviewId ? pending.changes : this.controller.lastChanges();
        const change = changes.find((c) => c.path === path);
        if (!change) return { opened: false };
        await this.diffs.openDiff(reviewId ?? 'last', change.path, change.before, change.after);
        return { opened: true };
      },
      openFile: async ({ path }) => {
        const root = vscode.workspace.workspaceFolders?.[0]?.uri;
        if (typeof path !== 'string' || !root) return { opened: false };
        await vscode.window.showTextDocument(vscode.Uri.joinPath(root, path), { preview: true, viewColumn: vscode.ViewColumn.Beside });
        return { opened: true };
      },
      stop: async () => ({ stopped: this.controller.stop() }),
      openAttemptDiff: async ({ taskId, attempt, path }) => {
        if (typeof attempt !== 'string' || typeof path !== 'string' || (taskId !== null && typeof taskId !== 'string')) throw new Error('openAttemptDiff needs a taskId, an attempt and a path');
        return { opened: await this.attempts.openDiff(taskId, attempt, path) };
      },
      answerCommand: async ({ questionId, run, always }) => {
        if (typeof questionId !== 'string' || typeof run !== 'boolean') throw new Error('answerCommand needs a questionId and run: true or false');
        return { answered: this.reviews.answerCommand(questionId, run, always === true) };
      },
    };
  }
}
