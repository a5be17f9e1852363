// The task queue in VS Code: the same `.patchpilot/queue` the CLI uses (QueueStore), listed in the sidebar, added to
// from the composer, run by the core runner (one at a time in the workspace, or with patchpilot.queue.parallel N each
// in its own worktree, the result a proposal reviewed like a background task's), cancelled per entry. Entries live on
// disk, so a reload loses nothing; an entry whose runner died (the window closed mid-task) is resumed on Run Queue.
// Tasks are journaled in `.patchpilot/tasks` like the CLI's, so `patchpilot tasks`, `undo --task` and `resume` see them.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Approver } from '../agent/ports';
import { PathPolicy } from '../agent/policy/pathPolicy';
import { proposalChanges } from '../agent/queue/proposals';
import { runQueue, type TaskOutcome, type TaskRun } from '../agent/queue/runner';
import { QueueError, QueueStore, type QueueEntry } from '../agent/queue/store';
import { AgentSession, type ResumeOptions } from '../agent/session';
import { queueListItem } from '../shared/queueList';
import type { QueueListItem, QueueMethod, SidebarRequestHandlers } from '../shared/sidebarProtocol';
import { readSettings } from './config';
import type { ProposedContentProvider } from './diffDocuments';
import { Disposable } from './lifecycle';
import { QueueProposalReview } from './queueReview';
import type { TaskController } from './taskController';
import { TerminalCommandRunner } from './terminalRunner';

/** Queue files and proposals are Patchpilot's bookkeeping: no queued task may rewrite them (as in the CLI). */
const QUEUE_PROTECTED = ['.patchpilot/queue/', '.patchpilot/proposals/', '.patchpilot/worktrees/'];

/** Nobody is asked while the queue runs: like the CLI's --approve auto, a command that would need a person is refused. */
const UNATTENDED: Approver = {
  async reviewChanges({ changes }) {
    return { files: changes.map((c) => ({ path: c.path, hunks: c.hunks.map((h) => ({ index: h.index, accepted: true })) })) };
  },
  async approveCommand({ touchesProtectedPath, unconfined }) {
    if (touchesProtectedPath) return { approved: false, feedback: 'it names a protected path, and a queued task runs unattended: nobody can approve it' };
    if (unconfined) return { approved: false, feedback: `it is outside the allow rules and would run unconfined (${unconfined}); a queued task runs unattended, so it is refused` };
    return { approved: true };
  },
};

/** patchpilot.queue.parallel: 0 (default) one at a time in the workspace; N ≥ 1 up to N at once, each in a worktree. */
export function readQueueParallel(scope?: vscode.Uri): number | undefined {
  const value = vscode.workspace.getConfiguration('patchpilot', scope).get<unknown>('queue.parallel');
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : undefined;
}

export interface QueueDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  controller: TaskController;
  diffs: ProposedContentProvider;
}

export class QueueTasks extends Disposable {
  private running: { abort: AbortController; done: Promise<QueueEntry[]> } | null = null;
  private runners: TerminalCommandRunner[] = [];
  private readonly changeEmitter = this._register(new vscode.EventEmitter<void>());
  /** Fires when an entry is added, starts, ends or is cancelled (the sidebar's list follows). */
  readonly onDidChange = this.changeEmitter.event;
  /** The reviews opened in this window (the in-VS-Code tests reach them here). */
  readonly reviews = new Map<string, QueueProposalReview>();

