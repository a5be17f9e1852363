// Wire-level fakes of real providers, written from their public documentation and the error bodies users report:
// small HTTP servers on loopback that answer a list of turns the way each provider does — and refuse a request the
// way it does when the client gets its rules wrong. Every request is recorded so tests can assert on the wire.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown> | null;
}

export type FakeAnswer =
  | { status?: number; json: unknown; headers?: Record<string, string> }
  | { status?: number; text: string; contentType: string }
  | { sse: unknown[] }
  | { rawSse: string };

export interface FakeServer {
  /** http://127.0.0.1:PORT, no trailing slash. */
  origin: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

export async function startFake(handle: (request: FakeRequest) => FakeAnswer | Promise<FakeAnswer>): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const text = Buffer.concat(parts).toString('utf8');
      const request: FakeRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: parseObject(text) };
      requests.push(request);
      Promise.resolve(handle(request)).then((answer) => send(res, answer), (error: Error) => send(res, { status: 500, text: error.message, contentType: 'text/plain' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function send(res: http.ServerResponse, answer: FakeAnswer): void {
  if ('sse' in answer || 'rawSse' in answer) {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    res.end('sse' in answer ? answer.sse.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('') + 'data: [DONE]\n\n' : answer.rawSse);
    return;
  }
  if ('json' in answer) {
    const text = JSON.stringify(answer.json);
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...answer.headers });
    res.end(text);
    return;
  }
  res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType, 'content-length': Buffer.byteLength(answer.text) });
  res.end(answer.text);
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ replies

export interface FakeToolCall {
  name: string;
  arguments: unknown;
  /** Fields the provider adds to the tool call (Gemini's extra_content). */
  extra?: Record<string, unknown>;
  /** Default: call_<turn>_<index>; '' sends none. */
  id?: string;
}

export interface FakeTurn {
  content?: string;
  /** Reasoning text, streamed under the provider's field (reasoning_content, reasoning). */
  reasoning?: string;
  toolCalls?: FakeToolCall[];
}

export interface ReplyStyle {
  model: string;
  reasoningField?: string;
  /** Text pieces of this many characters. */
  piece?: number;
  /** Send usage (when the request asked for it). */
  usage?: boolean;
  /** A leading chunk with no choices (Azure's prompt_filter_results). */
  leadingChunk?: Record<string, unknown>;
}

type Chunk = Record<string, unknown>;

export function callsOf(turn: FakeTurn, turnNumber: number): { id: string; type: 'function'; function: { name: string; arguments: string }; [key: string]: unknown }[] {
  return (turn.toolCalls ?? []).map((call, i) => ({
    ...call.extra,
    id: call.id ?? `call_${turnNumber}_${i}`,
    type: 'function' as const,
    function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
  }));
}

