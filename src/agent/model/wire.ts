// The request as it goes over the wire: the loop's messages with each assistant message's provider fields put back
// where the provider sent them (beside `content`, inside each tool call), tool-call ids in the form the server
// accepts, and the tool schemas. Provider fields never override the OpenAI fields we own.
import type { ChatMessage, ToolSchema } from '../ports';
import { toolIdFor, type ToolIdStyle } from './toolIds';

export type WireMessage = Record<string, unknown>;

export interface WireShape {
  toolIds: ToolIdStyle;
}

export function wireMessages(messages: readonly ChatMessage[], shape: WireShape): WireMessage[] {
  return messages.map((message) => {
    if (message.role === 'tool') return { role: 'tool', tool_call_id: toolIdFor(message.tool_call_id, shape.toolIds), content: message.content };
    if (message.role !== 'assistant') return { role: message.role, content: message.content };
    const wire: WireMessage = { ...message.extra, role: 'assistant', content: message.content };
    if (message.tool_calls?.length) {
      wire.tool_calls = message.tool_calls.map((call) => ({
        ...call.extra,
        id: toolIdFor(call.id, shape.toolIds),
        type: 'function',
        function: { name: call.function.name, arguments: call.function.arguments },
      }));
    }
    return wire;
  });
}

export function wireTools(tools: readonly ToolSchema[]): Record<string, unknown>[] {
  return tools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } }));
}