  constructor(private readonly deps: QueueDeps) {
    super();
    // A window closing mid-run stops its tasks; they stay `running` on disk with no runner, and Run Queue resumes them.
    this._register({ dispose: () => { this.running?.abort.abort(); this.runners.forEach((r) => r.dispose()); } });
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder?.uri.scheme === 'file') {
      // Entries added or changed by the CLI (or another window) show up too.
      const watcher = this._register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '.patchpilot/queue/*.json')));
      for (const event of [watcher.onDidCreate, watcher.onDidChange, watcher.onDidDelete]) this._register(event(() => this.changeEmitter.fire()));
    }
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  list(root: string): QueueListItem[] {
    try {
      const store = new QueueStore(root);
      return store.list().entries.map((entry) => queueListItem(entry, store.holder(entry.id) !== null));
    } catch (error) {
      this.deps.log.warn(`queue: cannot list ${root}: ${String(error)}`);
      return [];
    }
  }

  add(root: string, goal: string): QueueEntry {
    const entry = new QueueStore(root).add({ goal, testCommand: readSettings(vscode.Uri.file(root)).testCommand });
    this.deps.log.info(`queue: added ${entry.id}: ${goal.split('\n')[0]}`);
    this.changeEmitter.fire();
    return entry;
  }

  /** Runs the queue until no entry is left; a second call while it runs waits for the same run. */
  run(root: string): Promise<QueueEntry[]> {
    if (this.running) return this.running.done;
    if (!vscode.workspace.isTrusted) return Promise.reject(new Error('Run Queue needs a trusted workspace: queued tasks run commands and tests.'));
    const settings = readSettings(vscode.Uri.file(root));
    const policy = new PathPolicy(root, { extraProtected: settings.protectedPaths, unprotected: settings.unprotectedPaths });
    const store = new QueueStore(root);
    const abort = new AbortController();
    this.runners.splice(0).forEach((runner) => runner.dispose());
    const done = runQueue(store, {
      parallel: readQueueParallel(vscode.Uri.file(root)), journalDir: path.join(root, '.patchpilot', 'tasks'), signal: abort.signal,
      isProtected: (relative) => policy.isProtectedRelative(relative),
      execute: (run) => this.execute(root, run),
      onEvent: (event) => {
        this.deps.log.info(`queue: ${event.type} ${event.entry.id}${event.type === 'finished' ? ` (${event.entry.state}${event.entry.status ? `, ${event.entry.status}` : ''})` : ''}`);
        this.changeEmitter.fire();
      },
    }).finally(() => {
      this.running = null;
      this.changeEmitter.fire();
    });
    this.running = { abort, done };
    this.changeEmitter.fire();
    return done;
  }

  cancel(root: string, id: string): { entry: QueueEntry; pending: boolean } {
    const outcome = new QueueStore(root).cancel(id);
    this.changeEmitter.fire();
    return outcome;
  }

  /** Opens the review of a worktree entry's proposal against the person's files now. */
  async review(root: string, id: string): Promise<QueueProposalReview> {
    const store = new QueueStore(root);
    const entry = store.resolve(id);
    if (!entry.proposal) throw new QueueError(`${entry.id} has no proposal to review (${entry.state}${entry.mode === 'in-place' ? ': it ran in your files' : ''}).`);
    if (entry.appliedAt) throw new QueueError(`${entry.id}'s proposal was applied already, at ${entry.appliedAt}.`);
    const open = this.reviews.get(entry.id);
    if (open?.reviews.current) {
      open.panel.show();
      return open;
    }
    const settings = readSettings(vscode.Uri.file(root));
    const policy = new PathPolicy(root, { extraProtected: settings.protectedPaths, unprotected: settings.unprotectedPaths });
    const changes = await proposalChanges(root, path.join(root, entry.proposal));
    const review = this._register(new QueueProposalReview({
      extensionUri: this.deps.extensionUri, log: this.deps.log, diffs: this.deps.diffs, root, isProtected: (relative) => policy.isProtectedRelative(relative),
      applied: (written) => {
        if (written.length) store.update(entry.id, { appliedAt: new Date().toISOString() });
        this.changeEmitter.fire();
      },
    }, entry, changes));
    if (!review.present()) {
      review.dispose();
      throw new QueueError(`${entry.id}'s proposal changes nothing in your files as they are now.`);
    }
    this.reviews.set(entry.id, review);
    return review;
  }

  /** The sidebar's queue requests. */
  handlers(): Pick<SidebarRequestHandlers, QueueMethod> {
    const root = (): string => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!folder || folder.uri.scheme !== 'file') throw new Error('Open a folder first: the queue lives in the workspace folder.');
      return folder.uri.fsPath;
    };
    const id = (value: unknown): string => {
      if (typeof value !== 'string' || value === '') throw new Error('This request needs the id of a queue entry.');
      return value;
    };
    const asMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
    return {
      addToQueue: async ({ text }) => {
        if (typeof text !== 'string' || !text.trim()) return { accepted: false, message: 'Write the task to queue first.' };
        const entry = this.add(root(), text.trim());
        return { accepted: true, message: `Queued as ${entry.id}; Run Queue runs it.` };
      },
      runQueue: async () => {
        if (!vscode.workspace.isTrusted) return { started: false, message: 'Run Queue needs a trusted workspace: queued tasks run commands and tests.' };
        const already = this.isRunning;
        void this.run(root()).catch((error: unknown) => this.deps.log.error(`queue run failed: ${asMessage(error)}`));
        return { started: true, message: already ? 'The queue is running already.' : 'Running the queue.' };
      },
      cancelQueued: async ({ id: value }) => {
        try {
          const { entry, pending } = this.cancel(root(), id(value));
          return { cancelled: true, message: pending ? `${entry.id}: its runner stops it within a second.` : `${entry.id}: cancelled.` };
        } catch (error) {
          if (error instanceof QueueError) return { cancelled: false, message: error.message };
          throw error;
        }
      },
      reviewQueued: async ({ id: value }) => {
        try {
          await this.review(root(), id(value));
          return { opened: true, message: 'The review is open.' };
        } catch (error) {
          return { opened: false, message: asMessage(error) };
        }
      },
    };
  }

  /** One queued task: a session (new, or resumed from its journal) in the workspace or its worktree, unattended. */
  private async execute(root: string, run: TaskRun): Promise<TaskOutcome> {
    const options = await this.deps.controller.optionsForTask(root);
    const title = run.entry.goal.split('\n')[0].slice(0, 80);
    const runner = new TerminalCommandRunner(this.deps.log, { name: `Patchpilot (queue): ${title.slice(0, 30)}`, reveal: false });
    this.runners.push(runner);
    const common: ResumeOptions = {
      ...options, runner, approver: UNATTENDED, approval: 'auto', journalDir: run.journalDir,
      extraProtected: [...(options.extraProtected ?? []), ...QUEUE_PROTECTED],
    };
    const session = run.fresh
      ? AgentSession.create({ ...common, goal: run.entry.goal, title, cwd: run.cwd, testCommand: run.entry.testCommand, taskId: run.taskId })
      : AgentSession.resume(run.journalDir, run.taskId, common);
    const cancel = () => session.cancel();
    if (run.signal.aborted) cancel();
    else run.signal.addEventListener('abort', cancel, { once: true });
    try {
      const result = await session.run();
      return { status: result.status, reason: result.reason, summary: result.summary };
    } finally {
      run.signal.removeEventListener('abort', cancel);
    }
  }
}
