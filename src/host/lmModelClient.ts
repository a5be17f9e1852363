// The ModelClient over a chat model that VS Code's Language Model API offers (Copilot's, or any extension's): native
// tool calls, streamed text, token counts from the model's own tokenizer, errors that say what to do. It talks to the
// model through the small LmChat port below; vscodeLm.ts implements that port over vscode.lm, tests over a fake, so
// this file needs no 'vscode' at runtime.
import { cancelledError, ModelError } from '../agent/model/errors';
import { costOf, type Pricing } from '../agent/model/pricing';
import { estimateUsage } from '../agent/model/openaiClient';
import { raceAbort } from '../agent/model/retry';
import type { ModelClient, ModelReply, ModelRequest, ToolCallRequest, TokenUsage } from '../agent/ports';
import { toLmModelError } from './lmErrors';
import { toLmMessages, toLmTools, type LmMessage, type LmTool } from './lmMessages';

/** What a streamed reply is made of; anything else the model sends (data parts, future kinds) is 'other'. */
export type LmResponsePart =
  | { type: 'text'; text: string }
  | { type: 'toolCall'; callId: string; name: string; input: unknown }
  | { type: 'other' };

/** One chat model as vscode.lm offers it. */
export interface LmChat {
  readonly vendor: string;
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly maxInputTokens: number;
  /** Starts a request (tool mode Auto); the signal cancels it. Rejects when it cannot start (consent, quota, gone). */
  send(messages: LmMessage[], tools: LmTool[], options: { justification: string }, signal: AbortSignal): Promise<AsyncIterable<LmResponsePart>>;
  countTokens(value: string | LmMessage, signal: AbortSignal): Promise<number>;
}

export interface LmModelClientOptions {
  /** The setting's value, `vscode-lm:<vendor>/<id>`: the name in the journal and the key of its price. */
  model: string;
  pricing?: Pricing;
  /** Longest wait for the next part of a reply before giving up. Default 300000 (models may think a while). */
  idleTimeoutMs?: number;
  /** Shown by VS Code in its consent dialog, beside the question whether Patchpilot may use the model. */
  justification?: string;
}

const DEFAULT_JUSTIFICATION = 'Patchpilot sends your task, the files it reads and the test output to the model you chose, and runs the tools the model asks for.';
/** Token counts of messages already counted; a task's conversation only grows, so most turns count one new message. */
const COUNT_CACHE_LIMIT = 4096;
/** How long a finished reply waits for its token counts before the meter falls back to an estimate. */
const COUNT_WAIT_MS = 10_000;

export class LmModelClient implements ModelClient {
  readonly model: string;
  private readonly counted = new Map<string, number>();
  private readonly idleTimeoutMs: number;

  constructor(private readonly chat: LmChat, private readonly options: LmModelClientOptions) {
    this.model = options.model;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 300_000;
  }

  /** How many tokens a request may hold, as the model reports it (0 when it reports none). */
  get maxInputTokens(): number {
    return this.chat.maxInputTokens > 0 ? this.chat.maxInputTokens : 0;
  }

  async complete(request: ModelRequest): Promise<ModelReply> {
    if (request.signal?.aborted) throw attempted(cancelledError());
    const messages = toLmMessages(request.messages);
    const tools = toLmTools(request.tools);
    const controller = new AbortController();
    const idle = { timedOut: false, timer: undefined as NodeJS.Timeout | undefined };
    const arm = (): void => {
      clearTimeout(idle.timer);
      idle.timer = setTimeout(() => { idle.timedOut = true; controller.abort(); }, this.idleTimeoutMs);
    };
    const onCallerAbort = (): void => controller.abort();
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    // Counting runs beside the reply, once the request has started: only then has the person consented to send
    // the conversation to this model's extension, and its tokenizer is part of that extension.
    const counting: { prompt?: Promise<number | null> } = {};
    const onStarted = (): void => { counting.prompt = within(this.countPrompt(messages, tools, controller.signal), COUNT_WAIT_MS); };
    arm();
    try {
      const reply = await this.stream(messages, tools, request, controller.signal, arm, onStarted);
      clearTimeout(idle.timer);
      return await this.toReply(reply, request, counting.prompt ? await counting.prompt : null, controller.signal);
    } catch (error) {
      if (idle.timedOut && !request.signal?.aborted) {
        throw attempted(new ModelError('timeout', `${this.describe()} sent nothing for ${Math.round(this.idleTimeoutMs / 1000)} s; try again, or choose another model with Patchpilot: Select Model.`, { cause: error }));
      }
      throw attempted(toLmModelError(error, this.chat, request.signal?.aborted ?? false));
    } finally {
      clearTimeout(idle.timer);
      request.signal?.removeEventListener('abort', onCallerAbort);
      // The request is over: stop a count still under way.
      controller.abort();
    }
  }

