// The fetch under the openai client: an error response's body, whatever its shape, is rewritten into the OpenAI
// error shape with the server's words as its message, so every error the SDK raises carries them (its own parser
// keeps only `{"error": {...}}` bodies and reports anything else — Gemini's list, FastAPI's detail, an HTML page —
// as "status code (no body)"). Status and headers (retry-after) are kept.
import { errorText } from './errorBody';

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export function readableErrorsFetch(inner: Fetch = (input, init) => globalThis.fetch(input, init)): Fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.ok || response.status < 400) return response;
    const text = await response.text().catch(() => '');
    const message = errorText(text, response.headers.get('content-type') ?? '') || `HTTP ${response.status} with no body`;
    const original = openAiError(text);
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    headers.delete('content-encoding');
    headers.set('content-type', 'application/json');
    const body = { error: { ...original, message } };
    return new Response(JSON.stringify(body), { status: response.status, statusText: response.statusText, headers });
  };
}

/** The type and code of an OpenAI-shaped error body, kept beside the rewritten message. */
function openAiError(text: string): { type?: unknown; code?: unknown; param?: unknown } {
  try {
    const value: unknown = JSON.parse(text);
    const error = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { error?: unknown }).error : undefined;
    if (typeof error !== 'object' || error === null || Array.isArray(error)) return {};
    const { type, code, param } = error as Record<string, unknown>;
    return { ...(type === undefined ? {} : { type }), ...(code === undefined ? {} : { code }), ...(param === undefined ? {} : { param }) };
  } catch {
    return {};
  }
}
