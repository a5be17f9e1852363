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
import type { ChatMessage, ModelClient, ModelReply, TokenUsage, ToolCallRequest } from './ports';
import { noToolCallNudge, verificationFailed, verificationPassed } from './prompts';
import type { SessionState } from './state';

export interface Ending {
  status: 'verified' | 'failed' | 'stopped';
  reason: StopReason | null;
  summary: string;
}

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
  /** The diff of the task so far, for the feedback after a failed verification. */
  diffSoFar(): string;
  /** Hides known secrets in every tool result before it reaches the model and the journal. */
  mask(text: string): string;
}

export class AgentLoop {
  /** A stop raised by a guard while tools ran (no progress in a test run); ends the task after the current step. */
  pendingStop: GuardStop | null = null;

  constructor(private readonly deps: LoopDeps) {}

  async run(): Promise<Ending> {
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
    const prepared = this.deps.context.prepare(state.messages);
    if (prepared.condensedNow) journal.append({ type: 'context_condensed', beforeTokens: prepared.condensedNow.before, afterTokens: prepared.condensedNow.after });
    const reply = await this.deps.model.complete({
      messages: prepared.messages, tools: this.deps.registry.schemas(), signal,
      onRetry: (info) => journal.append({ type: 'model_retry', attempt: info.attempt, reason: info.reason, delayMs: info.delayMs }),
    });
    throwIfAborted(signal);
    this.recordReply(reply, this.deps.context.estimate(prepared.messages));

    if (reply.toolCalls.length === 0) {
      if (!reply.content.trim()) {
        this.appendMessage({ role: 'user', content: noToolCallNudge() });
        return null;
      }
      // A reply without tool calls counts as finish; its verdict arrives as the next user message.
      const verdict = await this.verify(reply.content);
      if (verdict.message) this.appendMessage({ role: 'user', content: verdict.message });
      return verdict.ending;
    }

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
    const { journal, guards, state } = this.deps;
    const parsed = parseArguments(call.argumentsText);
    if (!parsed.ok) {
      this.appendToolResult(call, { ok: false, code: 'invalid_arguments', message: `${call.name}: ${parsed.message}` });
      return null;
    }
    if (call.name === FINISH_TOOL_NAME && this.deps.registry.has(FINISH_TOOL_NAME)) {
      const invalid = this.deps.registry.validate(call.name, parsed.value);
      const summary = invalid ? '' : (parsed.value as { summary: string }).summary;
      const verdict = await this.verify(summary);
      this.appendToolResult(call, { ok: true, output: verdict.message ?? 'Finished.' });
      return verdict.ending;
    }
    const repeat = guards.noteCall(call.name, parsed.value);
    journal.append({ type: 'tool_started', step: state.steps, id: call.id, name: call.name, args: parsed.value });
    let result = await this.deps.registry.run(call.name, parsed.value, this.deps.toolContext);
    throwIfAborted(this.deps.signal);
    if (repeat.kind === 'warn') result = withNote(result, repeat.message);
    this.appendToolResult(call, result);
    if (repeat.kind === 'stop') return { status: 'stopped', reason: repeat.stop.reason, summary: repeat.stop.message };
    return null;
  }

  /** Runs the verifier: the test command when there is one. Returns the message for the model and, if over, the ending. */
  private async verify(summary: string): Promise<{ message: string | null; ending: Ending | null }> {
    const { state } = this.deps;
    const run = await this.deps.toolContext.tests.runTests(true);
    throwIfAborted(this.deps.signal);
    if (!run) {
      return { message: 'Finished (no test command to verify with).', ending: { status: 'verified', reason: null, summary: summary || 'The model finished.' } };
    }
    if (run.exitCode === 0) {
      return { message: verificationPassed(run), ending: { status: 'verified', reason: null, summary: summary || 'Tests pass.' } };
    }
    state.verificationAttempts++;
    if (this.pendingStop) return { message: this.pendingStop.message, ending: null };
    state.awaitingReflection = true;
    return { message: verificationFailed(run, this.deps.diffSoFar(), state.verificationAttempts), ending: null };
  }

  private recordReply(reply: ModelReply, estimatedPromptTokens: number): void {
    const { state, journal } = this.deps;
    state.steps++;
    addUsage(state.usage, reply.usage);
    if (!reply.usage.estimated) this.deps.context.calibrate(estimatedPromptTokens, reply.usage.promptTokens);
    journal.append({ type: 'model_reply', step: state.steps, content: reply.content, toolCalls: reply.toolCalls, usage: reply.usage, attempts: reply.attempts });
    if (state.awaitingReflection) {
      state.awaitingReflection = false;
      if (reply.content.trim()) journal.append({ type: 'reflection', text: reply.content.trim(), attempt: state.verificationAttempts });
    }
    this.appendMessage({
      role: 'assistant',
      content: reply.content || null,
      ...(reply.toolCalls.length
        ? { tool_calls: reply.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.argumentsText } })) }
        : {}),
    });
  }

  private appendToolResult(call: ToolCallRequest, result: ToolResult): void {
    const { journal, state } = this.deps;
    const content = this.deps.mask(result.ok ? result.output : `ERROR [${result.code}]: ${result.message}`);
    journal.append({
      type: 'tool_finished', step: state.steps, id: call.id, name: call.name, ok: result.ok,
      ...(result.ok ? {} : { code: result.code }), summary: content.slice(0, 2000),
    });
    this.appendMessage({ role: 'tool', tool_call_id: call.id, content });
  }

  private appendMessage(message: ChatMessage): void {
    this.deps.state.messages.push(message);
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
