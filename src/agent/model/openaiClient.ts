// The ModelClient over any OpenAI-compatible server, with our own visible retries, per-request timeout and cancellation.
// Provider differences are small adapters chosen by the endpoint and its profile, not branches here: where requests
// go and how they authenticate (endpoint.ts), what goes back in the next request (providerFields.ts, wire.ts,
// toolIds.ts), how any answer is read (replyReader.ts), any error body (transport.ts, errorBody.ts), and the
// one-time fallbacks a refusal earns (fallbacks.ts, remembered per endpoint in endpointQuirks.ts).
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions/completions';
import type { ChatMessage, ModelClient, ModelReply, ModelRequest, TokenUsage, ToolSchema } from '../ports';
import type { AssembledReply } from './assembler';
import { resolveEndpoint, type Endpoint, type ProviderType } from './endpoint';
import { processQuirks, type EndpointQuirks, type QuirkMemory } from './endpointQuirks';
import { cancelledError, ModelError, toModelError, type AbortState, type ErrorContext } from './errors';
import { fallbackFor, type Fallback, type SentShape } from './fallbacks';
import { costOf, effectivePricing, type Pricing } from './pricing';
import { fieldsLength } from './providerFields';
import { readReply } from './replyReader';
import { abortableSleep, defaultBackoff, raceAbort, retryDelayMs, type BackoffPolicy, type Sleep } from './retry';
import { newToolCallId, toolIdStyleFor, type ToolIdStyle } from './toolIds';
import { readableErrorsFetch, type Fetch } from './transport';
import { wireMessages, wireTools } from './wire';

export interface RetryInfo {
  /** The 1-based attempt that just failed. */
  attempt: number;
  reason: string;
  /** How long the client waits before the next attempt. */
  delayMs: number;
}

export interface OpenAIModelClientOptions {
  /** The base URL as the person gave it: its query (Azure's api-version) is kept. */
  baseURL: string;
  apiKey: string;
  /** The model name; for an Azure deployment URL the deployment in the URL is used. */
  model: string;
  /** What kind of server (default: from the URL — an Azure deployment path, port 11434 for Ollama). */
  type?: ProviderType;
  /** Azure's api-version (overrides the URL's; default for deployments: AZURE_DEFAULT_API_VERSION). */
  apiVersion?: string;
  /** Send the key in this header instead of Authorization (`api-key` is the default for Azure). */
  apiKeyHeader?: string;
  /** Longest wait for the response to start, and (when streaming) between two chunks. Default 120000. */
  requestTimeoutMs?: number;
  /** Retries after the first attempt, for transient failures only. Default 4 (so at most 5 HTTP attempts). */
  maxRetries?: number;
  /** Stream the reply (default true). */
  stream?: boolean;
  /** Ask for a usage chunk at the end of a stream (default true); turned off by itself for servers that reject it. */
  streamUsage?: boolean;
  temperature?: number;
  extraHeaders?: Record<string, string>;
  /** Query parameters on every request, on top of the base URL's own. */
  extraQuery?: Record<string, string>;
  /** The person's prices (per million tokens); the built-in table (prices.json) fills in the rest unless defaultPrices is false. */
  pricing?: Pricing;
  defaultPrices?: boolean;
  /** The model's context window as known (Ollama's num_ctx, a profile): a request that needs more is warned about once. */
  contextWindow?: number;
  /** Where the window comes from and what to do when it is too small, for that warning. */
  contextAdvice?: string;
  /** Tool-call id rules (default: Mistral's for Mistral hosts and models, else any). */
  toolIds?: ToolIdStyle;
  /** Called before each backoff wait, so the retry is visible (the loop turns it into a model_retry event). */
  onRetry?: (info: RetryInfo) => void;
  /** Injectable for tests: record the requested delay instead of waiting it out. */
  sleep?: Sleep;
  backoff?: Partial<BackoffPolicy>;
  /** What is learned per endpoint (default: shared by the whole process). */
  quirks?: QuirkMemory;
  fetch?: Fetch;
}

export class OpenAIModelClient implements ModelClient {
  readonly model: string;
  /** Where requests go, with the query and headers they carry. */
  readonly endpoint: Endpoint;
  private readonly client: OpenAI;
  private readonly options: OpenAIModelClientOptions;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly backoff: BackoffPolicy;
  private readonly sleep: Sleep;
  private readonly context: ErrorContext;
  private readonly quirks: EndpointQuirks;
  private readonly toolIds: ToolIdStyle;
  private readonly pricing: Pricing;
  private windowWarned = false;

