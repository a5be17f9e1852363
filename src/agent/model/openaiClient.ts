// The ModelClient over any OpenAI-compatible server, with our own visible retries, per-request timeout and cancellation.
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsBase, ChatCompletionTool } from 'openai/resources/chat/completions/completions';
import type { ChatMessage, ModelClient, ModelReply, ModelRequest, TokenUsage, ToolSchema } from '../ports';
import { StreamAssembler, type AssembledReply } from './assembler';
import { cancelledError, ModelError, toModelError, type AbortState, type ErrorContext } from './errors';
import { costOf, type Pricing } from './pricing';
import { abortableSleep, defaultBackoff, raceAbort, retryDelayMs, type BackoffPolicy, type Sleep } from './retry';

export interface RetryInfo {
  /** The 1-based attempt that just failed. */
  attempt: number;
  reason: string;
  /** How long the client waits before the next attempt. */
  delayMs: number;
}

export interface OpenAIModelClientOptions {
  baseURL: string;
  apiKey: string;
  model: string;
  /** Longest wait for the response to start, and (when streaming) between two chunks. Default 120000. */
  requestTimeoutMs?: number;
  /** Retries after the first attempt, for transient failures only. Default 4 (so at most 5 HTTP attempts). */
  maxRetries?: number;
  /** Stream the reply (default true). */
  stream?: boolean;
  /** Ask for a usage chunk at the end of a stream (default true); turn off for servers that reject stream_options. */
  streamUsage?: boolean;
  temperature?: number;
  extraHeaders?: Record<string, string>;
  /** Query parameters on every request, e.g. { 'api-version': '2024-10-21' } for Azure-style endpoints. */
  extraQuery?: Record<string, string>;
  pricing?: Pricing;
  /** Called before each backoff wait, so the retry is visible (the loop turns it into a model_retry event). */
  onRetry?: (info: RetryInfo) => void;
  /** Injectable for tests: record the requested delay instead of waiting it out. */
  sleep?: Sleep;
  backoff?: Partial<BackoffPolicy>;
}

export class OpenAIModelClient implements ModelClient {
  readonly model: string;
  private readonly client: OpenAI;
  private readonly options: OpenAIModelClientOptions;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly backoff: BackoffPolicy;
  private readonly sleep: Sleep;
  private readonly context: ErrorContext;

  constructor(options: OpenAIModelClientOptions) {
    this.options = options;
    this.model = options.model;
    this.timeoutMs = options.requestTimeoutMs ?? 120_000;
    this.maxRetries = Math.max(0, options.maxRetries ?? 4);
    this.backoff = { ...defaultBackoff, ...options.backoff };
    this.sleep = options.sleep ?? abortableSleep;
    this.context = { baseURL: options.baseURL, model: options.model };
    // The SDK's own retries are off: ours report each retry and honour cancellation during the wait.
    this.client = new OpenAI({
      baseURL: options.baseURL,
      apiKey: options.apiKey,
      maxRetries: 0,
      timeout: this.timeoutMs,
      defaultHeaders: options.extraHeaders,
      defaultQuery: options.extraQuery,
    });
  }

