// Model errors: one class with a kind the loop can act on, and messages that tell the person what to do next.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';

export type ModelErrorKind = 'auth' | 'bad_request' | 'rate_limited' | 'server' | 'network' | 'timeout' | 'cancelled';

export class ModelError extends Error {
  readonly kind: ModelErrorKind;
  readonly status?: number;
  /** True when another attempt may succeed (rate limits, server errors, dropped connections, timeouts). */
  readonly retryable: boolean;
  /** The server's requested wait (retry-after / retry-after-ms), when it sent one. */
  readonly retryAfterMs?: number;
  /** HTTP attempts made before this error was thrown (set by the client once retries are over). */
  attempts?: number;
  /** The server's own words, when it sent any (what fallbacks match on). */
  readonly detail?: string;

  constructor(kind: ModelErrorKind, message: string, options: { status?: number; retryAfterMs?: number; cause?: unknown; retryable?: boolean; detail?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    // Callers test `error.name === 'AbortError'` for cancellation, the same way they do for fetch.
    this.name = kind === 'cancelled' ? 'AbortError' : 'ModelError';
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.detail = options.detail;
    this.retryable = options.retryable ?? (kind === 'rate_limited' || kind === 'server' || kind === 'network' || kind === 'timeout');
  }
}

/** Statuses worth another attempt: 408, 409 (lock timeout), 429, and transient 5xx (not 501 Not Implemented / 505). */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/** Parses retry-after-ms, then retry-after (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  const millis = headers?.get('retry-after-ms');
  if (millis) {
    const value = Number.parseFloat(millis);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const header = headers?.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header.trim());
  if (header.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The server's words: the transport (transport.ts) has already put them in the error's message, whatever the body was. */
export function serverMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  if (body && typeof body.message === 'string' && body.message) return body.message;
  return error.message.replace(/^\d+\s*/, '') || 'no details';
}

export interface ErrorContext {
  baseURL: string;
  model: string;
}

/** Maps a status from the server to a ModelError whose message says what happened and what to do. */
export function errorFromStatus(error: APIError, context: ErrorContext): ModelError {
  const status = error.status ?? 0;
  const detail = serverMessage(error);
  const options = { status, retryAfterMs: retryAfterMs(error.headers), cause: error, detail };
  switch (status) {
    case 401:
      return new ModelError('auth', `The model server at ${context.baseURL} rejected the API key (HTTP 401: ${detail}). Check the API key (PATCHPILOT_API_KEY or OPENAI_API_KEY) and that it belongs to this server.`, options);
    case 403:
      return new ModelError('auth', `The API key may not use model "${context.model}" at ${context.baseURL} (HTTP 403: ${detail}). Check the key's permissions or choose another model.`, options);
    case 404:
      return new ModelError('bad_request', `Not found at ${context.baseURL} (HTTP 404: ${detail}). Check the base URL (it usually ends in /v1) and that model "${context.model}" exists there.`, options);
    case 429:
      return new ModelError('rate_limited', `The model server is rate limiting requests (HTTP 429: ${detail}).`, options);
    default:
      break;
  }
  if (status === 408) return new ModelError('timeout', `The model server timed out the request (HTTP 408: ${detail}).`, options);
  if (isRetryableStatus(status)) {
    return new ModelError('server', `The model server failed (HTTP ${status}: ${detail}).`, options);
  }
  return new ModelError('bad_request', `The model server rejected the request (HTTP ${status}: ${detail}). Check the model name and whether it supports tool calls.`, options);
}

export interface AbortState {
  cancelled: boolean;
  timedOut: boolean;
  timeoutMs: number;
}

/** Turns whatever one attempt threw into a ModelError; the abort state decides between cancel and timeout. */
export function toModelError(error: unknown, abort: AbortState, context: ErrorContext): ModelError {
  // Our own aborts come first: whatever the SDK threw while being aborted is a symptom, not the cause.
  if (abort.cancelled) return cancelledError();
  if (abort.timedOut || error instanceof APIConnectionTimeoutError) {
    return new ModelError('timeout', `The model server at ${context.baseURL} sent nothing for ${abort.timeoutMs} ms (request timeout).`, { cause: error });
  }
  if (error instanceof ModelError) return error;
  if (error instanceof APIUserAbortError) return cancelledError();
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return new ModelError('network', `Cannot reach the model server at ${context.baseURL} (${error.message}${cause}). Check the base URL and that the server is running.`, { cause: error });
  }
  if (error instanceof APIError && typeof error.status === 'number') return errorFromStatus(error, context);
  if (error instanceof APIError) {
    // An error event inside an otherwise successful stream: the server gave up mid-answer.
    return new ModelError('server', `The model server reported an error mid-stream: ${error.message}`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ModelError('network', `The connection to the model server broke (${message}).`, { cause: error });
}

export function cancelledError(): ModelError {
  return new ModelError('cancelled', 'The model request was cancelled.');
}