  private describe(): string {
    return `"${this.chat.name}" (${this.chat.vendor})`;
  }

  private async stream(messages: LmMessage[], tools: LmTool[], request: ModelRequest, signal: AbortSignal, onProgress: () => void,
    onStarted: () => void): Promise<{ content: string; toolCalls: ToolCallRequest[] }> {
    const justification = this.options.justification ?? DEFAULT_JUSTIFICATION;
    const parts = await raceAbort(this.chat.send(messages, tools, { justification }, signal), signal);
    onStarted();
    onProgress();
    let content = '';
    const toolCalls: ToolCallRequest[] = [];
    const iterator = parts[Symbol.asyncIterator]();
    try {
      for (;;) {
        // A provider that ignores cancellation must not hold the task: the wait for each part is raced with the signal.
        const step = await raceAbort(iterator.next(), signal);
        if (step.done) break;
        onProgress();
        const part = step.value;
        if (part.type === 'text' && part.text) {
          content += part.text;
          request.onTextDelta?.(part.text);
        } else if (part.type === 'toolCall') {
          toolCalls.push({ id: part.callId || `call_${toolCalls.length + 1}`, name: part.name, argumentsText: JSON.stringify(part.input ?? {}) });
          request.onToolCallsDelta?.(toolCalls.map((call) => ({ name: call.name, argumentsText: call.argumentsText })));
        }
        // A listener may cancel from inside onTextDelta: stop before handing out more.
        if (signal.aborted) throw cancelledError();
      }
    } finally {
      // Lets the provider's stream end its own work; a stream that cannot (it hangs) is left to be collected.
      if (signal.aborted) Promise.resolve(iterator.return?.()).catch(() => undefined);
    }
    return { content, toolCalls };
  }

  /** Prompt tokens by the model's tokenizer: each message (cached), plus the tool schemas counted as JSON text. */
  private async countPrompt(messages: LmMessage[], tools: LmTool[], signal: AbortSignal): Promise<number> {
    const counts = messages.map((message) => this.countCached(message, signal));
    if (tools.length > 0) counts.push(this.countCached(JSON.stringify(tools), signal));
    return (await Promise.all(counts)).reduce((sum, n) => sum + n, 0);
  }

  private async countCached(value: string | LmMessage, signal: AbortSignal): Promise<number> {
    const key = typeof value === 'string' ? `s:${value}` : `m:${JSON.stringify(value)}`;
    const known = this.counted.get(key);
    if (known !== undefined) return known;
    const count = await this.chat.countTokens(value, signal);
    if (!Number.isFinite(count) || count < 0) throw new Error(`the model counted ${count} tokens`);
    if (this.counted.size >= COUNT_CACHE_LIMIT) this.counted.clear();
    this.counted.set(key, count);
    return count;
  }

  private async toReply(reply: { content: string; toolCalls: ToolCallRequest[] }, request: ModelRequest, promptTokens: number | null, signal: AbortSignal): Promise<ModelReply> {
    const completionText = [reply.content, ...reply.toolCalls.map((call) => `${call.name} ${call.argumentsText}`)].filter(Boolean).join('\n');
    const completionTokens = completionText ? await within(this.chat.countTokens(completionText, signal), COUNT_WAIT_MS) : 0;
    let counts: { promptTokens: number; completionTokens: number };
    let estimated = false;
    if (promptTokens === null || completionTokens === null || !Number.isFinite(completionTokens)) {
      // The model could not count: a characters / 4 estimate, marked as such (the meter and the context window know).
      counts = estimateUsage(request.messages, request.tools, reply);
      estimated = true;
    } else {
      counts = { promptTokens, completionTokens };
    }
    const usage: TokenUsage = { ...counts, costUsd: costOf(this.model, counts.promptTokens, counts.completionTokens, this.options.pricing) };
    if (estimated) usage.estimated = true;
    return { content: reply.content, toolCalls: reply.toolCalls, usage, finishReason: reply.toolCalls.length > 0 ? 'tool_calls' : 'stop', model: this.model, attempts: 1 };
  }
}

/** vscode.lm requests are not retried here (the providing extension has its own retries): one attempt each. */
function attempted(error: ModelError): ModelError {
  error.attempts = 1;
  return error;
}

/** A count that has not come within `ms` is given up (null): the reply is there, the meter falls back to an estimate. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), ms); });
  return Promise.race([promise.catch(() => null), late]).finally(() => clearTimeout(timer));
}
