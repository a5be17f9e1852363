// A Session owns one task: goal, plan, change set, budget, journal and events. It wires the services the tools use
// and runs the loop; it can be resumed from its journal after a crash or a window reload.
import { existsSync } from 'node:fs';
import { ChangeSet } from '../tools/changes/changeSet';
import { createCheckpoint } from '../tools/changes/checkpoint';
import { cleanupStaleWorktrees } from '../tools/changes/worktrees';
import type { ToolContext } from '../tools/context';
import { ALL_TOOLS, ToolRegistry } from '../tools/registry';
import type { McpHub } from '../tools/mcp/hub';
import { SessionMcpGate, startMcpTools, type McpTools } from './mcpGate';
import type { PlanItem } from '../tools/types';
import { NodeWorkspace } from '../tools/workspace/nodeWorkspace';
import type { Workspace } from '../tools/workspace/types';
import { SessionChangeWriter } from './changeWriter';
import { ContextManager, DEFAULT_CONTEXT } from './context';
import type { TaskEvent, TaskEventBody } from './events';
import type { FileChange } from '../tools/edits/types';
import type { TestRunRecord, ToolResult } from '../tools/types';
import { SessionGates } from './gates';
import { DEFAULT_BUDGETS, Guards } from './guards';
import { Journal } from './journal';
import { AgentLoop, type Ending, type StreamEvent } from './loop';
import { PathPolicy } from './policy/pathPolicy';
import { systemClock, type Clock, type ModelClient, type ProposedFileChange } from './ports';
import { MemoryGate, memoryTools } from './memoryGate';
import { loadMemory, loadRules } from './projectContext';
import { TestLedger } from './verdict/ledger';
import { Verifier } from './verifier';
import { goalMessage, systemPrompt } from './prompts';
import { replayJournal } from './replay';
import { TaskSafety } from './safety';
import { boundedDiff, endingForError, newTaskId, prepareTaskSafety, spillToolOutput, summarizeSafety } from './sessionSupport';
import type { SessionState } from './state';
import { buildResult, type TaskResult } from './result';
import { RoleLedger } from './orchestrator/costs';
import { EscalationPolicy } from './orchestrator/escalation';
import { runWithRoles, type RoleHost, type RolePhaseSpec } from './orchestrator/orchestrator';
import { readOnlyContext, RoleToolRegistry } from './orchestrator/roles';
import { createTargeting, triageIfDue } from './triage/sessionTriage';

import type { ResumeOptions, SessionOptions } from './sessionOptions';

export type { ResumeOptions, SessionOptions } from './sessionOptions';

export class AgentSession {
  private readonly journal: Journal;
  private readonly workspace: Workspace;
  private readonly pathPolicy: PathPolicy;
  private readonly changeSet: ChangeSet;
  private abort = new AbortController();
  private readonly clock: Clock;
  private running = false;
  private safety: TaskSafety | undefined;
  private readonly ledger = new TestLedger();
  private readonly followUps: string[] = [];
  private readonly streamListeners = new Set<(event: StreamEvent) => void>();

  private readonly startedEvent: TaskEvent | undefined;
  /** Calls, tokens and cost per role and per model, the escalation and the verifier's verdict, from the events. */
  private readonly roleLedger: RoleLedger;
  private readonly escalation: EscalationPolicy;
  private gates: SessionGates | undefined;
  private targeting: ReturnType<typeof createTargeting> | undefined;
  private triaging = false;
  /** The writer and verifier of the last loop built, for applyAndVerify (parallel attempts). */
  private built: { writer: SessionChangeWriter; verifier: Verifier } | undefined;

  private constructor(private options: SessionOptions, private readonly state: SessionState, journal: Journal, events: TaskEvent[]) {
    this.startedEvent = events.find((event) => event.type === 'task_started');
    this.clock = options.clock ?? systemClock;
    this.journal = journal;
    this.pathPolicy = new PathPolicy(options.cwd, { extraProtected: options.extraProtected, unprotected: options.unprotected });
    this.workspace = new NodeWorkspace(options.cwd, this.pathPolicy);
    this.changeSet = new ChangeSet(this.workspace);
    this.roleLedger = RoleLedger.from(events, state.config.model);
    journal.onEvent((event) => this.roleLedger.note(event));
    this.escalation = new EscalationPolicy(options.escalateTo, this.roleLedger.escalation !== null);
    for (const event of events) {
      if (event.type === 'file_changed') this.changeSet.record(event.change);
      if (event.type === 'test_run') this.ledger.add(event.run, event.verification, event.signature);
    }
  }

