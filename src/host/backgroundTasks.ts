// The background tasks of this window: each started in a fresh worktree of the workspace, with the options the
// foreground task would get (model, budgets, rules, sandbox) but its own terminal and reviews; listed for the sidebar.
import * as vscode from 'vscode';
import type { Budgets } from '../agent/events';
import { PathPolicy } from '../agent/policy/pathPolicy';
import { AgentSession } from '../agent/session';
import type { PanelStatus } from '../shared/viewModel';
import { cleanupStaleWorktrees, createWorktree } from '../tools/changes/worktrees';
import { BackgroundTask, type BackgroundReviewOptions } from './backgroundTask';
import { readSettings } from './config';
import type { ProposedContentProvider } from './diffDocuments';
import { Disposable } from './lifecycle';
import type { TaskController } from './taskController';

export interface BackgroundRequest {
  goal: string;
  title: string;
  root: string;
  testCommand: string | null;
  /** Tighter limits than the settings' (a watch proposal's budget). */
  budgets?: Partial<Budgets>;
  review?: BackgroundReviewOptions;
}

export interface BackgroundTaskInfo {
  taskId: string;
  title: string;
  status: PanelStatus;
  startedAt: number;
}

export interface BackgroundDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  controller: TaskController;
  diffs: ProposedContentProvider;
}

export class BackgroundTasks extends Disposable {
  private readonly tasks: BackgroundTask[] = [];
  private readonly changeEmitter = this._register(new vscode.EventEmitter<void>());
  /** Fires when a background task starts, changes state or ends. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly deps: BackgroundDeps) {
    super();
  }

  /** The background tasks of this window that have a session, newest first. */
  list(): BackgroundTaskInfo[] {
    return this.tasks.filter((task) => task.taskId !== null).reverse().map((task) => ({
      taskId: task.taskId as string, title: task.title, status: task.panel.snapshot.status, startedAt: task.startedAt,
    }));
  }

  find(taskId: string): BackgroundTask | undefined {
    return this.tasks.find((task) => task.taskId === taskId);
  }

  /** Opens a background task's panel: its progress, its questions, its review. */
  show(taskId: string): boolean {
    const task = this.find(taskId);
    task?.panel.show();
    return task !== undefined;
  }

  async start(request: BackgroundRequest): Promise<BackgroundTask> {
    if (!vscode.workspace.isTrusted) {
      throw new Error('Background tasks need a trusted workspace: they run commands and tests in their own worktree. Trust the workspace, or run a normal task.');
    }
    const settings = readSettings(vscode.Uri.file(request.root));
    const policy = new PathPolicy(request.root, { extraProtected: settings.protectedPaths, unprotected: settings.unprotectedPaths });
    const isProtected = (relative: string): boolean => policy.isProtectedRelative(relative);
    // Leftovers of a window that crashed go first, so worktrees never pile up.
    await cleanupStaleWorktrees(request.root).catch(() => []);
    const worktree = await createWorktree(request.root, { purpose: `background task: ${request.title.slice(0, 80)}`, label: 'bg', isProtected });
    const task = this._register(new BackgroundTask({
      extensionUri: this.deps.extensionUri, log: this.deps.log, diffs: this.deps.diffs, root: request.root, worktree, isProtected,
      changed: () => this.changeEmitter.fire(), review: request.review,
    }, request.title));
    try {
      const options = await this.deps.controller.optionsForTask(request.root);
      // The session works in the worktree: its path policy, sandbox and checkpoints are rooted there, not in the person's folder.
      const session = AgentSession.create({
        ...options, runner: task.runner, approver: task.reviews, goal: request.goal, title: request.title, cwd: worktree.path,
        testCommand: request.testCommand, approval: 'auto',
        ...(request.budgets ? { budgets: { ...options.budgets, ...request.budgets } } : {}),
      });
      this.tasks.push(task);
      task.start(session);
      this.changeEmitter.fire();
      return task;
    } catch (error) {
      task.dispose();
      throw error;
    }
  }
}
