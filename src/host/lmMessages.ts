// The core's chat in the shape of VS Code's Language Model API, without importing 'vscode': the model setting's
// `vscode-lm:<vendor>/<id>` form, messages as user/assistant turns of text, tool-call and tool-result parts, and tools
// as name/description/inputSchema. The adapter in vscodeLm.ts maps these plain shapes to vscode's classes one to one.
import type { ChatMessage, ToolSchema } from '../agent/ports';

/** `patchpilot.model` values with this prefix name a chat model offered through vscode.lm, not an HTTP provider's. */
export const LM_MODEL_PREFIX = 'vscode-lm:';

export interface LmModelRef {
  vendor: string;
  id: string;
}

/** `vscode-lm:copilot/gpt-4.1` → { vendor: 'copilot', id: 'gpt-4.1' }; anything else (an HTTP model name) → null. */
export function parseLmModelRef(value: string): LmModelRef | null {
  if (!value.startsWith(LM_MODEL_PREFIX)) return null;
  const rest = value.slice(LM_MODEL_PREFIX.length);
  // Vendors are single words; ids are opaque and may hold a slash, so the first slash separates them.
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return null;
  return { vendor: rest.slice(0, slash), id: rest.slice(slash + 1) };
}

export function formatLmModelRef(ref: LmModelRef): string {
  return `${LM_MODEL_PREFIX}${ref.vendor}/${ref.id}`;
}

export type LmPart =
  | { type: 'text'; text: string }
  | { type: 'toolCall'; callId: string; name: string; input: Record<string, unknown> }
  | { type: 'toolResult'; callId: string; text: string };

/** vscode.lm has two roles in its stable API (System is a proposal), so the system prompt travels as a user turn. */
export interface LmMessage {
  role: 'user' | 'assistant';
  parts: LmPart[];
}

export interface LmTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/**
 * A tool call's input must be an object in vscode.lm. Arguments the core holds as text are parsed; text that is not
 * a JSON object (a malformed call of an earlier model, kept in a resumed task) is passed on under `arguments`.
 */
export function toolInput(argumentsText: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(argumentsText || '{}');
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through: not JSON
  }
  return { arguments: argumentsText };
}

/**
 * The conversation as vscode.lm turns. The system prompt is the first user turn; an assistant turn carries its text
 * and its tool calls; the results of one batch of tool calls go back together in the next user turn, as
 * LanguageModelToolResultParts, which the API only accepts in user messages.
 */
export function toLmMessages(messages: readonly ChatMessage[]): LmMessage[] {
  const out: LmMessage[] = [];
  let toolResults: LmMessage | null = null;
  for (const message of messages) {
    if (message.role === 'tool') {
      if (!toolResults) {
        toolResults = { role: 'user', parts: [] };
        out.push(toolResults);
      }
      toolResults.parts.push({ type: 'toolResult', callId: message.tool_call_id, text: message.content });
      continue;
    }
    toolResults = null;
    if (message.role === 'assistant') {
      const parts: LmPart[] = [];
      if (message.content) parts.push({ type: 'text', text: message.content });
      for (const call of message.tool_calls ?? []) {
        parts.push({ type: 'toolCall', callId: call.id, name: call.function.name, input: toolInput(call.function.arguments) });
      }
      // An empty assistant turn says nothing, and some models reject one.
      if (parts.length > 0) out.push({ role: 'assistant', parts });
      continue;
    }
    if (message.content) out.push({ role: 'user', parts: [{ type: 'text', text: message.content }] });
  }
  return out;
}

export function toLmTools(tools: readonly ToolSchema[]): LmTool[] {
  return tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.parameters }));
}

