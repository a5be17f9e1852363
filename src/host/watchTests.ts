// Patchpilot: Watch Tests in VS Code — the core watch loop (src/agent/watch) fed by the core file watcher, its test
// runs confined by the same sandbox as a session's and shown in a terminal of their own that never takes focus, its
// state in a status bar item, and its proposals made as background tasks: a fix-tests session in a worktree within the
// proposal budget whose change set, if it verified, is reviewed in its panel against the person's current files
// (hunks on lines they changed since are conflicts). Nothing is written to the person's files unless they accept it.
import * as vscode from 'vscode';
import { PathPolicy } from '../agent/policy/pathPolicy';
import { watchWorkspace } from '../agent/watch/fileWatcher';
import { proposalGoal } from '../agent/watch/proposer';
import { SandboxedTestRunner } from '../agent/watch/sandboxedTests';
import { TestWatch, type ProposalRequest, type ProposalResult, type WatchEvent } from '../agent/watch/testWatch';
import type { BackgroundTask } from './backgroundTask';
import type { BackgroundTasks } from './backgroundTasks';
import { readSettings } from './config';
import { Disposable } from './lifecycle';
import { TerminalCommandRunner } from './terminalRunner';

export interface WatchSettings {
  debounceMs: number;
  maxProposals: number;
  proposalMaxSteps: number;
  proposalMaxCostUsd: number | null;
  backoffMs: number;
  maxFailedProposals: number;
  testTimeoutMs: number;
}

/** The patchpilot.watch.* settings, each checked: a bad value falls back to the CLI's default. */
export function readWatchSettings(scope?: vscode.Uri): WatchSettings {
  const config = vscode.workspace.getConfiguration('patchpilot', scope);
  const whole = (key: string, fallback: number, min: number): number => {
    const value = config.get<unknown>(key);
    return typeof value === 'number' && Number.isInteger(value) && value >= min ? value : fallback;
  };
  const cost = config.get<unknown>('watch.proposalMaxCostUsd');
  return {
    debounceMs: whole('watch.debounceMs', 500, 0),
    maxProposals: whole('watch.maxProposals', 5, 1),
    proposalMaxSteps: whole('watch.proposalMaxSteps', 15, 1),
    proposalMaxCostUsd: typeof cost === 'number' && cost >= 0 ? cost : null,
    backoffMs: whole('watch.backoffMs', 60_000, 0),
    maxFailedProposals: whole('watch.maxFailedProposals', 3, 1),
    testTimeoutMs: 300_000,
  };
}

export type WatchState = 'off' | 'starting' | 'running' | 'passing' | 'failing';

const FIX_GOAL = (testCommand: string) => `Make the failing tests pass. Run the tests with \`${testCommand}\`, find the cause of each failure, `
  + 'fix the code (not the tests, unless a test is clearly wrong), and verify';

interface Watching {
  root: string;
  testCommand: string;
  watch: TestWatch;
  tests: SandboxedTestRunner;
}

export class TestWatchController extends Disposable {
  private watching: Watching | null = null;
  private readonly runner: TerminalCommandRunner;
  private readonly item: vscode.StatusBarItem;
  private readonly eventEmitter = this._register(new vscode.EventEmitter<WatchEvent>());
  /** Every event of the watch loop (the in-VS-Code tests follow it). */
  readonly onDidEvent = this.eventEmitter.event;
  private stateNow: WatchState = 'off';
  private proposingNow = false;
  /** The proposals of this window, newest last. */
  readonly proposals: BackgroundTask[] = [];

  constructor(private readonly background: BackgroundTasks, private readonly log: vscode.LogOutputChannel) {
    super();
    this.runner = this._register(new TerminalCommandRunner(log, { name: 'Patchpilot: Watch Tests', reveal: false }));
    this.item = this._register(vscode.window.createStatusBarItem('patchpilot.watch', vscode.StatusBarAlignment.Left, 90));
    this.item.name = 'Patchpilot: Watch Tests';
    this.item.command = 'patchpilot.watchTests';
    // Deactivation or window close: the test run and a running proposal stop; their worktree goes with them.
    this._register({ dispose: () => void this.stop() });
  }

  get state(): WatchState {
    return this.stateNow;
  }

  get isWatching(): boolean {
    return this.watching !== null;
  }

  /** What the watch terminal showed (bounded), for diagnostics and tests. */
  transcript(): string {
    return this.runner.transcript();
  }

  /** Shows the watch's terminal without moving the keyboard there. */
  showOutput(): void {
    this.runner.reveal();
  }

  async start(root: string, testCommand: string): Promise<void> {
    if (!vscode.workspace.isTrusted) throw new Error('Watch Tests needs a trusted workspace: it runs your test command after every change. Trust the workspace first.');
    if (this.watching) return;
    const settings = readSettings(vscode.Uri.file(root));
    const watchSettings = readWatchSettings(vscode.Uri.file(root));
    const pathPolicy = new PathPolicy(root, { extraProtected: settings.protectedPaths, unprotected: settings.unprotectedPaths });
    const tests = await SandboxedTestRunner.create({
      root, testCommand, runner: this.runner, pathPolicy, timeoutMs: watchSettings.testTimeoutMs,
      sandbox: settings.sandbox.mode, allowHosts: settings.sandbox.allowHosts, passEnv: settings.passEnv,
    });
    const watch = new TestWatch({
      runTests: (signal) => tests.run(signal),
      propose: (request, signal) => this.propose(root, testCommand, watchSettings, request, signal),
      watch: (onChange) => watchWorkspace(root, onChange, (error) => this.log.warn(`watch: cannot watch a folder: ${error.message}`)),
    }, {
      debounceMs: watchSettings.debounceMs,
      proposeOnStart: false,
      policy: { maxProposals: watchSettings.maxProposals, maxFailedInARow: watchSettings.maxFailedProposals, backoffMs: watchSettings.backoffMs },
    }, (event) => this.onEvent(event));
    this.watching = { root, testCommand, watch, tests };
    await vscode.commands.executeCommand('setContext', 'patchpilot.watching', true);
    this.log.info(`watch: watching ${root} — tests: ${testCommand}; ${tests.note}`);
    this.setState('starting');
    this.item.show();
    // The first run is awaited elsewhere: the command returns as soon as watching has begun.
    void watch.start().catch((error: unknown) => this.log.error(`watch: ${String(error)}`));
  }

