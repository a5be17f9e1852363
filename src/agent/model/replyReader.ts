// Reads a successful HTTP answer into one reply, whatever the server chose to send: server-sent events (the
// normal stream), one JSON completion (a server that ignores `stream: true`, or a non-streamed request), or an
// error object with status 200 — as JSON or as an SSE event — which fails at once with the server's message.
import type { ProviderFields, ToolCallRequest } from '../ports';
import { StreamAssembler, type AssembledReply, type StreamChunk } from './assembler';
import { embeddedError, errorText } from './errorBody';
import { ModelError } from './errors';
import { messageFields, toolCallFields } from './providerFields';

export interface ReadHandlers {
  /** Something arrived (resets the idle timeout). */
  onProgress(): void;
  onText(text: string): void;
  onToolCalls(calls: { name: string; argumentsText: string }[]): void;
  /** True when the caller cancelled: stop reading. */
  aborted(): boolean;
}

export async function readReply(response: Response, endpoint: string, handlers: ReadHandlers): Promise<AssembledReply> {
  const body = response.body;
  if (!body) throw new ModelError('server', `The model server at ${endpoint} answered HTTP ${response.status} without a body.`);
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const sse = new SseReader();
  const assembler = new StreamAssembler();
  let mode: 'undecided' | 'json' | 'sse' = /event-stream/i.test(response.headers.get('content-type') ?? '') ? 'sse' : 'undecided';
  let whole = '';
  try {
    return await readAll();
  } finally {
    // After [DONE] (or a cancel) the rest of the body is not wanted: let the connection go.
    reader.cancel().catch(() => undefined);
  }

  async function readAll(): Promise<AssembledReply> {
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    handlers.onProgress();
    const text = decoder.decode(value, { stream: true });
    if (mode === 'undecided') {
      whole += text;
      const start = whole.trimStart();
      if (start === '') continue;
      // A JSON body starts with a brace or a bracket; SSE starts with a field name or a comment.
      mode = start[0] === '{' || start[0] === '[' ? 'json' : 'sse';
      if (mode === 'sse') {
        if (feed(sse.push(whole), assembler, endpoint, handlers)) break;
        whole = '';
      }
      continue;
    }
    if (mode === 'json') {
      whole += text;
      continue;
    }
    if (feed(sse.push(text), assembler, endpoint, handlers)) break;
    if (handlers.aborted()) break;
  }
  if (handlers.aborted()) return assembler.result();
  if (mode === 'json') return fromJsonBody(whole + decoder.decode(), endpoint, handlers);
  if (mode === 'undecided') throw new ModelError('server', `The model server at ${endpoint} answered HTTP ${response.status} with an empty body.`);
  feed(sse.end(), assembler, endpoint, handlers);
  if (!assembler.finished && !sse.sawEvent) {
    throw new ModelError('server', `The model server at ${endpoint} answered with neither a stream nor JSON: "${errorText(sse.unparsed)}".`, { retryable: false });
  }
  if (!assembler.finished) {
    throw new ModelError('network', `The model server at ${endpoint} ended the stream before the reply was complete (no finish_reason).`);
  }
  return assembler.result();
  }
}

/** Hands parsed events to the assembler; true at `[DONE]`. An error event fails the call with its message. */
function feed(events: SseEvent[], assembler: StreamAssembler, endpoint: string, handlers: ReadHandlers): boolean {
  for (const event of events) {
    if (event.data === '[DONE]') return true;
    let chunk: unknown;
    try {
      chunk = JSON.parse(event.data);
    } catch {
      if (event.event === 'error') throw errorObjectFailure(event.data, endpoint);
      continue; // keep-alive text some proxies send
    }
    const error = event.event === 'error' ? errorText(event.data) : embeddedError(chunk);
    if (error !== null) throw errorObjectFailure(error, endpoint);
    if (typeof chunk !== 'object' || chunk === null) continue;
    const text = assembler.add(chunk as StreamChunk);
    if (text) handlers.onText(text);
    if (assembler.lastHadToolCalls) handlers.onToolCalls(assembler.toolCallsSoFar());
    if (handlers.aborted()) return true;
  }
  return false;
}

