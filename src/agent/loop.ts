// The agent loop: run() repeats runOne() — one model turn, its tool calls, and verification when the model says it
// is done — until the goal is verified or a guard stops the task. Cancellation is checked at every await.
import { FINISH_TOOL_NAME } from '../tools/finish';
import type { ToolContext } from '../tools/context';
import { parseArguments, type ToolRegistry } from '../tools/registry';
import type { ToolResult } from '../tools/types';
import { ContextManager } from './context';
import type { StopReason } from './events';
import type { Guards, GuardStop } from './guards';
import type { Journal } from './journal';
import { toolCallsFromText } from './model/textToolCalls';
import type { ChatMessage, ModelClient, ModelReply, TokenUsage, ToolCallRequest } from './ports';
import { followUpMessage, noToolCallNudge } from './prompts';
import type { SessionState } from './state';
import type { Verifier } from './verifier';

export interface Ending {
  status: 'verified' | 'unverified' | 'failed' | 'stopped';
  reason: StopReason | null;
  summary: string;
}

/** The reply as it streams in; not journaled (the finished reply is). `restart`: a retry starts the text over. */
export type StreamEvent =
  | { type: 'text'; step: number; delta: string }
  | { type: 'calls'; step: number; calls: { name: string; argumentsText: string }[] }
  | { type: 'restart'; step: number }
  | { type: 'end'; step: number };

export interface LoopDeps {
  state: SessionState;
  model: ModelClient;
  registry: ToolRegistry;
  guards: Guards;
  journal: Journal;
  context: ContextManager;
  toolContext: ToolContext;
  signal: AbortSignal;
  now(): number;
  verifier: Verifier;
  /** Saves a tool output too large for the window; returns the workspace-relative path the model can read. */
  spill(callId: string, text: string): string | null;
  /** Hides known secrets in every tool result before it reaches the model and the journal. */
  mask(text: string): string;
  onStream?(event: StreamEvent): void;
  /** Messages the person sent while the task ran, taken at the next safe point (before a model call). */
  takeFollowUps?(): string[];
  /** A role's own conversation (planner, verifier); default: the task's, which the coder carries and resume replays. */
  messages?: ChatMessage[];
  /** A role's closing tool (submit_plan, submit_verdict): once it ran without error, the role's phase is over. */
  endsWith?: string;
}

export class AgentLoop {
  /** A stop raised by a guard while tools ran (no progress in a test run); ends the task after the current step. */
  pendingStop: GuardStop | null = null;

  constructor(private readonly deps: LoopDeps) {}

  /** The model for the next calls (escalation to a stronger model); the conversation goes on unchanged. */
  useModel(model: ModelClient): void {
    this.deps.model = model;
  }

  get model(): ModelClient {
    return this.deps.model;
  }

  private get messages(): ChatMessage[] {
    return this.deps.messages ?? this.deps.state.messages;
  }

  /**
   * `afterReview`: the task was reopened because the person rejected part of its result; verification comes first,
   * and only a failure (told to the model with the person's reasons) sends the loop on.
   */
  async run(afterReview?: string): Promise<Ending> {
    if (afterReview !== undefined) {
      const first = await this.verifyAfterReview(afterReview);
      if (first) return first;
    }
    for (;;) {
      throwIfAborted(this.deps.signal);
      const budgetStop = this.deps.guards.checkBudget(this.spend());
      if (budgetStop) return { status: 'stopped', reason: budgetStop.reason, summary: budgetStop.message };
      const ending = await this.runOne();
      if (ending) return ending;
      if (this.pendingStop) return { status: 'stopped', reason: this.pendingStop.reason, summary: this.pendingStop.message };
    }
  }

