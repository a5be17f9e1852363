// Turns a scripted turn into the exact OpenAI wire shapes: one chat.completion, or a list of chat.completion.chunk objects.
import type { ScriptTurn } from './script';
import { estimateTokens } from './matching';

/** Text is streamed in pieces of this many characters, tool-call arguments likewise: small enough to test reassembly. */
const CONTENT_PIECE = 20;
const ARGUMENTS_PIECE = 12;

export interface ReplyToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface PlannedReply {
  id: string;
  model: string;
  created: number;
  content: string | null;
  toolCalls: ReplyToolCall[];
  finishReason: 'stop' | 'tool_calls';
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

export interface ReplyContext {
  turnNumber: number;
  model: string;
  promptTokens: number;
  created: number;
}

/** Resolves ids, argument text and usage for a turn; tool call ids are deterministic: call_<turn>_<index>. */
export function planReply(turn: ScriptTurn, context: ReplyContext): PlannedReply {
  const toolCalls = (turn.tool_calls ?? []).map((call, index) => ({
    id: `call_${context.turnNumber}_${index}`,
    name: call.name,
    arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}),
  }));
  const content = turn.content ?? null;
  const completionCharacters =
    (content ?? '').length + toolCalls.reduce((sum, call) => sum + call.name.length + call.arguments.length, 0);
  const promptTokens = turn.usage?.prompt_tokens ?? context.promptTokens;
  const completionTokens = turn.usage?.completion_tokens ?? estimateTokens(completionCharacters);
  return {
    id: `chatcmpl-scripted-${context.turnNumber}`,
    model: context.model,
    created: context.created,
    content,
    toolCalls,
    finishReason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}

/** The non-streaming response body. */
export function completionBody(reply: PlannedReply): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: reply.content, refusal: null };
  if (reply.toolCalls.length > 0) {
    message.tool_calls = reply.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return {
    id: reply.id,
    object: 'chat.completion',
    created: reply.created,
    model: reply.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: reply.finishReason }],
    usage: reply.usage,
    system_fingerprint: 'scripted',
  };
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let start = 0; start < text.length; start += size) out.push(text.slice(start, start + size));
  return out;
}

export interface StreamPlan {
  /** Chunks up to and including the one carrying finish_reason, then the usage chunk if requested. */
  chunks: Record<string, unknown>[];
  /** How many chunks come before the finish chunk: a scripted drop never sends more than this. */
  chunksBeforeFinish: number;
}

/** The streamed response as chat.completion.chunk objects, in the order OpenAI sends them. */
export function streamChunks(reply: PlannedReply, includeUsage: boolean): StreamPlan {
  const base = { id: reply.id, object: 'chat.completion.chunk', created: reply.created, model: reply.model, system_fingerprint: 'scripted' };
  const usageField = includeUsage ? { usage: null } : {};
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...usageField,
  });

  const chunks = [chunk({ role: 'assistant', content: reply.toolCalls.length > 0 && !reply.content ? null : '', refusal: null })];
  for (const piece of pieces(reply.content ?? '', CONTENT_PIECE)) chunks.push(chunk({ content: piece }));
  reply.toolCalls.forEach((call, index) => {
    chunks.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const piece of pieces(call.arguments, ARGUMENTS_PIECE)) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  const chunksBeforeFinish = chunks.length;
  chunks.push(chunk({}, reply.finishReason));
  if (includeUsage) chunks.push({ ...base, choices: [], usage: reply.usage });
  return { chunks, chunksBeforeFinish };
}

export function errorBody(message: string, type: string, code: string | null): Record<string, unknown> {
  return { error: { message, type, param: null, code } };
}