  static create(options: SessionOptions): AgentSession {
    const clock = options.clock ?? systemClock;
    const taskId = options.taskId ?? newTaskId(clock.now());
    const journal = new Journal(Journal.pathFor(options.journalDir, taskId), clock);
    const budgets = { ...DEFAULT_BUDGETS, ...options.budgets };
    const trusted = options.trusted ?? true;
    const testCommand = trusted ? options.testCommand ?? null : null;
    const state: SessionState = {
      taskId,
      config: { goal: options.goal, ...(options.title && options.title !== options.goal ? { title: options.title } : {}), cwd: options.cwd, testCommand, approval: options.approval, model: options.model.model, budgets,
        ...(options.roles ? { roles: { planner: options.roles.models.planner.model, verifier: options.roles.models.verifier.model } } : {}),
        ...(options.escalateTo ? { escalateModel: options.escalateTo.model } : {}) },
      messages: [], plan: [], steps: 0,
      usage: { promptTokens: 0, completionTokens: 0, costUsd: null },
      testRuns: [], verificationAttempts: 0, awaitingReflection: false,
      checkpoint: null, checkpointTaken: false, runStartedAt: clock.now(),
    };
    const started = journal.append({ type: 'task_started', taskId, config: state.config });
    const session = new AgentSession(options, state, journal, [started]);
    const system = systemPrompt({
      root: options.cwd, testCommand, review: options.approval === 'ask' || !trusted, trusted,
      rules: loadRules(options.cwd), memory: loadMemory(options.cwd),
    });
    session.appendMessage({ role: 'system', content: system });
    session.appendMessage({ role: 'user', content: goalMessage(options.goal) });
    return session;
  }

  /**
   * A finished task of an earlier window, opened again to go on with a follow-up: its journal says it was reopened,
   * then it is resumed like an interrupted one.
   */
  static reopen(journalDir: string, taskId: string, options: ResumeOptions, reason: string): AgentSession {
    const path = Journal.pathFor(journalDir, taskId);
    if (!existsSync(path)) throw new Error(`No task ${taskId} in ${journalDir}.`);
    const events = Journal.read(path);
    const journal = new Journal(path, options.clock ?? systemClock, events.length ? events[events.length - 1].seq : 0);
    journal.append({ type: 'task_reopened', reason });
    journal.close();
    return AgentSession.resume(journalDir, taskId, options);
  }

  /** Rebuilds a task from its journal (messages, plan, changes, spend) so run() continues where it stopped. */
  static resume(journalDir: string, taskId: string, options: ResumeOptions): AgentSession {
    const path = Journal.pathFor(journalDir, taskId);
    if (!existsSync(path)) throw new Error(`No task ${taskId} in ${journalDir}.`);
    const events = Journal.read(path);
    const clock = options.clock ?? systemClock;
    const replayed = replayJournal(events, clock.now());
    const journal = new Journal(path, clock, events.length ? events[events.length - 1].seq : 0);
    const config = replayed.state.config;
    const session = new AgentSession({ ...options, goal: config.goal, cwd: config.cwd, testCommand: config.testCommand, taskId, budgets: config.budgets }, replayed.state, journal, events);
    journal.append({ type: 'task_resumed', taskId });
    for (const message of replayed.danglingResults) session.appendMessage(message);
    return session;
  }

  get taskId(): string {
    return this.state.taskId;
  }

  get goal(): string {
    return this.state.config.goal;
  }

  /** The task in the person's words (the goal when it was not expanded). */
  get title(): string {
    return this.state.config.title ?? this.state.config.goal;
  }

  /** The task_started event, so a display attached after create() or resume() can show the task from its start. */
  get startEvent(): TaskEvent | undefined {
    return this.startedEvent;
  }

  get plan(): readonly PlanItem[] {
    return this.state.plan;
  }

  onEvent(listener: (event: TaskEvent) => void): { dispose(): void } {
    return this.journal.onEvent(listener);
  }