  /** One model turn and its tool calls. Returns an ending when the task is over. */
  async runOne(): Promise<Ending | null> {
    const { state, journal, signal } = this.deps;
    // The safe point: between a tool result and the next model call, the person's follow-ups join the conversation.
    for (const text of this.deps.takeFollowUps?.() ?? []) {
      journal.append({ type: 'follow_up', text });
      this.appendMessage({ role: 'user', content: followUpMessage(text) });
    }
    const prepared = this.deps.context.prepare(this.messages);
    if (prepared.condensedNow) journal.append({ type: 'context_condensed', beforeTokens: prepared.condensedNow.before, afterTokens: prepared.condensedNow.after });
    const step = state.steps + 1;
    const stream = this.deps.onStream;
    let reply: ModelReply;
    try {
      reply = await this.deps.model.complete({
        messages: prepared.messages, tools: this.deps.registry.schemas(), signal,
        onRetry: (info) => {
          stream?.({ type: 'restart', step });
          journal.append({ type: 'model_retry', attempt: info.attempt, reason: info.reason, delayMs: info.delayMs });
        },
        ...(stream ? {
          onTextDelta: (delta: string) => stream({ type: 'text', step, delta }),
          onToolCallsDelta: (calls: { name: string; argumentsText: string }[]) => stream({ type: 'calls', step, calls }),
        } : {}),
      });
    } finally {
      stream?.({ type: 'end', step });
    }
    throwIfAborted(signal);
    const withCalls = this.recoverTextToolCalls(reply);
    this.recordReply(withCalls.reply, this.deps.context.estimate(prepared.messages), withCalls.format);

    if (withCalls.reply.toolCalls.length === 0) {
      // Text alone is neither an action nor a finish: ask for one, and stop a model that keeps replying in prose.
      const stop = this.deps.guards.noteTextOnlyReply();
      if (stop) return { status: 'stopped', reason: stop.reason, summary: stop.message };
      this.appendMessage({ role: 'user', content: noToolCallNudge() });
      return null;
    }
    reply.toolCalls = withCalls.reply.toolCalls;

    let ending: Ending | null = null;
    for (const call of reply.toolCalls) {
      if (ending) {
        this.appendToolResult(call, { ok: false, code: 'cancelled', message: 'Not run: the task had already ended.' });
        continue;
      }
      ending = await this.runToolCall(call);
    }
    return ending;
  }

  private async runToolCall(call: ToolCallRequest): Promise<Ending | null> {
    const { journal, guards, state, registry } = this.deps;
    const parsed = parseArguments(call.argumentsText);
    // A call that cannot even run (bad JSON, an unknown tool, arguments against the schema) counts toward a stop.
    const invalid = parsed.ok ? registry.validate(call.name, parsed.value) : { ok: false as const, code: 'invalid_arguments' as const, message: `${call.name}: ${parsed.message}` };
    if (invalid && !invalid.ok && !(call.name === FINISH_TOOL_NAME && parsed.ok)) {
      this.appendToolResult(call, invalid);
      const stop = guards.noteInvalidCall(invalid.message);
      return stop ? { status: 'stopped', reason: stop.reason, summary: stop.message } : null;
    }
    guards.noteValidCall();
    const args = parsed.ok ? parsed.value : {};
    if (call.name === FINISH_TOOL_NAME && registry.has(FINISH_TOOL_NAME)) {
      const summary = invalid ? '' : (args as { summary: string }).summary;
      const verification = await this.deps.verifier.verify(summary);
      throwIfAborted(this.deps.signal);
      journal.append({ type: 'verdict', status: verification.verdict.status, summary: verification.verdict.summary, testChanges: (state.testChanges ?? []).map((c) => c.path) });
      this.appendToolResult(call, { ok: true, output: verification.message });
      return verification.ending;
    }
    const repeat = guards.noteCall(call.name, args);
    journal.append({ type: 'tool_started', step: state.steps, id: call.id, name: call.name, args });
    let result = await registry.run(call.name, args, this.deps.toolContext);
    throwIfAborted(this.deps.signal);
    if (repeat.kind === 'warn') result = withNote(result, repeat.message);
    this.appendToolResult(call, result);
    if (repeat.kind === 'stop') return { status: 'stopped', reason: repeat.stop.reason, summary: repeat.stop.message };
    // A role's phase ends with its closing tool; the status is the phase's, never the task's (the orchestrator reads the tool's output).
    if (result.ok && call.name === this.deps.endsWith) return { status: 'unverified', reason: null, summary: result.output };
    return null;
  }

  private async verifyAfterReview(rejections: string): Promise<Ending | null> {
    const verification = await this.deps.verifier.verify('');
    throwIfAborted(this.deps.signal);
    this.deps.journal.append({ type: 'verdict', status: verification.verdict.status, summary: verification.verdict.summary, testChanges: (this.deps.state.testChanges ?? []).map((c) => c.path) });
    if (verification.ending) {
      const kept = verification.ending.status === 'verified' ? 'Your rejected hunks were restored, and' : 'Your rejected hunks were restored;';
      return { ...verification.ending, summary: `${kept} ${verification.verdict.summary.charAt(0).toLowerCase()}${verification.verdict.summary.slice(1)}` };
    }
    const budgetStop = this.deps.guards.checkBudget(this.spend());
    if (budgetStop) {
      return { status: 'failed', reason: 'tests_failing', summary: `The tests fail after your rejections (${verification.verdict.summary}), and the budget is spent (${budgetStop.message}).` };
    }
    this.appendMessage({ role: 'user', content: `${rejections}\n\n${verification.message}` });
    return null;
  }