function errorObjectFailure(message: string, endpoint: string): ModelError {
  // Not retried: a server that answers 200 with an error will answer the same request the same way.
  return new ModelError('bad_request', `The model server at ${endpoint} answered with an error instead of a reply: ${message}`, { status: 200, retryable: false });
}

/** A whole JSON body: a chat completion (also when a stream was asked for), or an error object. */
function fromJsonBody(text: string, endpoint: string, handlers: ReadHandlers): AssembledReply {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ModelError('network', `The model server at ${endpoint} sent a JSON reply that was cut off or malformed.`);
  }
  const error = embeddedError(value) ?? (Array.isArray(value) ? errorText(text) : null);
  if (error !== null) throw errorObjectFailure(error, endpoint);
  const completion = value as { choices?: unknown; model?: unknown; usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null };
  const choice = Array.isArray(completion.choices) ? (completion.choices[0] as Record<string, unknown> | undefined) : undefined;
  if (!choice) throw new ModelError('server', `The model server at ${endpoint} answered without any choices: "${errorText(text)}".`, { retryable: false });
  const message = (choice.message ?? choice.delta ?? {}) as Record<string, unknown>;
  const content = contentText(message.content);
  if (content) handlers.onText(content);
  const toolCalls = toolCallsOf(message.tool_calls);
  if (toolCalls.length) handlers.onToolCalls(toolCalls.map((call) => ({ name: call.name, argumentsText: call.argumentsText })));
  const usage = completion.usage;
  const extra: ProviderFields | undefined = messageFields(message);
  return {
    content,
    toolCalls,
    finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : toolCalls.length ? 'tool_calls' : 'stop',
    model: typeof completion.model === 'string' ? completion.model : null,
    usage: usage && typeof usage.prompt_tokens === 'number' ? { promptTokens: usage.prompt_tokens, completionTokens: typeof usage.completion_tokens === 'number' ? usage.completion_tokens : 0 } : null,
    ...(extra ? { extra } : {}),
  };
}

/** Content as a string, or as a list of parts ([{type: 'text', text}]) some servers send. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (typeof part === 'string' ? part : typeof part?.text === 'string' ? part.text : '')).join('');
}

function toolCallsOf(value: unknown): ToolCallRequest[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((raw) => {
    if (typeof raw !== 'object' || raw === null) return [];
    const call = raw as { id?: unknown; type?: unknown; function?: { name?: unknown; arguments?: unknown } };
    if (call.type !== undefined && call.type !== 'function') return [];
    const name = typeof call.function?.name === 'string' ? call.function.name : '';
    const args = call.function?.arguments;
    const argumentsText = typeof args === 'string' ? (args.trim() === '' ? '{}' : args) : args === undefined ? '{}' : JSON.stringify(args);
    const extra = toolCallFields(raw as Record<string, unknown>);
    return [{ id: typeof call.id === 'string' ? call.id : '', name, argumentsText, ...(extra ? { extra } : {}) }];
  });
}

interface SseEvent {
  event: string | null;
  data: string;
}

/** Server-sent events, line by line (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
class SseReader {
  private buffer = '';
  private data: string[] = [];
  private event: string | null = null;
  sawEvent = false;
  /** Text that was not part of any event (kept short), to show when the body was neither SSE nor JSON. */
  unparsed = '';

  push(text: string): SseEvent[] {
    this.buffer += text;
    const events: SseEvent[] = [];
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + (this.buffer.startsWith('\r\n', newline) ? 2 : 1));
      this.line(line, events);
    }
    return events;
  }

  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.buffer) this.line(this.buffer, events);
    this.buffer = '';
    this.line('', events);
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === '') {
      if (this.data.length) events.push({ event: this.event, data: this.data.join('\n') });
      this.data = [];
      this.event = null;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') {
      this.data.push(value);
      this.sawEvent = true;
    } else if (field === 'event') {
      this.event = value;
    } else if (field !== 'id' && field !== 'retry' && this.unparsed.length < 2000) {
      this.unparsed += `${line}\n`;
    }
  }
}