  cancel(): void {
    this.abort.abort();
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** The reply as it streams in (not journaled). */
  onStream(listener: (event: StreamEvent) => void): { dispose(): void } {
    this.streamListeners.add(listener);
    return { dispose: () => this.streamListeners.delete(listener) };
  }

  /** A message for the running task, delivered before its next model call; false when it is not running. */
  steer(text: string): boolean {
    if (!this.running) return false;
    this.followUps.push(text);
    return true;
  }

  /** Goes on with a finished task in the same session: the person's message (if any) starts the next turn. */
  async continueWith(text?: string, signal?: AbortSignal): Promise<TaskResult> {
    if (this.running) throw new Error('This task is running: send the message with steer().');
    this.journal.append({ type: 'task_reopened', reason: text === undefined ? 'retry' : 'follow-up' });
    if (text !== undefined) this.followUps.push(text);
    return this.run(signal);
  }

  /** Another model for the next run (a retry after the person fixed the settings). */
  useModel(model: ModelClient): void {
    this.options.model = model;
  }

  /**
   * After the person rejected hunks of an autonomous result (already restored): the task reopens, the tests run
   * again, and if they fail the model gets the person's reasons and goes on within the budget.
   */
  async continueAfterReview(rejections: string[], feedback?: string, signal?: AbortSignal): Promise<TaskResult> {
    const lines = ['The person reviewed the result and rejected part of it; those hunks are restored to the original:',
      ...rejections.map((line) => `- ${line}`), ...(feedback ? [`Their note: "${feedback}"`] : []),
      'Take the reasons into account: do not reintroduce what was rejected.'];
    this.journal.append({ type: 'task_reopened', reason: lines.join('\n') });
    return this.run(signal, lines.join('\n'));
  }

  /** Appends an orchestrator's event (parallel attempts) to this task's journal. */
  record(body: TaskEventBody): void {
    this.journal.append(body);
  }

  /**
   * Parallel attempts: writes a change set made elsewhere (the chosen attempt's worktree) through the writer the
   * agent's own edits use — per-hunk review under 'ask', a checkpoint before the first write, a file changed on disk
   * refused — then verifies in this task's tree and finishes the task. `baseline`: the tests as they ran at the start
   * (in the attempt's worktree, from the same checkpoint), so the verdict knows what ran before. Without changes and
   * with `fallback`, the task ends with it and nothing runs.
   */
  async applyAndVerify(changes: FileChange[], input: { title: string; summary: string; baseline?: { run: TestRunRecord; signature: string }; fallback?: Ending },
    signal?: AbortSignal): Promise<{ result: TaskResult; applied: ToolResult | null }> {
    const onOuterAbort = this.beginRun(signal);
    let ending: Ending;
    let applied: ToolResult | null = null;
    let dispose = () => undefined as void;
    try {
      const safety = await this.prepareSafety();
      dispose = this.buildLoop(safety, undefined, undefined).dispose;
      const { writer, verifier } = this.built!;
      const { state } = this;
      if (input.baseline && state.testRuns.length === 0) {
        state.baselineRun = 0;
        state.testRuns.push(input.baseline.run);
        const step = this.ledger.add(input.baseline.run, false, input.baseline.signature);
        this.journal.append({ type: 'test_run', run: input.baseline.run, signature: input.baseline.signature, verification: false, ledger: step });
      }
      if (changes.length) applied = await writer.apply(changes, input.title);
      if (!changes.length && input.fallback) {
        ending = input.fallback;
      } else {
        const verification = await verifier.verify(input.summary);
        this.journal.append({ type: 'verdict', status: verification.verdict.status, summary: verification.verdict.summary, testChanges: (state.testChanges ?? []).map((c) => c.path) });
        ending = verification.ending ?? { status: 'failed', reason: 'tests_failing', summary: `${input.summary} — ${verification.verdict.summary}` };
      }
    } catch (error) {
      ending = endingForError(error);
    } finally {
      dispose();
      signal?.removeEventListener('abort', onOuterAbort);
      this.running = false;
      await this.safety?.close();
    }
    this.journal.append({ type: 'task_finished', status: ending.status, reason: ending.reason, summary: ending.summary });
    this.journal.close();
    return { result: this.resultOf(ending), applied };
  }

  /** Marks the task running and ties an outer signal to it; returns the listener to remove when the run ends. */
  private beginRun(signal: AbortSignal | undefined): () => void {
    if (this.running) throw new Error('This task is already running.');
    this.running = true;
    // A stopped run leaves its controller aborted; a follow-up or a review starts the next run afresh.
    if (this.abort.signal.aborted) this.abort = new AbortController();
    const onOuterAbort = () => this.abort.abort();
    signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (signal?.aborted) this.abort.abort();
    return onOuterAbort;
  }

  async run(signal?: AbortSignal, afterReview?: string): Promise<TaskResult> {
    const onOuterAbort = this.beginRun(signal);
    this.state.runStartedAt = this.clock.now();
    let ending: Ending;
    let hub: McpHub | undefined;
    try {
      const safety = await this.prepareSafety();
      // The task's MCP servers as registry entries; none in an untrusted workspace.
      const mcp = await startMcpTools(this.options, safety, this.journal);
      hub = mcp?.hub;
      ending = this.options.roles
        ? await runWithRoles(this.roleHost(safety, mcp), this.options.roles, afterReview)
        : await this.runPhase(safety, mcp, undefined, afterReview);
    } catch (error) {
      ending = endingForError(error);
    } finally {
      signal?.removeEventListener('abort', onOuterAbort);
      this.running = false;
      // Servers stop with the task (a stdio server's whole process tree, through the sandbox's PID namespace).
      await hub?.close();
      await this.safety?.close();
    }
    this.journal.append({ type: 'task_finished', status: ending.status, reason: ending.reason, summary: ending.summary });
    this.journal.close();
    return this.resultOf(ending);
  }

  private resultOf(ending: Ending): TaskResult {
    const roles = this.roleLedger;
    return buildResult(this.state, ending, this.changes(), this.safetySummary(), (text) => this.safety?.masker.mask(text) ?? text, this.ledger.steps,
      { roles: roles.roles, usageByModel: roles.models, escalation: roles.escalation, verifier: roles.verifier });
  }

  /** Before the first model call of a fresh task: triage (when asked for), its findings into the first prompt. */
  /** Its runs are no role's, and not the model's for the no-progress guard. */
  private async triageIfDue(gates: SessionGates, safety: TaskSafety): Promise<boolean> {
    const role = this.journal.role;
    this.journal.role = undefined;
    this.triaging = true;
    try {
      return await triageIfDue({ option: this.options.trusted === false ? null : this.options.triage, state: this.state, gates, journal: this.journal,
        pathPolicy: this.pathPolicy, targeting: this.targeting, mask: (text) => safety.masker.mask(text), now: () => this.clock.now(),
        appendMessage: (text) => this.appendMessage({ role: 'user', content: text }) });
    } finally {
      this.triaging = false;
      this.journal.role = role;
    }
  }

  /** The sandbox, environment, secrets and test guard of this run, decided once and journaled. */
  private async prepareSafety(): Promise<TaskSafety> {
    this.safety = await prepareTaskSafety(this.options, this.state, this.pathPolicy, this.journal);
    return this.safety;
  }

  private safetySummary(): TaskResult['safety'] {
    return this.safety ? summarizeSafety(this.safety, this.options.allowHosts ?? []) : null;
  }

  /** The cumulative change set of the task, per file with hunks. */
  changes(): ProposedFileChange[] {
    return this.changeSet.proposed();
  }

  /** The change set as the person reviews it: hunk lines with known secrets hidden (indices unchanged). */
  changesForReview(): ProposedFileChange[] {
    const masker = this.safety?.masker;
    const changes = this.changes();
    if (!masker || masker.size === 0) return changes;
    return changes.map((c) => ({ ...c, hunks: c.hunks.map((h) => ({ ...h, lines: h.lines.map((line) => masker.mask(line)) })) }));
  }

  /** Restores exactly the given hunks (auto mode, after the task); refuses a file someone else changed since. */
  async rejectHunks(path: string, hunkIndices: number[]) {
    const before = this.changeSet.lastWritten(path);
    const report = await this.changeSet.rejectHunks(path, hunkIndices);
    // Journaled like any write, so a resumed or reopened task knows the file's content.
    const after = this.changeSet.lastWritten(path);
    if (report.restored.length && before !== undefined && after !== undefined) this.journal.append({ type: 'file_changed', change: { path, before, after } });
    return report;
  }

  /** Restores every file the task changed to its pre-image, except files changed on disk since. */
  async undo() {
    return this.changeSet.undoAll();
  }

  /** What the orchestrator drives: one loop per role's phase over this task's services, state and journal. */
  private roleHost(safety: TaskSafety, mcp: McpTools | undefined): RoleHost {
    const { state, options } = this;
    return {
      journal: this.journal, goal: state.config.goal, ledger: this.roleLedger,
      get steps() { return state.steps; },
      promptInput: () => ({ root: options.cwd, testCommand: state.config.testCommand, rules: loadRules(options.cwd), memory: loadMemory(options.cwd) }),
      runPhase: (spec, afterReview) => this.runPhase(safety, mcp, spec, afterReview),
      tellCoder: (text) => this.appendMessage({ role: 'user', content: text }),
      diff: () => safety.masker.mask(this.diffSoFar()),
      testVerdict: () => state.verdict ?? null,
      coderModel: () => this.escalation.coderModel(options.model),
    };
  }

  /** One loop until it ends: the coder's (spec absent or role coder) or a read-only role's. */
  private async runPhase(safety: TaskSafety, mcp: McpTools | undefined, spec: RolePhaseSpec | undefined, afterReview?: string): Promise<Ending> {
    const { loop, dispose } = this.buildLoop(safety, mcp, spec);
    try {
      // Triage runs once, before the task's first model call, whichever role makes it.
      if (afterReview === undefined && this.gates) await this.triageIfDue(this.gates, safety);
      return await loop.run(afterReview);
    } finally {
      dispose();
    }
  }

  private buildLoop(safety: TaskSafety, mcp: McpTools | undefined, spec: RolePhaseSpec | undefined): { loop: AgentLoop; dispose(): void } {
    const { options, state, journal } = this;
    const signal = this.abort.signal;
    const trusted = options.trusted ?? true;
    const guards = new Guards(state.config.budgets);
    const writer = new SessionChangeWriter({
      taskId: state.taskId, workspace: this.workspace, changeSet: this.changeSet, approver: options.approver,
      review: options.approval === 'ask' || !trusted, journal, signal,
      ensureCheckpoint: () => this.ensureCheckpoint(), testGuard: safety.testGuard, mask: (text) => safety.masker.mask(text),
    });
    let loop: AgentLoop | undefined;
    const gates = new SessionGates({
      taskId: state.taskId, cwd: options.cwd, runner: options.runner, approver: options.approver,
      commandRules: options.commandRules ?? {}, pathPolicy: this.pathPolicy, trusted, testCommand: state.config.testCommand,
      testTimeoutMs: options.testTimeoutMs ?? 300_000, signal, approval: options.approval, safety,
      ensureCheckpoint: () => this.ensureCheckpoint(),
      // One targeting state for the whole task: every role's phase shares what failed last.
      targeting: this.targeting ??= createTargeting(options.targetedRuns, state),
      onTestRun: (run, signature, verification) => {
        // A failing test's file is a test file, whatever its name: it is protected like the others.
        if (!run.originalTests) safety.testGuard?.addReported(run.failures.flatMap((f) => (f.file ? [f.file] : [])), (file) => this.existedAtStart(file));
        // The first run before any change is what "the tests at the start" means for the verdict.
        if ((state.baselineRun === undefined || state.baselineRun === null) && this.changeSet.proposed().length === 0) state.baselineRun = state.testRuns.length;
        state.testRuns.push(run);
        const step = this.ledger.add(run, verification, signature);
        journal.append({ type: 'test_run', run, signature, verification, ledger: step });
        // Triage's baseline run is not the model's: "no progress" counts from the model's own runs.
        const stop = this.triaging ? null : guards.noteTestRun(step.progress, run.exitCode === 0);
        // No progress with a stronger model configured: the coder goes on with it (once) instead of stopping.
        if (stop && loop && !this.escalation.apply(stop, journal.role, loop, journal, state.steps, () => guards.resetNoProgress())) loop.pendingStop = stop;
      },
      onCommandApproval: (command, reason, approved) => journal.append({ type: 'command_approval', command, reason, approved }),
      onCommandRun: (record) => journal.append({ type: 'command_run', ...record }),
    });
    this.gates = gates;
    const fileListener = journal.onEvent((event) => {
      if (event.type === 'file_changed') guards.noteFileChanged();
    });
    const toolContext: ToolContext = {
      workspace: this.workspace, writer, commands: gates, tests: gates, signal,
      setPlan: (items) => {
        state.plan = items;
        journal.append({ type: 'plan_updated', items });
      },
      ...memoryTools(new MemoryGate({ taskId: state.taskId, trusted, workspace: this.workspace, writer, journal, now: () => this.clock.now() })),
      ...(mcp ? { mcp: new SessionMcpGate({
        taskId: state.taskId, hub: mcp.hub, approval: options.approval, approver: options.approver, allow: options.mcpAllow ?? [], signal,
        onDecision: (server, tool, approved, how) => journal.append({ type: 'mcp_approval', server, tool, approved, how }),
      }) } : {}),
    };
    const readOnly = spec?.readOnly;
    // A read-only role gets only its tools, and write and command services that refuse (src/agent/orchestrator/roles.ts).
    const registry = readOnly && spec ? new RoleToolRegistry(spec.role, readOnly.tools)
      : new ToolRegistry([...ALL_TOOLS, ...((mcp?.tools ?? []) as unknown as typeof ALL_TOOLS)]);
    const reservedTokens = Math.ceil(JSON.stringify(registry.schemas()).length / 4);
    const verifier = new Verifier({
      state, gates, ledger: this.ledger, changeSet: this.changeSet, root: options.cwd, pathPolicy: this.pathPolicy,
      diffSoFar: () => safety.masker.mask(this.diffSoFar()),
      pendingStopMessage: () => loop?.pendingStop?.message ?? null,
    });
    this.built = { writer, verifier };
    loop = new AgentLoop({
      state, model: spec?.model ?? this.escalation.coderModel(options.model), registry, guards, journal,
      context: new ContextManager({ ...DEFAULT_CONTEXT, reservedTokens, ...options.context }), signal,
      toolContext: readOnly && spec ? readOnlyContext(toolContext, spec.role, readOnly.mayRunTests) : toolContext,
      ...(readOnly ? { messages: readOnly.messages, endsWith: readOnly.closing } : {}),
      now: () => this.clock.now(),
      verifier,
      spill: (callId, text) => spillToolOutput(options.cwd, state.taskId, callId, text),
      mask: (text) => safety.masker.mask(text),
      onStream: (event) => {
        for (const listener of this.streamListeners) {
          try {
            listener(event);
          } catch {
            // A failing display must not break the task.
          }
        }
      },
      // The person's messages go to the coder, whose conversation carries the task; a read-only role leaves them waiting.
      ...(readOnly ? {} : { takeFollowUps: () => this.followUps.splice(0) }),
    });
    return { loop, dispose: () => fileListener.dispose() };
  }

  private async ensureCheckpoint(): Promise<void> {
    if (this.state.checkpointTaken) return;
    this.state.checkpointTaken = true;
    const checkpoint = await createCheckpoint(this.options.cwd, this.state.taskId).catch(() => null);
    this.state.checkpoint = checkpoint;
    this.journal.append({ type: 'checkpoint', ref: checkpoint?.ref ?? null, commit: checkpoint?.commit ?? null });
    // Worktrees a crashed run left behind (attempts, verification of the original tests) go before they pile up.
    const leftovers = await cleanupStaleWorktrees(this.options.cwd).catch(() => []);
    if (leftovers.length) this.journal.append({ type: 'warning', message: `Removed ${leftovers.length} worktree(s) left by an earlier run that ended abruptly: ${leftovers.map((w) => w.purpose).join(', ')}.` });
  }

  /** A file existed at the start when the task did not create it. */
  private existedAtStart(relative: string): boolean {
    const change = this.changeSet.proposed().find((c) => c.path === relative);
    return change ? change.before !== null : existsSync(`${this.options.cwd}/${relative}`);
  }

  private diffSoFar(): string {
    return boundedDiff(this.changes());
  }

  private appendMessage(message: SessionState['messages'][number]): void {
    this.state.messages.push(message);
    this.journal.append({ type: 'message', message });
  }
}
