// Reassembles streamed chat-completion chunks (text deltas and tool-call deltas by index) into one reply, keeping
// the provider fields of the message and of each tool call (see providerFields.ts).
import type { ProviderFields, ToolCallRequest } from '../ports';
import { mergeFields, messageFields, toolCallFields } from './providerFields';

/** The parts of a chunk we read; servers differ, so every field is optional. */
export interface StreamChunk {
  model?: string;
  choices?: {
    delta?: {
      content?: string | null;
      tool_calls?: { index?: number; id?: string; type?: string; function?: { name?: string; arguments?: string } }[];
    };
    finish_reason?: string | null;
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

interface ToolCallSlot {
  id: string;
  name: string;
  argumentsText: string;
  extra?: ProviderFields;
}

export interface AssembledReply {
  content: string;
  toolCalls: ToolCallRequest[];
  finishReason: string | null;
  model: string | null;
  usage: { promptTokens: number; completionTokens: number } | null;
  /** Provider fields of the assistant message. */
  extra?: ProviderFields;
}

export class StreamAssembler {
  private content = '';
  private readonly slots: ToolCallSlot[] = [];
  /** Which slot a chunk's tool-call index currently feeds. */
  private readonly slotByIndex = new Map<number, number>();
  private finishReason: string | null = null;
  private model: string | null = null;
  private usage: AssembledReply['usage'] = null;
  private extra: ProviderFields | undefined;

  /** Adds one chunk; returns the text it carried (for live display). */
  add(chunk: StreamChunk): string {
    if (chunk.model) this.model = chunk.model;
    if (chunk.usage && typeof chunk.usage.prompt_tokens === 'number') {
      this.usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens ?? 0 };
    }
    let text = '';
    this.lastHadToolCalls = false;
    for (const choice of chunk.choices ?? []) {
      const delta = choice.delta;
      if ((delta?.tool_calls?.length ?? 0) > 0) this.lastHadToolCalls = true;
      if (typeof delta?.content === 'string') text += delta.content;
      if (delta) this.extra = mergeFields(this.extra, messageFields(delta as Record<string, unknown>));
      for (const call of delta?.tool_calls ?? []) this.addToolCallDelta(call);
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
    this.content += text;
    return text;
  }

  /** Every tool call so far, with the arguments received so far (for live display). */
  toolCallsSoFar(): { name: string; argumentsText: string }[] {
    return this.slots.map((slot) => ({ name: slot.name, argumentsText: slot.argumentsText }));
  }

  /** True when the last chunk carried a tool-call delta. */
  lastHadToolCalls = false;

  get finished(): boolean {
    return this.finishReason !== null;
  }

  private addToolCallDelta(call: NonNullable<NonNullable<NonNullable<StreamChunk['choices']>[number]['delta']>['tool_calls']>[number]): void {
    // Some servers omit the index (one call per chunk) or reuse index 0 with a fresh id for every call.
    const index = call.index ?? (call.id ? this.slots.length : Math.max(0, this.slots.length - 1));
    let position = this.slotByIndex.get(index);
    const existing = position === undefined ? undefined : this.slots[position];
    if (existing === undefined || (call.id && existing.id && call.id !== existing.id)) {
      position = this.slots.push({ id: '', name: '', argumentsText: '' }) - 1;
      this.slotByIndex.set(index, position);
    }
    const slot = this.slots[position as number];
    if (call.id) slot.id = call.id;
    const name = call.function?.name;
    // The name normally arrives whole in the first delta; some servers repeat it in every delta.
    if (name && name !== slot.name) slot.name += name;
    if (call.function?.arguments) slot.argumentsText += call.function.arguments;
    slot.extra = mergeFields(slot.extra, toolCallFields(call as Record<string, unknown>));
  }

  result(): AssembledReply {
    return {
      content: this.content,
      // A missing id stays empty here; the client's tool-id rules give it one (toolIds.ts).
      toolCalls: this.slots.map((slot) => ({
        id: slot.id,
        name: slot.name,
        argumentsText: slot.argumentsText.trim() === '' ? '{}' : slot.argumentsText,
        ...(slot.extra ? { extra: slot.extra } : {}),
      })),
      finishReason: this.finishReason,
      model: this.model,
      usage: this.usage,
      ...(this.extra ? { extra: this.extra } : {}),
    };
  }
}