  /** Stops watching: the test run and a running proposal stop (a proposal already waiting for review stays). */
  async stop(): Promise<boolean> {
    const watching = this.watching;
    if (!watching) return false;
    this.watching = null;
    await watching.watch.stop();
    await watching.tests.close();
    this.setState('off');
    this.item.hide();
    await vscode.commands.executeCommand('setContext', 'patchpilot.watching', false);
    this.log.info('watch: stopped');
    return true;
  }

  private async propose(root: string, testCommand: string, settings: WatchSettings, request: ProposalRequest, signal: AbortSignal): Promise<ProposalResult> {
    const names = request.failures.slice(0, 3).map((failure) => failure.name);
    const title = `Watch: fix ${names.length ? names.join(', ') : 'the failing tests'}`;
    const task = await this.background.start({
      goal: proposalGoal(FIX_GOAL(testCommand), request), title, root, testCommand,
      budgets: { maxSteps: settings.proposalMaxSteps, ...(settings.proposalMaxCostUsd !== null ? { maxCostUsd: settings.proposalMaxCostUsd } : {}) },
      review: {
        // Only a fix that made the tests pass in its worktree is worth the person's attention (as in the CLI).
        reviewIf: (result) => result.status === 'verified' && !signal.aborted,
        notice: ({ files, conflicts }) => `Patchpilot: your tests broke after a change${names.length ? ` (${names.join(', ')})` : ''}. `
          + `A fix is proposed in a worktree: ${files} file(s)${conflicts ? `, ${conflicts} hunk(s) conflict with your edits` : ''}. Your files are untouched until you accept it.`,
        button: 'Review',
      },
    });
    this.proposals.push(task);
    const onAbort = () => task.stop();
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await task.finished;
      return { status: result?.status ?? 'failed', summary: result?.summary ?? 'The proposal task could not run.', taskId: task.taskId, patchPath: null, files: [] };
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private onEvent(event: WatchEvent): void {
    this.log.info(`watch: ${describeWatchEvent(event)}`);
    switch (event.type) {
      case 'tests_started': this.setState('running'); break;
      case 'tests_finished': this.setState(event.verdict.passed ? 'passing' : 'failing'); break;
      case 'proposal_started': this.proposingNow = true; this.setState(this.stateNow); break;
      case 'proposal_finished': case 'proposal_failed': this.proposingNow = false; this.setState(this.stateNow); break;
      default: break;
    }
    this.eventEmitter.fire(event);
  }

  private setState(state: WatchState): void {
    // While a run is going the last verdict stays in view: "failing" does not flicker to "running" and back.
    if (state !== 'running') this.stateNow = state;
    else if (this.stateNow === 'off' || this.stateNow === 'starting') this.stateNow = 'running';
    const view = statusBarView(this.stateNow, state === 'running', this.proposingNow);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = this.stateNow === 'failing' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }
}

/** The status bar item's words for a state (pure: unit-tested). */
export function statusBarView(state: WatchState, running: boolean, proposing: boolean): { text: string; tooltip: string } {
  const base = state === 'passing' ? '$(pass) Watching tests: passing' : state === 'failing' ? '$(error) Watching tests: failing'
    : state === 'off' ? '' : '$(eye) Watching tests: running…';
  const text = `${running && (state === 'passing' || state === 'failing') ? base.replace(/^\$\([a-z-]+\)/, '$(sync~spin)') : base}${proposing ? ' · proposing a fix' : ''}`;
  const tooltip = [
    'Patchpilot runs your tests after every change (in the sandbox, in the "Patchpilot: Watch Tests" terminal).',
    proposing ? 'A fix is being made in a worktree; your files are not touched.' : '',
    'Click to show the test output; Patchpilot: Stop Watching stops it.',
  ].filter(Boolean).join('\n');
  return { text, tooltip };
}

/** One line per watch event, for the log. */
export function describeWatchEvent(event: WatchEvent): string {
  switch (event.type) {
    case 'tests_started': return event.trigger === 'start' ? 'running the tests' : `running the tests (changed: ${event.changed.slice(0, 5).join(', ')})`;
    case 'tests_finished': return event.verdict.passed ? 'tests pass' : `tests fail (exit ${event.verdict.exitCode})${event.previouslyPassed === true ? ' after a change' : ''}`;
    case 'proposal_started': return `proposing a fix (#${event.request.number}) in a worktree`;
    case 'proposal_finished': return `proposal #${event.request.number}: ${event.result.status} — ${event.result.summary}`;
    case 'proposal_failed': return `the proposal could not run: ${event.error}`;
    case 'proposal_held': return `not proposing: ${event.decision.text}`;
    case 'stopped': return 'stopped';
  }
}