  /** Tool calls a server without a tool-call parser left in the text, turned back into calls. */
  private recoverTextToolCalls(reply: ModelReply): { reply: ModelReply; format?: string } {
    if (reply.toolCalls.length > 0 || !reply.content.trim()) return { reply };
    const names = new Set(this.deps.registry.schemas().map((tool) => tool.name));
    const found = toolCallsFromText(reply.content, names);
    if (!found) return { reply };
    const stamp = `${this.deps.state.steps + 1}`;
    const toolCalls = found.calls.map((call, i) => ({ id: `text_call_${stamp}_${i}`, name: call.name, argumentsText: call.argumentsText }));
    return { reply: { ...reply, content: found.rest, toolCalls }, format: found.format };
  }

  private recordReply(reply: ModelReply, estimatedPromptTokens: number, toolCallsFromText?: string): void {
    const { state, journal } = this.deps;
    state.steps++;
    addUsage(state.usage, reply.usage);
    if (!reply.usage.estimated) this.deps.context.calibrate(estimatedPromptTokens, reply.usage.promptTokens);
    journal.append({ type: 'model_reply', step: state.steps, content: reply.content, toolCalls: reply.toolCalls, usage: reply.usage, attempts: reply.attempts, model: this.deps.model.model,
      ...(toolCallsFromText ? { toolCallsFromText } : {}) });
    if (state.awaitingReflection) {
      state.awaitingReflection = false;
      if (reply.content.trim()) journal.append({ type: 'reflection', text: reply.content.trim(), attempt: state.verificationAttempts });
    }
    for (const message of reply.warnings ?? []) journal.append({ type: 'warning', message });
    // The provider's own fields (reasoning, signatures) go back with the message: some providers reject a history without them.
    this.appendMessage({
      role: 'assistant',
      content: reply.content || null,
      ...(reply.toolCalls.length
        ? { tool_calls: reply.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.argumentsText }, ...(c.extra ? { extra: c.extra } : {}) })) }
        : {}),
      ...(reply.extra ? { extra: reply.extra } : {}),
    });
  }

  private appendToolResult(call: ToolCallRequest, result: ToolResult): void {
    const { journal, state } = this.deps;
    // Masked first, then capped against the window: the rest goes to a file the model can read by line range.
    const content = this.deps.context.capToolOutput(this.deps.mask(result.ok ? result.output : `ERROR [${result.code}]: ${result.message}`),
      (text) => this.deps.spill(call.id, text));
    const exitCode = result.ok ? exitCodeOf(result.data) : undefined;
    journal.append({
      type: 'tool_finished', step: state.steps, id: call.id, name: call.name, ok: result.ok,
      ...(result.ok ? {} : { code: result.code }), ...(exitCode !== undefined ? { exitCode } : {}), summary: content.slice(0, 2000),
    });
    this.appendMessage({ role: 'tool', tool_call_id: call.id, content });
  }

  private appendMessage(message: ChatMessage): void {
    this.messages.push(message);
    this.deps.journal.append({ type: 'message', message });
  }

  private spend() {
    const { state } = this.deps;
    return {
      steps: state.steps,
      totalTokens: state.usage.promptTokens + state.usage.completionTokens,
      costUsd: state.usage.costUsd,
      elapsedMs: this.deps.now() - state.runStartedAt,
    };
  }
}

function exitCodeOf(data: unknown): number | null | undefined {
  if (typeof data !== 'object' || data === null || !('exitCode' in data)) return undefined;
  const code: unknown = Reflect.get(data, 'exitCode');
  return typeof code === 'number' || code === null ? code : undefined;
}

function withNote(result: ToolResult, note: string): ToolResult {
  return result.ok ? { ...result, output: `${result.output}\n${note}` } : { ...result, message: `${result.message}\n${note}` };
}

export function addUsage(total: TokenUsage, add: TokenUsage): void {
  total.promptTokens += add.promptTokens;
  total.completionTokens += add.completionTokens;
  if (add.costUsd !== null) total.costUsd = (total.costUsd ?? 0) + add.costUsd;
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) {
    const error = new Error('The task was cancelled.');
    error.name = 'AbortError';
    throw error;
  }
}