  constructor(options: OpenAIModelClientOptions) {
    this.options = options;
    this.endpoint = resolveEndpoint({
      baseUrl: options.baseURL, model: options.model, type: options.type, apiVersion: options.apiVersion,
      apiKey: options.apiKey, apiKeyHeader: options.apiKeyHeader, headers: options.extraHeaders,
    });
    this.model = this.endpoint.model;
    this.timeoutMs = options.requestTimeoutMs ?? 120_000;
    this.maxRetries = options.maxRetries ?? 4;
    this.backoff = { ...defaultBackoff, ...options.backoff };
    this.sleep = options.sleep ?? abortableSleep;
    this.context = { baseURL: this.endpoint.label, model: this.model };
    this.quirks = (options.quirks ?? processQuirks).for(this.endpoint.label);
    this.toolIds = options.toolIds ?? toolIdStyleFor(this.endpoint.baseURL, this.model);
    this.pricing = effectivePricing(options.pricing, options.defaultPrices !== false);
    // The SDK's own retries are off: ours report each retry and honour cancellation during the wait.
    this.client = new OpenAI({
      baseURL: this.endpoint.baseURL,
      apiKey: options.apiKey,
      maxRetries: 0,
      timeout: this.timeoutMs,
      defaultHeaders: this.endpoint.headers,
      defaultQuery: { ...this.endpoint.query, ...options.extraQuery },
      fetch: readableErrorsFetch(options.fetch),
    });
  }

