// Runs one task at a time in the window: builds the session from settings and adapters, streams its events into the
// panel and the status bar, presents the final change set in 'auto' mode, and stops, resumes and undoes tasks.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { connectModel, type ModelConnection } from '../agent/model/connect';
import { EndpointError } from '../agent/model/endpoint';
import { ProfileError } from '../agent/model/profiles';
import { Journal, listTasks, type TaskSummary } from '../agent/journal';
import type { ChangeReview, ModelClient, ProposedFileChange } from '../agent/ports';
import type { TaskResult } from '../agent/result';
import type { AttemptModel } from '../agent/orchestrator/attempts';
import { attemptHeader, attemptModelName } from '../agent/orchestrator/attemptsSetup';
import { AgentSession, type ResumeOptions, type SessionOptions } from '../agent/session';
import { unprotectProblems } from '../agent/policy/pathPolicy';
import { applyPatch, emptySnapshot, type PanelSnapshot } from '../shared/viewModel';
import { CONTEXT_KEYS } from './commandIds';
import { readSettings, selectedProfile, type ApprovalMode, type PatchpilotSettings } from './config';
import { Disposable } from './lifecycle';
import { LmModelClient } from './lmModelClient';
import { parseLmModelRef } from './lmMessages';
import type { ReviewCoordinator } from './reviewCoordinator';
import type { ReviewPanel } from './reviewPanel';
import { describeKeySource, type ApiKeyStore } from './secrets';
import type { TaskStatusBar } from './statusBar';
import type { McpSetup } from './mcpSetup';
import type { WindowAttempts } from './attempts';
import { StreamingBuffer } from './streamingBuffer';
import { TaskTimeline } from './taskTimeline';
import type { TerminalCommandRunner } from './terminalRunner';
import { lmModelClientFor } from './vscodeLm';

export interface TaskRequest {
  goal: string;
  /** The task in the person's words, when `goal` is an expanded prompt. */
  title?: string;
  cwd: string;
  approval: ApprovalMode;
  testCommand: string | null;
  /** Fix Failing Tests: triage first when patchpilot.triage.enabled (and bisect with patchpilot.triage.bisect). */
  triage?: boolean;
  /** More than 1: that many parallel attempts in worktrees, the judge's choice reviewed per hunk (trusted workspaces). */
  attempts?: number;
}

/** The model of a task and what to say about it (the profile for the status bar, the key to mask). */
type ConnectedModel = Pick<ModelConnection, 'describe' | 'profile'> & Partial<Pick<ModelConnection, 'apiKey' | 'contextWindow'>> & { client: ModelClient };

interface RunningTask {
  session: AgentSession;
  done: Promise<TaskResult>;
  /** Stops work the session does not own (parallel attempts). */
  cancel?: () => void;
}

export interface ControllerDeps {
  panel: ReviewPanel;
  reviews: ReviewCoordinator;
  runner: TerminalCommandRunner;
  statusBar: TaskStatusBar;
  apiKeys: ApiKeyStore;
  log: vscode.LogOutputChannel;
  journalDir: string;
  /** The read-only panel past tasks open in, beside the live one. */
  history: ReviewPanel;
  /** True when the chat view is on screen: it shows the task, so the panel opens only for a review. */
  chatVisible?: () => boolean;
  /** The MCP servers for a task in this folder (settings, and the confirmed workspace file). */
  mcp?: (root: string) => Promise<McpSetup>;
  /** Runs parallel attempts for the live task and keeps them viewable. */
  attempts?: WindowAttempts;
}

export class TaskController extends Disposable {
  private running: RunningTask | undefined;
  /** The last task of this window (finished or not): what Undo Task and the final review act on. */
  private lastSession: AgentSession | undefined;
  private readonly finishedEmitter = this._register(new vscode.EventEmitter<TaskResult>());
  readonly onDidFinishTask = this.finishedEmitter.event;
  private readonly liveEmitter = this._register(new vscode.EventEmitter<void>());
  /** Fires when the live task changes, starts or ends (the chat view's send mode and history follow it). */
  readonly onDidChangeLive = this.liveEmitter.event;
  /** Set by "New conversation": the next chat message starts a new task instead of continuing the last. */
  private detached = false;
  /** The model the last task was started (or retried) with. */
  private connected: ConnectedModel | undefined;

