// Reads the server's words out of an error body, whatever its shape: an OpenAI error object, a list of them
// (Gemini's OpenAI endpoint answers `[{"error": {...}}]`), FastAPI's `{"detail": [...]}` or `{"detail": "..."}`,
// other gateways' `{"message": ...}`, plain text, or an HTML error page from a proxy. The text is bounded.

/** The longest server message shown; the rest is cut with an ellipsis. */
export const MAX_ERROR_TEXT = 600;

/** The server's message, or '' when the body says nothing readable. */
export function errorText(body: string, contentType = ''): string {
  const trimmed = body.trim();
  if (trimmed === '') return '';
  const parsed = parseJson(trimmed);
  if (parsed !== undefined) return bound(describe(parsed, 0));
  if (/html/i.test(contentType) || /^<(!doctype|html|head|body|\?xml)/i.test(trimmed)) return bound(htmlText(trimmed));
  return bound(trimmed.replace(/\s+/g, ' '));
}

/** The message of an error object sent with HTTP 200 (JSON or an SSE event), or null when it is not one. */
export function embeddedError(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const error = (value as Record<string, unknown>).error;
  if (error === undefined || error === null || error === false) return null;
  return bound(describe(error, 0)) || 'the server sent an error without a message';
}

function describe(value: unknown, depth: number): string {
  if (depth > 4 || value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return unique(value.map((item) => describe(item, depth + 1))).join('; ');
  const record = value as Record<string, unknown>;
  if (record.error !== undefined && record.error !== null) return describe(record.error, depth + 1);
  if (record.detail !== undefined && record.detail !== null) return detailText(record.detail, depth);
  // FastAPI / pydantic validation items: {loc: ["body", "stream_options"], msg: "Extra inputs are not permitted"}.
  if (typeof record.msg === 'string') return Array.isArray(record.loc) ? `${record.loc.join('.')}: ${record.msg}` : record.msg;
  for (const key of ['message', 'error_description', 'title', 'description', 'reason']) {
    const text = describe(record[key], depth + 1);
    if (text) return withCode(text, record);
  }
  if (Array.isArray(record.errors)) return describe(record.errors, depth + 1);
  return JSON.stringify(value).slice(0, MAX_ERROR_TEXT);
}

function detailText(detail: unknown, depth: number): string {
  if (Array.isArray(detail)) return unique(detail.map((item) => describe(item, depth + 1))).join('; ');
  return describe(detail, depth + 1);
}

/** Adds a code or status the message does not already say ("INVALID_ARGUMENT"), so the person can look it up. */
function withCode(text: string, record: Record<string, unknown>): string {
  const code = typeof record.status === 'string' ? record.status : typeof record.code === 'string' ? record.code : undefined;
  return code && !text.includes(code) && !/^\d+$/.test(code) ? `${text} (${code})` : text;
}

function htmlText(html: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const body = html
    .replace(/<(script|style|head)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  const heading = title?.replace(/\s+/g, ' ').trim();
  if (heading && !body.startsWith(heading)) return `${heading}: ${body}`;
  return body || heading || 'an HTML page without text';
}

function unique(parts: string[]): string[] {
  return [...new Set(parts.filter((part) => part !== ''))];
}

function bound(text: string): string {
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT - 1)}…` : text;
}

function parseJson(text: string): unknown {
  if (!/^[[{"]/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