  /**
   * One model call. Streamed text reaches onTextDelta as it arrives; when an attempt fails mid-stream and is retried,
   * onRetry fires before the text is streamed again, so a display should start over on onRetry.
   */
  async complete(request: ModelRequest): Promise<ModelReply> {
    const signal = request.signal;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw withAttempts(cancelledError(), attempt - 1);
      let failure: ModelError;
      try {
        const assembled = await this.attempt(request);
        return this.toReply(assembled, request, attempt);
      } catch (error) {
        failure = error instanceof ModelError ? error : toModelError(error, { cancelled: false, timedOut: false, timeoutMs: this.timeoutMs }, this.context);
      }
      if (!failure.retryable || attempt > this.maxRetries) throw withAttempts(failure, attempt);
      const delayMs = retryDelayMs(failure, attempt, this.backoff);
      if (delayMs === null) {
        const wait = Math.ceil((failure.retryAfterMs ?? 0) / 1000);
        throw withAttempts(new ModelError(failure.kind, `${failure.message} The server asks to wait ${wait} s, longer than the ${this.backoff.maxRetryAfterMs / 1000} s limit; try again later.`, { status: failure.status, retryAfterMs: failure.retryAfterMs, cause: failure }), attempt);
      }
      this.options.onRetry?.({ attempt, reason: failure.message, delayMs });
      request.onRetry?.({ attempt, reason: failure.message, delayMs });
      try {
        await raceAbort(this.sleep(delayMs, signal), signal);
      } catch (error) {
        throw withAttempts(signal?.aborted ? cancelledError() : toModelError(error, { cancelled: false, timedOut: false, timeoutMs: this.timeoutMs }, this.context), attempt);
      }
    }
  }

  /** One HTTP attempt under its own timeout, linked to the caller's signal. */
  private async attempt(request: ModelRequest): Promise<AssembledReply> {
    const controller = new AbortController();
    const abort: AbortState = { cancelled: false, timedOut: false, timeoutMs: this.timeoutMs };
    const onCallerAbort = (): void => {
      abort.cancelled = true;
      controller.abort();
    };
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const armTimer = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        abort.timedOut = true;
        controller.abort();
      }, this.timeoutMs);
    };
    armTimer();
    try {
      const work = this.options.stream === false
        ? this.completeOnce(request, controller.signal)
        : this.streamOnce(request, controller.signal, armTimer);
      const assembled = await raceAbort(work, controller.signal);
      // The SDK ends a stream quietly when its signal aborts, so an abort can surface here as a normal end.
      if (controller.signal.aborted) throw cancelledError();
      return assembled;
    } catch (error) {
      throw toModelError(error, abort, this.context);
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  private requestBody(request: ModelRequest): ChatCompletionCreateParamsBase {
    const tools: ChatCompletionTool[] = request.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    }));
    return {
      model: this.model,
      messages: request.messages,
      ...(tools.length > 0 ? { tools, tool_choice: 'auto' as const } : {}),
      ...(this.options.temperature === undefined ? {} : { temperature: this.options.temperature }),
    };
  }

  private async streamOnce(request: ModelRequest, signal: AbortSignal, onProgress: () => void): Promise<AssembledReply> {
    const body = {
      ...this.requestBody(request),
      stream: true as const,
      ...(this.options.streamUsage === false ? {} : { stream_options: { include_usage: true } }),
    };
    const stream = await this.client.chat.completions.create(body, { signal });
    onProgress();
    const assembler = new StreamAssembler();
    for await (const chunk of stream) {
      onProgress();
      const text = assembler.add(chunk);
      if (text) request.onTextDelta?.(text);
      if (assembler.lastHadToolCalls) request.onToolCallsDelta?.(assembler.toolCallsSoFar());
      // A listener may cancel from inside onTextDelta: stop before handing out more text.
      if (signal.aborted) break;
    }
    if (signal.aborted) throw cancelledError();
    if (!assembler.finished) {
      throw new ModelError('network', `The model server at ${this.context.baseURL} ended the stream before the reply was complete (no finish_reason).`);
    }
    return assembler.result();
  }

  private async completeOnce(request: ModelRequest, signal: AbortSignal): Promise<AssembledReply> {
    const completion = await this.client.chat.completions.create({ ...this.requestBody(request), stream: false }, { signal });
    const choice = completion.choices?.[0];
    if (!choice) throw new ModelError('server', `The model server at ${this.context.baseURL} answered without any choices.`);
    const toolCalls = (choice.message.tool_calls ?? []).flatMap((call) =>
      call.type === 'function' ? [{ id: call.id, name: call.function.name, argumentsText: call.function.arguments || '{}' }] : [],
    );
    const usage = completion.usage;
    return {
      content: choice.message.content ?? '',
      toolCalls,
      finishReason: choice.finish_reason ?? null,
      model: completion.model ?? null,
      usage: usage ? { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens } : null,
    };
  }

  private toReply(assembled: AssembledReply, request: ModelRequest, attempts: number): ModelReply {
    const model = assembled.model || this.model;
    const counts = assembled.usage ?? estimateUsage(request.messages, request.tools, assembled);
    const costUsd = costOf(this.model, counts.promptTokens, counts.completionTokens, this.options.pricing)
      ?? (model === this.model ? null : costOf(model, counts.promptTokens, counts.completionTokens, this.options.pricing));
    const usage: TokenUsage = { promptTokens: counts.promptTokens, completionTokens: counts.completionTokens, costUsd };
    if (!assembled.usage) usage.estimated = true;
    return { content: assembled.content, toolCalls: assembled.toolCalls, usage, finishReason: assembled.finishReason, model, attempts };
  }
}

function withAttempts(error: ModelError, attempts: number): ModelError {
  error.attempts = attempts;
  return error;
}

/** For servers that report no usage: one token per four characters of what was sent and received. */
export function estimateUsage(messages: ChatMessage[], tools: ToolSchema[], reply: Pick<AssembledReply, 'content' | 'toolCalls'>): { promptTokens: number; completionTokens: number } {
  let promptChars = tools.length > 0 ? JSON.stringify(tools).length : 0;
  for (const message of messages) {
    promptChars += (message.content ?? '').length;
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) promptChars += call.function.name.length + call.function.arguments.length;
    }
  }
  const completionChars = reply.content.length + reply.toolCalls.reduce((sum, call) => sum + call.name.length + call.argumentsText.length, 0);
  return { promptTokens: Math.ceil(promptChars / 4), completionTokens: Math.ceil(completionChars / 4) };
}