  /**
   * One model call. Streamed text reaches onTextDelta as it arrives; when an attempt fails mid-stream and is retried,
   * onRetry fires before the text is streamed again, so a display should start over on onRetry.
   */
  async complete(request: ModelRequest): Promise<ModelReply> {
    const signal = request.signal;
    const warnings = this.windowWarnings(request);
    const tried = new Set<string>();
    let guess: Fallback | null = null;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw withAttempts(cancelledError(), attempt - 1);
      const shape = this.shape();
      let failure: ModelError;
      try {
        const assembled = await this.attempt(request, shape);
        if (shape.streamOptions && this.quirks.streamOptions === 'unknown') this.quirks.streamOptions = 'accepted';
        if (guess) warnings.push(guess.reason);
        return this.toReply(assembled, request, attempt, warnings);
      } catch (error) {
        failure = error instanceof ModelError ? error : toModelError(error, { cancelled: false, timedOut: false, timeoutMs: this.timeoutMs }, this.context);
      }
      if (guess && (failure.status === 400 || failure.status === 422)) {
        // The change did not help: it was not the cause, so do not keep it.
        guess.undo(this.quirks);
        guess = null;
      }
      const fallback = failure.kind === 'cancelled' ? null : fallbackFor(failure, shape, this.quirks, this.endpoint.label, tried);
      if (fallback) {
        tried.add(fallback.name);
        fallback.apply(this.quirks);
        guess = fallback;
        this.notifyRetry(request, { attempt, reason: fallback.reason, delayMs: 0 });
        continue;
      }
      if (!failure.retryable || attempt > this.maxRetries + tried.size) throw withAttempts(failure, attempt);
      const delayMs = retryDelayMs(failure, attempt - tried.size, this.backoff);
      if (delayMs === null) {
        const wait = Math.ceil((failure.retryAfterMs ?? 0) / 1000);
        throw withAttempts(new ModelError(failure.kind, `${failure.message} The server asks to wait ${wait} s, longer than the ${this.backoff.maxRetryAfterMs / 1000} s limit; try again later.`, { status: failure.status, retryAfterMs: failure.retryAfterMs, cause: failure }), attempt);
      }
      this.notifyRetry(request, { attempt, reason: failure.message, delayMs });
      try {
        await raceAbort(this.sleep(delayMs, signal), signal);
      } catch (error) {
        throw withAttempts(signal?.aborted ? cancelledError() : toModelError(error, { cancelled: false, timedOut: false, timeoutMs: this.timeoutMs }, this.context), attempt);
      }
    }
  }

  private notifyRetry(request: ModelRequest, info: RetryInfo): void {
    this.options.onRetry?.(info);
    request.onRetry?.(info);
  }

  /** What this request sends, given what was learned about the endpoint so far. */
  private shape(): SentShape {
    const streaming = this.options.stream !== false;
    return {
      streamOptions: streaming && this.options.streamUsage !== false && this.quirks.streamOptions !== 'rejected',
      mistralToolIds: this.toolIds === 'mistral' || this.quirks.mistralToolIds,
    };
  }

  /** One HTTP attempt under its own timeout, linked to the caller's signal. */
  private async attempt(request: ModelRequest, shape: SentShape): Promise<AssembledReply> {
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
      const assembled = await raceAbort(this.send(request, shape, controller.signal, armTimer), controller.signal);
      if (controller.signal.aborted) throw cancelledError();
      return assembled;
    } catch (error) {
      throw toModelError(error, abort, this.context);
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  private async send(request: ModelRequest, shape: SentShape, signal: AbortSignal, onProgress: () => void): Promise<AssembledReply> {
    const stream = this.options.stream !== false;
    const body = {
      model: this.model,
      messages: wireMessages(request.messages, { toolIds: shape.mistralToolIds ? 'mistral' : 'any' }),
      ...(request.tools.length > 0 ? { tools: wireTools(request.tools), tool_choice: 'auto' } : {}),
      ...(this.options.temperature === undefined ? {} : { temperature: this.options.temperature }),
      stream,
      ...(shape.streamOptions ? { stream_options: { include_usage: true } } : {}),
    };
    // The raw response, so that any answer can be read (replyReader.ts): the SDK's stream parser takes SSE only.
    const response = await this.client.chat.completions.create(body as unknown as ChatCompletionCreateParamsStreaming, { signal }).asResponse();
    onProgress();
    return readReply(response, this.endpoint.label, {
      onProgress,
      onText: (text) => request.onTextDelta?.(text),
      onToolCalls: (calls) => request.onToolCallsDelta?.(calls),
      aborted: () => signal.aborted,
    });
  }

  /** A warning, once per client, when the request alone nearly fills the model's known window. */
  private windowWarnings(request: ModelRequest): string[] {
    const window = this.options.contextWindow;
    if (!window || this.windowWarned) return [];
    const needed = estimateUsage(request.messages, request.tools, { content: '', toolCalls: [] }).promptTokens;
    if (needed < window * 0.9) return [];
    this.windowWarned = true;
    const advice = this.options.contextAdvice ?? 'Use a model with a larger window, or say the real window with --context-window.';
    return [`This request needs about ${needed.toLocaleString('en-US')} tokens (system prompt, tools and messages), but ${this.model}'s context window is ${window.toLocaleString('en-US')} tokens: the server may drop the start of the prompt. ${advice}`];
  }

  private toReply(assembled: AssembledReply, request: ModelRequest, attempts: number, warnings: string[]): ModelReply {
    const model = assembled.model || this.model;
    const toolCalls = assembled.toolCalls.map((call) => (call.id ? call : { ...call, id: newToolCallId(this.toolIds) }));
    const counts = assembled.usage ?? estimateUsage(request.messages, request.tools, assembled);
    const costUsd = costOf(this.model, counts.promptTokens, counts.completionTokens, this.pricing)
      ?? (model === this.model ? null : costOf(model, counts.promptTokens, counts.completionTokens, this.pricing));
    const usage: TokenUsage = { promptTokens: counts.promptTokens, completionTokens: counts.completionTokens, costUsd };
    if (!assembled.usage) usage.estimated = true;
    return {
      content: assembled.content, toolCalls, usage, finishReason: assembled.finishReason, model, attempts,
      ...(assembled.extra ? { extra: assembled.extra } : {}),
      ...(warnings.length ? { warnings } : {}),
    };
  }
}

function withAttempts(error: ModelError, attempts: number): ModelError {
  error.attempts = attempts;
  return error;
}

/** For servers that report no usage: one token per four characters of what was sent and received. */
export function estimateUsage(messages: ChatMessage[], tools: ToolSchema[], reply: Pick<AssembledReply, 'content' | 'toolCalls' | 'extra'>): { promptTokens: number; completionTokens: number } {
  let promptChars = tools.length > 0 ? JSON.stringify(tools).length : 0;
  for (const message of messages) {
    promptChars += (message.content ?? '').length;
    if (message.role === 'assistant') {
      promptChars += fieldsLength(message.extra);
      for (const call of message.tool_calls ?? []) promptChars += call.function.name.length + call.function.arguments.length + fieldsLength(call.extra);
    }
  }
  const completionChars = reply.content.length + fieldsLength(reply.extra)
    + reply.toolCalls.reduce((sum, call) => sum + call.name.length + call.argumentsText.length, 0);
  return { promptTokens: Math.ceil(promptChars / 4), completionTokens: Math.ceil(completionChars / 4) };
}
