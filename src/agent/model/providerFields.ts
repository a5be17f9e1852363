// Provider fields: what a server adds to an assistant message or a tool call beyond the OpenAI shape. They are
// collected generically (streamed pieces merged), kept on the reply, and sent back verbatim in the next request —
// DeepSeek rejects a tool-call history without its `reasoning_content`, Gemini 3 one without the tool call's
// `extra_content.google.thought_signature`, OpenRouter asks for `reasoning_details` back. A field we already
// model, or one that only describes the response, is never echoed.
import type { JsonValue, ProviderFields } from '../ports';

/** Message fields that are ours (content, tool calls) or response-only (refusal, annotations, audio). */
const MESSAGE_FIELDS_NOT_KEPT = new Set(['role', 'content', 'tool_calls', 'function_call', 'refusal', 'annotations', 'audio', 'parsed', 'name']);
/** Tool-call fields that are ours, or the stream's bookkeeping. */
const TOOL_CALL_FIELDS_NOT_KEPT = new Set(['index', 'id', 'type', 'function']);

/** Provider fields of a (streamed or whole) assistant message: everything but the OpenAI fields; nulls dropped. */
export function messageFields(message: Record<string, unknown>): ProviderFields | undefined {
  return pick(message, MESSAGE_FIELDS_NOT_KEPT);
}

/** Provider fields of one tool call (or one streamed piece of it). */
export function toolCallFields(call: Record<string, unknown>): ProviderFields | undefined {
  return pick(call, TOOL_CALL_FIELDS_NOT_KEPT);
}

function pick(source: Record<string, unknown>, notKept: ReadonlySet<string>): ProviderFields | undefined {
  let kept: ProviderFields | undefined;
  for (const [key, value] of Object.entries(source)) {
    if (notKept.has(key) || value === null || value === undefined || !isJson(value)) continue;
    // An empty string is how some servers say "nothing this chunk" (reasoning_content: "").
    if (value === '') continue;
    (kept ??= {})[key] = value;
  }
  return kept;
}

/**
 * Adds a streamed piece to what came before. Text arrives in pieces, so strings are joined; objects are merged key
 * by key; lists are joined, and list items that carry the same `index` (OpenRouter's reasoning_details) are merged.
 * Only text fields are joined when a piece repeats what came before; any other string that arrives whole again (a
 * `type`, a signature repeated in a later chunk) is not doubled.
 */
export function mergeFields(into: ProviderFields | undefined, piece: ProviderFields | undefined): ProviderFields | undefined {
  if (!piece) return into;
  const result: ProviderFields = { ...(into ?? {}) };
  for (const [key, value] of Object.entries(piece)) result[key] = key in result ? mergeValue(key, result[key], value) : value;
  return result;
}

/** Fields whose pieces are streamed text: always joined. */
const TEXT_FIELDS = new Set(['text', 'content', 'reasoning', 'reasoning_content', 'thinking', 'summary']);

function mergeValue(key: string, before: JsonValue, piece: JsonValue): JsonValue {
  if (typeof before === 'string' && typeof piece === 'string') return before === piece && !TEXT_FIELDS.has(key) ? before : before + piece;
  if (Array.isArray(before) && Array.isArray(piece)) return mergeLists(before, piece);
  if (isObject(before) && isObject(piece)) return mergeFields(before, piece) ?? {};
  return piece;
}

function mergeLists(before: JsonValue[], piece: JsonValue[]): JsonValue[] {
  const result = [...before];
  for (const item of piece) {
    const index = isObject(item) && typeof item.index === 'number' ? item.index : undefined;
    const at = index === undefined ? -1 : result.findIndex((existing) => isObject(existing) && existing.index === index);
    if (at >= 0) result[at] = mergeValue('', result[at], item);
    else result.push(item);
  }
  return result;
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isJson(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJson);
  return typeof value === 'object' && Object.values(value as object).every(isJson);
}

/** The characters provider fields add to a request, for usage estimates. */
export function fieldsLength(fields: ProviderFields | undefined): number {
  return fields ? JSON.stringify(fields).length : 0;
}
