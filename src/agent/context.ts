// Keeps each request within the model's context window: old tool results are condensed to a one-line stub (the
// journal keeps them whole), newest first kept, the system prompt and the goal never touched.
import type { ChatMessage } from './ports';

export interface ContextOptions {
  /** The model's context window in tokens. */
  windowTokens: number;
  /** Condense when the estimate passes this share of the window. */
  condenseAt: number;
  /** The most recent messages are never condensed. */
  keepRecent: number;
}

export const DEFAULT_CONTEXT: ContextOptions = { windowTokens: 128_000, condenseAt: 0.7, keepRecent: 8 };
const STUB_PREVIEW_CHARS = 160;

/** A rough token count (4 characters a token); calibrated against the server's reported prompt tokens when known. */
export function estimateTokens(messages: readonly ChatMessage[]): number {
  let chars = 0;
  for (const m of messages) {
    chars += 8 + (m.content?.length ?? 0);
    if (m.role === 'assistant' && m.tool_calls) for (const c of m.tool_calls) chars += c.function.name.length + c.function.arguments.length + 16;
  }
  return Math.ceil(chars / 4);
}

export class ContextManager {
  /** Indices of messages already condensed: once condensed, always condensed, so the prompt prefix stays stable. */
  private readonly condensed = new Set<number>();
  private calibration = 1;

  constructor(private readonly options: ContextOptions = DEFAULT_CONTEXT) {}

  /** Adjusts the estimate to the server's own count of the last prompt. */
  calibrate(estimatedTokens: number, reportedPromptTokens: number): void {
    if (estimatedTokens > 0 && reportedPromptTokens > 0) this.calibration = Math.min(4, Math.max(0.25, reportedPromptTokens / estimatedTokens));
  }

  estimate(messages: readonly ChatMessage[]): number {
    return Math.ceil(estimateTokens(messages) * this.calibration);
  }

  /** Returns the messages to send, and whether more was condensed this time. */
  prepare(messages: readonly ChatMessage[]): { messages: ChatMessage[]; condensedNow: { before: number; after: number } | null } {
    const view = this.render(messages);
    const limit = this.options.windowTokens * this.options.condenseAt;
    const before = this.estimate(view);
    if (before <= limit) return { messages: view, condensedNow: null };
    const lastCondensable = messages.length - this.options.keepRecent;
    let current = before;
    for (let i = 2; i < lastCondensable && current > limit; i++) {
      const m = messages[i];
      if (this.condensed.has(i) || m.role !== 'tool' || m.content.length <= STUB_PREVIEW_CHARS * 2) continue;
      this.condensed.add(i);
      view[i] = condense(m);
      current -= this.estimate([m]) - this.estimate([view[i]]);
    }
    return { messages: view, condensedNow: { before, after: this.estimate(view) } };
  }

  private render(messages: readonly ChatMessage[]): ChatMessage[] {
    return messages.map((m, i) => (this.condensed.has(i) && m.role === 'tool' ? condense(m) : m));
  }
}

function condense(message: Extract<ChatMessage, { role: 'tool' }>): ChatMessage {
  const firstLine = message.content.split('\n', 1)[0].slice(0, STUB_PREVIEW_CHARS);
  return {
    role: 'tool',
    tool_call_id: message.tool_call_id,
    content: `[condensed to save context: ${message.content.length} characters; it began: "${firstLine}". Call the tool again if you need it.]`,
  };
}