  constructor(private readonly deps: ControllerDeps) {
    super();
    this._register(deps.panel.onDidChangeSnapshot((s) => deps.statusBar.update(s.status, s.meter, s.title || s.goal, s.question)));
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Resolves when the running task (if any) has finished and its final review, if any, is on screen. */
  async whenIdle(): Promise<TaskResult | undefined> {
    return this.running?.done;
  }

  async start(request: TaskRequest): Promise<TaskResult | undefined> {
    this.ensureIdle();
    const settings = readSettings(vscode.Uri.file(request.cwd));
    const trusted = vscode.workspace.isTrusted;
    const options = await this.sessionOptions(settings, trusted);
    const triage = request.triage && settings.triage.enabled ? { bisect: settings.triage.bisect ? {} : null } : null;
    const attempts = trusted && this.deps.attempts ? request.attempts ?? 1 : 1;
    if (attempts > 1) return this.startAttempts(request, settings, { ...options, triage }, attempts);
    const session = AgentSession.create({
      ...options, triage, goal: request.goal, title: request.title, cwd: request.cwd, testCommand: request.testCommand,
      approval: trusted ? request.approval : 'ask',
    });
    this.detached = false;
    return this.launch(session, settings, request.approval, trusted);
  }

  /**
   * Parallel attempts: the task's own session runs with approval 'ask', so the judge's choice reaches the person's
   * files only through the per-hunk review; the attempts write their worktrees unattended (src/host/attempts.ts).
   */
  private async startAttempts(request: TaskRequest, settings: PatchpilotSettings, options: ResumeOptions, count: number): Promise<TaskResult | undefined> {
    const models: AttemptModel[] = [];
    const fallback = settings.roles.enabled && settings.roles.coderModel ? settings.roles.coderModel : undefined;
    for (let i = 0; i < count; i++) {
      const name = settings.attempts.models.length ? attemptModelName(settings.attempts.models, i, '') : fallback;
      const client = options.model instanceof LmModelClient && !name ? options.model : (await this.modelFor(settings, name, attemptHeader(i))).client;
      models.push({ client, label: client.model });
    }
    const task: SessionOptions = { ...options, model: models[0].client, goal: request.goal, title: request.title, cwd: request.cwd,
      testCommand: request.testCommand, approval: 'ask' };
    const session = AgentSession.create(task);
    this.detached = false;
    const attempts = this.deps.attempts!;
    return this.launch(session, settings, 'ask', true, false, (timeline) =>
      attempts.run({ task, parent: session, models, parallel: settings.attempts.parallel, timeline, panel: this.deps.panel }));
  }

  /** What a chat message does now: start a task, steer the running one, or continue the last one. */
  get sendMode(): 'new' | 'steer' | 'continue' {
    if (this.running) return 'steer';
    return this.lastSession && !this.detached ? 'continue' : 'new';
  }

  /** A message for the running task: it reaches the model at the next safe point (journaled there). */
  steer(text: string): boolean {
    const delivered = this.running?.session.steer(text) ?? false;
    if (delivered) {
      this.deps.log.info(`follow-up queued for ${this.running?.session.taskId}`);
      this.deps.panel.patch({ statusText: 'Your message goes to the model before its next step' });
    }
    return delivered;
  }

  /** Goes on with the last task of this window, in the same session, from the person's message. */
  continueLast(text: string): Promise<TaskResult | undefined> {
    const session = this.lastSession;
    if (!session || this.running) throw new Error('There is no finished task to continue in this window.');
    this.deps.reviews.dismissFinal();
    const timeline = new TaskTimeline(this.deps.panel.snapshot.meter, this.deps.panel.snapshot.timeline.length);
    const listener = this.attach(session, timeline);
    this.deps.log.info(`task ${session.taskId} continued with a follow-up`);
    return this.track(session, listener, session.continueWith(text));
  }

  /** The next chat message starts a new task; the last one stays in the history. */
  newConversation(): void {
    if (this.running) throw new Error('A task is running. Stop it first, or send it a message.');
    this.detached = true;
    this.deps.reviews.dismissFinal();
    this.deps.panel.reset(emptySnapshot());
    this.liveEmitter.fire();
  }

  async resume(taskId: string): Promise<TaskResult | undefined> {
    this.ensureIdle();
    const settings = readSettings();
    const trusted = vscode.workspace.isTrusted;
    const events = Journal.read(Journal.pathFor(this.deps.journalDir, taskId));
    const started = events.find((event) => event.type === 'task_started');
    const approval: ApprovalMode = started?.type === 'task_started' && trusted ? started.config.approval : 'ask';
    const options: ResumeOptions = { ...(await this.sessionOptions(settings, trusted)), approval };
    const session = AgentSession.resume(this.deps.journalDir, taskId, options);
    return this.launch(session, settings, approval, trusted, true);
  }

  /**
   * Shows a past task, rebuilt from its journal, read-only. It opens in the history panel beside the live task and
   * never replaces it; only a window without a live task (after a reload) shows its latest task in the live panel.
   */
  showTask(taskId: string, where: 'history' | 'live' = 'history'): void {
    const snapshot = this.snapshotOf(taskId);
    if (where === 'live') {
      this.deps.panel.reset(snapshot);
      this.deps.panel.show();
      return;
    }
    this.deps.history.reset({ ...snapshot, readOnly: true, review: null, question: null });
    this.deps.history.show();
    this.deps.history.setTitle(`Patchpilot: ${snapshot.title.split('\n')[0].slice(0, 40) || taskId}`);
  }

  private snapshotOf(taskId: string): PanelSnapshot {
    const events = Journal.read(Journal.pathFor(this.deps.journalDir, taskId));
    const timeline = new TaskTimeline(emptySnapshot().meter);
    let snapshot: PanelSnapshot = { ...emptySnapshot(), taskId };
    for (const event of events) {
      const patch = timeline.apply(event);
      if (patch) snapshot = applyPatch(snapshot, patch);
    }
    if (snapshot.status === 'running') snapshot = { ...snapshot, status: 'stopped', statusText: 'Interrupted: run Patchpilot: Resume Task to continue' };
    return snapshot;
  }

  /** The live task's id, if any: the history list marks it. */
  get liveTaskId(): string | null {
    return this.running?.session.taskId ?? (this.detached ? null : this.lastSession?.taskId ?? null);
  }

  stop(): boolean {
    if (!this.running) return false;
    this.deps.log.info(`stopping task ${this.running.session.taskId}`);
    this.running.cancel?.();
    this.running.session.cancel();
    return true;
  }

  async undo(): Promise<{ restored: string[]; skipped: { path: string; reason: string }[] } | undefined> {
    this.ensureIdle();
    const session = this.lastSession;
    if (!session) return undefined;
    this.deps.reviews.dismissFinal();
    const report = await session.undo();
    this.deps.log.info(`undo of ${session.taskId}: restored ${report.restored.join(', ') || 'nothing'}; skipped ${report.skipped.map((s) => `${s.path} (${s.reason})`).join(', ') || 'nothing'}`);
    this.deps.panel.patch({ timelineAppend: [{ kind: 'note', level: report.skipped.length ? 'warning' : 'info',
      text: `Undo: restored ${report.restored.length} file(s)${report.skipped.length ? `; left ${report.skipped.map((s) => `${s.path} (${s.reason})`).join(', ')}` : ''}.` }] });
    return report;
  }

  history(): Promise<TaskSummary[]> {
    return listTasks(this.deps.journalDir);
  }

  /** The change set of the last task, for the diff editor. */
  lastChanges(): ReturnType<AgentSession['changes']> {
    return this.lastSession?.changes() ?? [];
  }

  /** The options a task in `root` runs with now (model, budgets, rules, sandbox): a background task starts from them. */
  async optionsForTask(root: string): Promise<ResumeOptions> {
    return this.sessionOptions(readSettings(vscode.Uri.file(root)), vscode.workspace.isTrusted, root);
  }

  private ensureIdle(): void {
    if (this.running) throw new Error('A task is already running. Stop it first (Patchpilot: Stop).');
  }

  private async sessionOptions(settings: PatchpilotSettings, trusted: boolean, root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath): Promise<ResumeOptions> {
    const connected = await this.modelFor(settings);
    this.connected = connected;
    const { model, ...roles } = await this.roleModels(settings, connected.client);
    for (const problem of unprotectProblems(settings.unprotectedPaths)) this.warnOnce(`patchpilot.unprotectedPaths: ${problem}`);
    return {
      approval: 'ask', budgets: settings.budgets, model, runner: this.deps.runner, approver: this.deps.reviews, journalDir: this.deps.journalDir,
      extraProtected: settings.protectedPaths, unprotected: settings.unprotectedPaths, commandRules: settings.commandRules, trusted,
      sandbox: settings.sandbox.mode, allowHosts: settings.sandbox.allowHosts, passEnv: settings.passEnv, allowTestEdits: settings.allowTestEdits,
      targetedRuns: settings.targetedRuns,
      knownSecrets: connected.apiKey ? [{ name: 'the API key', value: connected.apiKey }] : [],
      // A VS Code model says how much it takes; the context is condensed to fit that instead of the default window.
      ...(model instanceof LmModelClient && model.maxInputTokens > 0 ? { context: { windowTokens: model.maxInputTokens } } : {}),
      // A profile's contextWindow, or what Ollama really runs with.
      ...(connected.contextWindow ? { context: { windowTokens: connected.contextWindow } } : {}),
      ...(trusted && root && this.deps.mcp ? await this.mcpOptions(root) : {}),
      ...roles,
    };
  }

  /** The coder's model, and with patchpilot.roles / patchpilot.escalation the other roles' and the strong one (same provider). */
  private async roleModels(settings: PatchpilotSettings, main: ModelClient): Promise<Pick<ResumeOptions, 'model' | 'roles' | 'escalateTo'>> {
    const named = async (name: string) => (name && name !== main.model ? (await this.modelFor(settings, name)).client : main);
    const { roles } = settings;
    const model = roles.enabled ? await named(roles.coderModel) : main;
    return {
      model,
      ...(roles.enabled ? { roles: { models: { planner: await named(roles.plannerModel), verifier: await named(roles.verifierModel) } } } : {}),
      ...(settings.escalateModel ? { escalateTo: await named(settings.escalateModel) } : {}),
    };
  }

  private async mcpOptions(root: string): Promise<Pick<ResumeOptions, 'mcpServers' | 'mcpAllow' | 'mcpLookup'>> {
    const setup = await this.deps.mcp!(root);
    return setup.servers.length ? { mcpServers: setup.servers, mcpAllow: setup.allow, mcpLookup: setup.lookup } : {};
  }

  /**
   * The model for a task: the selected profile (patchpilot.provider), else a VS Code model, else patchpilot.baseUrl
   * and patchpilot.model — connected the way the CLI connects (agent/model/connect.ts: Azure URLs, Ollama's window).
   * The key: the profile's apiKeyEnv, else its own stored key, else the default key; never one from settings.
   */
  /** The configured model, or `modelName` at the same provider (a role's or the escalation model). */
  private async modelFor(settings: PatchpilotSettings, modelName?: string, headers?: Record<string, string>): Promise<ConnectedModel> {
    const profile = selectedProfile(settings);
    const name = modelName ?? (profile ? undefined : settings.model);
    // `vscode-lm:<vendor>/<id>`: a chat model VS Code offers; it needs no API key (VS Code asks for consent instead).
    if (name && parseLmModelRef(name)) return { client: await lmModelClientFor(name, settings.pricing), describe: `${name} (a VS Code model)`, profile: null };
    const found = profile?.apiKeyEnv ? undefined : await this.deps.apiKeys.forProfile(profile?.name ?? null);
    const apiKey = found?.key ? { apiKey: found.key } : {};
    let connection: ModelConnection;
    try {
      const extra = headers ? { headers } : {};
      connection = await connectModel(profile, profile ? { ...apiKey, ...extra, ...(modelName ? { model: modelName } : {}) } : { baseUrl: settings.baseUrl, model: name ?? settings.model, ...apiKey, ...extra },
        { pricing: settings.pricing, ...(found ? { apiKeySource: describeKeySource(found.source, profile?.name ?? null) } : {}) });
    } catch (error) {
      if (!(error instanceof ProfileError || error instanceof EndpointError)) throw error;
      if (error instanceof ProfileError && error.field === 'apiKeyEnv') {
        throw new Error(profile
          ? `No API key for profile ${profile.name} (${profile.baseUrl}). Run "Patchpilot: Set API Key" and pick ${profile.name}, set the default key, or name an environment variable in its "apiKeyEnv".`
          : `No API key for ${settings.baseUrl}. Run "Patchpilot: Set API Key" (or set OPENAI_API_KEY), or point patchpilot.baseUrl at a local server.`);
      }
      const hint = error instanceof ProfileError && error.field.endsWith('.apiKeyEnv') ? ' (VS Code reads it from the environment it was started from.)' : '';
      throw new Error(`${profile ? `Profile ${profile.name} (patchpilot.providers): ` : ''}${error.message}${hint}`);
    }
    for (const note of connection.notes) this.deps.log.info(note);
    for (const warning of connection.warnings) this.warnOnce(warning);
    return connection;
  }

  private readonly warned = new Set<string>();

  /** A safety warning is shown once per window, not once per task. */
  private warnOnce(message: string): void {
    this.deps.log.warn(message);
    if (this.warned.has(message)) return;
    this.warned.add(message);
    void vscode.window.showWarningMessage(`Patchpilot: ${message}`);
  }

  private readonly approvals = new WeakMap<AgentSession, ApprovalMode>();

  private approvalOf(session: AgentSession): ApprovalMode {
    return this.approvals.get(session) ?? 'ask';
  }

  /** `work`: what runs instead of the session's own loop (parallel attempts), given the panel's timeline. */
  private launch(session: AgentSession, settings: PatchpilotSettings, approval: ApprovalMode, trusted: boolean, resumed = false,
    work?: (timeline: TaskTimeline) => { done: Promise<TaskResult>; cancel(): void }): Promise<TaskResult | undefined> {
    const { panel, log, reviews } = this.deps;
    this.approvals.set(session, trusted ? approval : 'ask');
    reviews.dismissFinal();
    if (!work) this.deps.attempts?.reset();
    const timeline = new TaskTimeline(emptySnapshot().meter);
    panel.reset({ ...emptySnapshot(), taskId: session.taskId, title: session.title, goal: session.goal, status: 'running', statusText: resumed ? 'Resuming' : 'Starting',
      approval: trusted ? approval : 'ask', restricted: !trusted });
    // The task_started event was journaled before this display attached: it sets the title entry, budgets and mode.
    if (session.startEvent) {
      const patch = timeline.apply(session.startEvent);
      if (patch) panel.patch(patch);
    }
    if (!this.deps.chatVisible?.()) panel.show(true);
    const listener = this.attach(session, timeline);
    const model = this.connected?.describe ?? `${settings.model} at ${settings.baseUrl}`;
    this.deps.statusBar.setModel(model, this.connected?.profile ?? null);
    log.info(`task ${session.taskId} ${resumed ? 'resumed' : 'started'} with ${model} (${approval}, ${trusted ? 'trusted' : 'restricted'})`);
    this.lastSession = session;
    if (!work) return this.track(session, listener, session.run());
    const running = work(timeline);
    return this.track(session, listener, running.done, running.cancel);
  }

  /** Streams a session's events (and its reply as it arrives) into the live panel and the chat. */
  private attach(session: AgentSession, timeline: TaskTimeline): { dispose(): void } {
    const { panel } = this.deps;
    const events = session.onEvent((event) => {
      if (event.type === 'safety' && event.sandbox.active === 'off' && event.sandbox.requested !== 'off') this.warnOnce(event.sandbox.note);
      const patch = timeline.apply(event);
      if (patch) panel.patch(patch);
    });
    const streaming = new StreamingBuffer((view) => panel.patch({ streaming: view }));
    const stream = session.onStream((event) => streaming.add(event));
    return { dispose: () => { events.dispose(); stream.dispose(); streaming.dispose(); } };
  }

  /** Marks the session as running until `work` ends, then presents its result. */
  private track(session: AgentSession, listener: { dispose(): void }, work: Promise<TaskResult>, cancel?: () => void): Promise<TaskResult | undefined> {
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.taskRunning, true);
    const done = work.finally(() => {
      listener.dispose();
      this.running = undefined;
      void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.taskRunning, false);
    }).then((result) => this.finish(session, result));
    this.running = { session, done, cancel };
    this.liveEmitter.fire();
    void done.finally(() => this.liveEmitter.fire());
    return done;
  }

  /**
   * The person rejected hunks of an autonomous result: the task reopens, the tests run again, and when they fail
   * the model hears the reasons and goes on within the budget — or the task ends saying the tests fail.
   */
  private continueAfterReview(session: AgentSession, rejections: string[], feedback: string | undefined): void {
    if (this.running) return;
    const timeline = new TaskTimeline(this.deps.panel.snapshot.meter, this.deps.panel.snapshot.timeline.length);
    const listener = session.onEvent((event) => {
      const patch = timeline.apply(event);
      if (patch) this.deps.panel.patch(patch);
    });
    this.deps.log.info(`task ${session.taskId} reopened after the review: ${rejections.length} hunk(s) rejected`);
    void this.track(session, listener, session.continueAfterReview(rejections, feedback));
  }

  private finish(session: AgentSession, result: TaskResult): TaskResult {
    const { log, reviews } = this.deps;
    log.info(`task ${session.taskId} ${result.status}${result.reason ? ` (${result.reason})` : ''}: ${result.summary}`);
    const changes = session.changesForReview();
    // In 'ask' mode every hunk was already decided before it was written; only 'auto' mode needs the final review.
    const reviewing = changes.length > 0 && this.approvalOf(session) === 'auto';
    if (reviewing) reviews.presentFinal(`${changes.length} file(s) changed by the task`, changes, (review) => this.applyFinalReview(session, review));
    this.notify(result, reviewing, session);
    this.finishedEmitter.fire(result);
    return result;
  }

  /** Accepted hunks stay on disk; rejected ones are restored exactly, and the task checks the tests again. */
  private async applyFinalReview(session: AgentSession, review: ChangeReview): Promise<{ applied: boolean; message: string }> {
    const changes = session.changesForReview();
    const restored: string[] = [];
    const skipped: string[] = [];
    for (const file of review.files) {
      const rejected = file.hunks.filter((h) => !h.accepted).map((h) => h.index);
      if (rejected.length === 0) continue;
      const report = await session.rejectHunks(file.path, rejected);
      restored.push(...report.restored);
      skipped.push(...report.skipped.map((s) => `${s.path}: ${s.reason}`));
    }
    const message = skipped.length
      ? `Restored ${restored.length} file(s); not restored (changed since): ${skipped.join('; ')}`
      : restored.length ? `Restored the rejected hunks in ${restored.join(', ')}; the rest stays.` : 'All changes accepted.';
    this.deps.panel.patch({ timelineAppend: [{ kind: 'note', level: skipped.length ? 'warning' : 'info', text: message }] });
    this.deps.log.info(`final review of ${session.taskId}: ${message}`);
    const rejections = describeRejections(review, changes);
    if (rejections.length > 0 && restored.length > 0) this.continueAfterReview(session, rejections, review.feedback?.trim() || undefined);
    return { applied: skipped.length === 0, message };
  }

  /** One message at the end of a task; "Review Changes" only when a review is waiting. */
  private notify(result: TaskResult, reviewWaiting: boolean, session?: AgentSession): void {
    const review = reviewWaiting ? 'Review Changes' : undefined;
    const text = `Patchpilot: ${result.summary}`;
    if (result.reason === 'model_error') {
      // The provider failed: one message, with what can fix it — try again, fix the settings, pick another model.
      void vscode.window.showErrorMessage(text, 'Retry', 'Open Settings', 'Select Model', 'Show Log').then((choice) => {
        if (choice === 'Retry' && session && !this.running) void this.retry(session);
        else if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'patchpilot');
        else if (choice === 'Select Model') void vscode.commands.executeCommand('patchpilot.selectModel');
        else if (choice === 'Show Log') this.deps.log.show();
      });
      return;
    }
    const shown = result.status === 'verified' || result.status === 'unverified' ? vscode.window.showInformationMessage(text, ...(review ? [review] : []))
      : vscode.window.showWarningMessage(text, ...(review ? [review] : []), 'Show Log');
    void shown.then((choice) => {
      if (choice === 'Review Changes') this.deps.panel.show();
      else if (choice === 'Show Log') this.deps.log.show();
    });
  }

  /** Runs a task that failed on the provider again, from where it stopped, with the current settings. */
  private async retry(session: AgentSession): Promise<TaskResult | undefined> {
    const timeline = new TaskTimeline(this.deps.panel.snapshot.meter, this.deps.panel.snapshot.timeline.length);
    const listener = this.attach(session, timeline);
    const connected = await this.modelFor(readSettings());
    this.connected = connected;
    this.deps.statusBar.setModel(connected.describe, connected.profile);
    session.useModel(connected.client);
    return this.track(session, listener, session.continueWith());
  }
}

/** Each rejected hunk in words, with its header and the person's reason: what the model is told. */
function describeRejections(review: ChangeReview, changes: ProposedFileChange[]): string[] {
  const lines: string[] = [];
  for (const file of review.files) {
    const change = changes.find((c) => c.path === file.path);
    for (const decision of file.hunks.filter((h) => !h.accepted)) {
      const hunk = change?.hunks.find((h) => h.index === decision.index);
      const header = hunk ? ` (@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@)` : '';
      lines.push(`${file.path} hunk ${decision.index + 1}${header} rejected${decision.reason ? `: "${decision.reason}"` : ''}`);
    }
  }
  return lines;
}

export function journalDirFor(context: vscode.ExtensionContext): string {
  return path.join((context.storageUri ?? context.globalStorageUri).fsPath, 'tasks');
}