/** The turn as chat.completion.chunk objects, in the order a provider streams them. */
export function chunksOf(turn: FakeTurn, turnNumber: number, style: ReplyStyle): Chunk[] {
  const base = { id: `chatcmpl-fake-${turnNumber}`, object: 'chat.completion.chunk', created: 1_760_000_000, model: style.model };
  const piece = style.piece ?? 7;
  const chunk = (delta: Chunk, finish: string | null = null): Chunk => ({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
  const chunks: Chunk[] = style.leadingChunk ? [style.leadingChunk] : [];
  chunks.push(chunk({ role: 'assistant', content: '' }));
  for (const text of pieces(turn.reasoning ?? '', piece)) chunks.push(chunk({ content: null, [style.reasoningField ?? 'reasoning_content']: text }));
  for (const text of pieces(turn.content ?? '', piece)) chunks.push(chunk({ content: text, ...(style.reasoningField && turn.reasoning ? { [style.reasoningField]: null } : {}) }));
  callsOf(turn, turnNumber).forEach((call, index) => {
    const { function: fn, ...rest } = call;
    chunks.push(chunk({ tool_calls: [{ index, ...rest, function: { name: fn.name, arguments: '' } }] }));
    for (const args of pieces(fn.arguments, 9)) chunks.push(chunk({ tool_calls: [{ index, function: { arguments: args } }] }));
  });
  chunks.push(chunk({}, turn.toolCalls?.length ? 'tool_calls' : 'stop'));
  if (style.usage) chunks.push({ ...base, choices: [], usage: { prompt_tokens: 100 * turnNumber, completion_tokens: 10, total_tokens: 100 * turnNumber + 10 } });
  return chunks;
}

/** The turn as one chat.completion object. */
export function completionOf(turn: FakeTurn, turnNumber: number, style: ReplyStyle): Chunk {
  const message: Chunk = { role: 'assistant', content: turn.content ?? null };
  if (turn.reasoning) message[style.reasoningField ?? 'reasoning_content'] = turn.reasoning;
  if (turn.toolCalls?.length) message.tool_calls = callsOf(turn, turnNumber);
  return {
    id: `chatcmpl-fake-${turnNumber}`, object: 'chat.completion', created: 1_760_000_000, model: style.model,
    choices: [{ index: 0, message, finish_reason: turn.toolCalls?.length ? 'tool_calls' : 'stop' }],
    usage: { prompt_tokens: 100 * turnNumber, completion_tokens: 10, total_tokens: 100 * turnNumber + 10 },
  };
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** Turns answered in order; past the last one, a 400 saying so. */
export function turnCursor(turns: FakeTurn[]): { next(): { turn: FakeTurn; number: number } | null; served(): number } {
  let cursor = 0;
  return {
    next: () => (cursor < turns.length ? { turn: turns[cursor], number: ++cursor } : null),
    served: () => cursor,
  };
}

function wantsUsage(body: Record<string, unknown> | null): boolean {
  const options = body?.stream_options as { include_usage?: unknown } | undefined;
  return options?.include_usage === true;
}

function answerTurn(request: FakeRequest, turns: ReturnType<typeof turnCursor>, style: Omit<ReplyStyle, 'usage'>): FakeAnswer {
  const next = turns.next();
  if (!next) return { status: 400, json: { error: { message: 'fake provider: no turns left', type: 'invalid_request_error' } } };
  if (request.body?.stream === true) return { sse: chunksOf(next.turn, next.number, { ...style, usage: wantsUsage(request.body) }) };
  return { json: completionOf(next.turn, next.number, style) };
}

type Messages = { role?: string; content?: unknown; tool_calls?: Record<string, unknown>[]; tool_call_id?: string; [key: string]: unknown }[];

function messagesOf(request: FakeRequest): Messages {
  return Array.isArray(request.body?.messages) ? (request.body.messages as Messages) : [];
}

// ------------------------------------------------------------------ providers

/**
 * DeepSeek in thinking mode (https://api-docs.deepseek.com/guides/thinking_mode#tool-calls): reasoning streams as
 * `reasoning_content`; an assistant message with tool calls sent back without its reasoning_content is refused
 * with DeepSeek's own 400.
 */
export async function deepSeekFake(turns: FakeTurn[], model = 'deepseek-reasoner'): Promise<FakeServer> {
  const cursor = turnCursor(turns);
  return startFake((request) => {
    if (request.method !== 'POST' || !/\/chat\/completions$/.test(request.path)) return notFound(request);
    const messages = messagesOf(request);
    const missing = messages.findIndex((m) => m.role === 'assistant' && m.tool_calls?.length && typeof m.reasoning_content !== 'string');
    if (missing >= 0) {
      return { status: 400, json: { error: {
        message: `Missing \`reasoning_content\` field in the assistant message at message index ${missing}. For more information, please refer to https://api-docs.deepseek.com/guides/thinking_mode#tool-calls`,
        type: 'invalid_request_error', param: null, code: 'invalid_request_error',
      } } };
    }
    return answerTurn(request, cursor, { model, reasoningField: 'reasoning_content' });
  });
}

/**
 * Gemini 3 through its OpenAI-compatible endpoint (https://ai.google.dev/gemini-api/docs/openai,
 * https://ai.google.dev/gemini-api/docs/thought-signatures): each function call carries
 * `extra_content.google.thought_signature`; a history whose first call of a step lacks it (or changed it) is refused
 * with a 400 whose body is a JSON *list* of error objects.
 */
export async function geminiFake(turns: FakeTurn[], model = 'gemini-3-pro-preview'): Promise<FakeServer & { signatures: string[] }> {
  const signatures: string[] = [];
  const signed = turns.map((turn, t) => ({
    ...turn,
    toolCalls: turn.toolCalls?.map((call, i) => {
      if (i > 0) return call; // Gemini signs the first function call of a step
      const signature = Buffer.from(`thought-${t + 1}-${'x'.repeat(40)}`).toString('base64');
      signatures.push(signature);
      return { ...call, id: call.id ?? `function-call-${t + 1}-${i}`, extra: { extra_content: { google: { thought_signature: signature } } } };
    }),
  }));
  const cursor = turnCursor(signed);
  const server = await startFake((request) => {
    if (request.method !== 'POST' || request.path !== '/v1beta/openai/chat/completions') return notFound(request);
    let position = 0;
    for (const message of messagesOf(request)) {
      position++;
      const first = message.role === 'assistant' ? message.tool_calls?.[0] : undefined;
      if (!first) continue;
      const extra = first.extra_content as { google?: { thought_signature?: unknown } } | undefined;
      if (!signatures.includes(extra?.google?.thought_signature as string)) {
        const name = (first.function as { name?: string } | undefined)?.name ?? '';
        return { status: 400, json: [{ error: {
          code: 400,
          message: `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${name}\` , position ${position}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`,
          status: 'INVALID_ARGUMENT',
        } }] };
      }
    }
    return answerTurn(request, cursor, { model });
  });
  return Object.assign(server, { signatures });
}

/**
 * Azure OpenAI (https://learn.microsoft.com/azure/ai-services/openai/reference): the dated route
 * `/openai/deployments/{deployment}/chat/completions?api-version=…` and the v1 route `/openai/v1/chat/completions`
 * (deployment in `model`), the key in the `api-key` header; Azure's 401 and 404 bodies otherwise. Streams begin
 * with a chunk that has no choices (prompt_filter_results).
 */
export async function azureFake(turns: FakeTurn[], options: { deployment: string; key: string; realModel?: string }): Promise<FakeServer> {
  const cursor = turnCursor(turns);
  const style = {
    model: options.realModel ?? 'gpt-4o-2024-11-20',
    leadingChunk: { choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }] },
  };
  return startFake((request) => {
    const dated = request.path === `/openai/deployments/${options.deployment}/chat/completions`;
    const v1 = request.path === '/openai/v1/chat/completions';
    if (request.method !== 'POST' || (!dated && !v1) || (dated && !request.query.get('api-version')) || (v1 && request.body?.model !== options.deployment)) {
      return { status: 404, json: { error: { code: '404', message: 'Resource not found' } } };
    }
    if (request.headers['api-key'] !== options.key) {
      return { status: 401, json: { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.' } } };
    }
    return answerTurn(request, cursor, style);
  });
}

/**
 * A gateway that rejects `stream_options`: as OpenAI-shaped 400 ("Unrecognized request argument supplied"), as a
 * FastAPI/pydantic 422 (`{"detail": [{"loc": ["body", "stream_options"], "msg": "Extra inputs are not permitted"}]}`),
 * or as a 400 that does not say why.
 */
export async function strictGatewayFake(turns: FakeTurn[], style: '400' | '422' | 'vague'): Promise<FakeServer> {
  const cursor = turnCursor(turns);
  return startFake((request) => {
    if (request.method !== 'POST' || !/\/chat\/completions$/.test(request.path)) return notFound(request);
    if (request.body && 'stream_options' in request.body) {
      if (style === '422') {
        return { status: 422, json: { detail: [{ type: 'extra_forbidden', loc: ['body', 'stream_options'], msg: 'Extra inputs are not permitted', input: request.body.stream_options }] } };
      }
      if (style === 'vague') return { status: 400, text: 'Bad Request', contentType: 'text/plain' };
      return { status: 400, json: { error: { message: 'Unrecognized request argument supplied: stream_options', type: 'invalid_request_error', param: null, code: null } } };
    }
    return answerTurn(request, cursor, { model: 'gateway-model' });
  });
}

/** A server that ignores `stream: true` and answers one chat.completion JSON object. */
export async function plainJsonFake(turns: FakeTurn[]): Promise<FakeServer> {
  const cursor = turnCursor(turns);
  return startFake((request) => {
    const next = cursor.next();
    if (!next) return { status: 400, json: { error: { message: 'fake provider: no turns left' } } };
    return { json: completionOf(next.turn, next.number, { model: 'plain-json', reasoningField: 'reasoning' }) };
  });
}

/**
 * Mistral's rule (also vLLM serving Mistral models): every tool-call id, in assistant messages and tool results,
 * must be exactly 9 characters a-z, A-Z, 0-9; the 400 says so. Its own ids follow the rule.
 */
export async function mistralFake(turns: FakeTurn[], model = 'devstral-small-latest'): Promise<FakeServer> {
  const cursor = turnCursor(turns.map((turn, t) => ({ ...turn, toolCalls: turn.toolCalls?.map((call, i) => ({ ...call, id: call.id ?? `Ab${t}c${i}XyZ9`.slice(0, 9) })) })));
  return startFake((request) => {
    if (request.method !== 'POST' || !/\/chat\/completions$/.test(request.path)) return notFound(request);
    for (const message of messagesOf(request)) {
      const ids = [...(message.tool_calls ?? []).map((c) => String(c.id)), ...(message.role === 'tool' ? [String(message.tool_call_id)] : [])];
      const bad = ids.find((id) => !/^[a-zA-Z0-9]{9}$/.test(id));
      if (bad !== undefined) {
        return { status: 400, json: { object: 'error', message: `Tool call id was ${bad} but must be a-z, A-Z, 0-9, with a length of 9.`, type: 'invalid_request_message_order', param: null, code: null } };
      }
    }
    return answerTurn(request, cursor, { model });
  });
}

/** A server that answers HTTP 200 with an error object instead of a reply: as JSON, or as an SSE event (OpenRouter's mid-stream error). */
export async function errorObjectFake(style: 'json' | 'sse'): Promise<FakeServer> {
  return startFake((request) => {
    if (style === 'json') return { json: { error: { message: 'Upstream provider quota exhausted for this key', code: 'insufficient_quota', type: 'billing' } } };
    const started = { id: 'gen-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: 'Let me ' }, finish_reason: null }] };
    const failed = { id: 'gen-1', object: 'chat.completion.chunk', created: 1, model: 'm', error: { code: 'server_error', message: 'Provider disconnected unexpectedly' }, choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }] };
    void request;
    return { rawSse: `data: ${JSON.stringify(started)}\n\ndata: ${JSON.stringify(failed)}\n\n` };
  });
}

export interface OllamaFakeModel {
  name: string;
  architecture: string;
  trainedContext: number;
  /** PARAMETER num_ctx in its Modelfile. */
  numCtx?: number;
  /** The context it runs with when loaded (GET /api/ps). */
  loadedContext?: number;
}

/**
 * Ollama (https://github.com/ollama/ollama/blob/main/docs/api.md): GET /api/version, POST /api/show with
 * model_info["<arch>.context_length"] and the Modelfile parameters, GET /api/ps, and the OpenAI-compatible
 * /v1/chat/completions (which has no num_ctx option).
 */
export async function ollamaFake(turns: FakeTurn[], models: OllamaFakeModel[]): Promise<FakeServer> {
  const cursor = turnCursor(turns);
  return startFake((request) => {
    if (request.method === 'GET' && request.path === '/api/version') return { json: { version: '0.12.6' } };
    if (request.method === 'POST' && request.path === '/api/show') {
      const model = models.find((m) => m.name === request.body?.model || `${m.name}:latest` === request.body?.model);
      if (!model) return { status: 404, json: { error: `model '${String(request.body?.model)}' not found` } };
      return { json: {
        modelfile: `FROM ${model.name}`,
        parameters: [model.numCtx ? `num_ctx                        ${model.numCtx}` : '', 'stop                           "<|im_end|>"'].filter(Boolean).join('\n'),
        details: { family: model.architecture, parameter_size: '7.6B', quantization_level: 'Q4_K_M' },
        model_info: { 'general.architecture': model.architecture, [`${model.architecture}.context_length`]: model.trainedContext, [`${model.architecture}.embedding_length`]: 3584 },
        capabilities: ['completion', 'tools'],
      } };
    }
    if (request.method === 'GET' && request.path === '/api/ps') {
      return { json: { models: models.filter((m) => m.loadedContext).map((m) => ({ name: m.name, model: m.name, size: 1, context_length: m.loadedContext })) } };
    }
    if (request.method === 'POST' && request.path === '/v1/chat/completions') return answerTurn(request, cursor, { model: String(request.body?.model ?? 'ollama') });
    return notFound(request);
  });
}

function notFound(request: FakeRequest): FakeAnswer {
  return { status: 404, text: `404 page not found: ${request.method} ${request.path}`, contentType: 'text/plain' };
}
