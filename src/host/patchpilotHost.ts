// Everything the commands need, built once on first use: panel, reviews, terminal runner, secrets, status bar,
// diff documents and the task controller, wired together and owned (disposed) by this host.
import * as vscode from 'vscode';
import type { PanelRequestHandlers } from '../shared/protocol';
import { isReviewDecisionList } from '../shared/protocol';
import type { CommandId } from './commandIds';
import { commandHandlers } from './commands';
import { ProposedContentProvider } from './diffDocuments';
import { Disposable } from './lifecycle';
import { ReviewCoordinator } from './reviewCoordinator';
import { toChangeReview } from './reviewDecisions';
import { ReviewPanel } from './reviewPanel';
import { ApiKeyStore } from './secrets';
import { TaskStatusBar } from './statusBar';
import { journalDirFor, TaskController } from './taskController';
import { TaskProgressNotification } from './taskProgress';
import { TerminalCommandRunner } from './terminalRunner';

export class PatchpilotHost extends Disposable {
  readonly panel: ReviewPanel;
  readonly reviews: ReviewCoordinator;
  readonly runner: TerminalCommandRunner;
  readonly apiKeys: ApiKeyStore;
  readonly controller: TaskController;
  private readonly diffs: ProposedContentProvider;
  private readonly handlers: ReturnType<typeof commandHandlers>;

  constructor(context: vscode.ExtensionContext, readonly log: vscode.LogOutputChannel) {
    super();
    this.panel = this._register(new ReviewPanel(context.extensionUri, log, this.panelHandlers()));
    this.reviews = this._register(new ReviewCoordinator(this.panel, log));
    this.runner = this._register(new TerminalCommandRunner(log));
    this.apiKeys = this._register(new ApiKeyStore(context.secrets));
    this.diffs = this._register(new ProposedContentProvider());
    const statusBar = this._register(new TaskStatusBar());
    this.controller = this._register(new TaskController({
      panel: this.panel, reviews: this.reviews, runner: this.runner, statusBar, apiKeys: this.apiKeys, log, journalDir: journalDirFor(context),
    }));
    this._register(new TaskProgressNotification(this.panel.onDidChangeSnapshot, () => this.controller.stop()));
    this.handlers = commandHandlers(this);
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
      answerCommand: async ({ questionId, run }) => {
        if (typeof questionId !== 'string' || typeof run !== 'boolean') throw new Error('answerCommand needs a questionId and run: true or false');
        return { answered: this.reviews.answerCommand(questionId, run) };
      },
    };
  }
}
