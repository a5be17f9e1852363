// Keeps each request within the model's context window: old tool results are condensed to a one-line stub (the
// journal keeps them whole), newest first kept, the system prompt and the goal never touched.
//
// Three promises, in order of strength:
// - no single tool output takes more than a share of the window (capToolOutput: head and tail kept, the whole text
//   spilled to a file the model can read by line range);
// - old tool results are condensed first; when the recent ones alone are over the budget, they are condensed too,
//   and so are the arguments of old tool calls (a 1 MB write_file);
// - no request ever exceeds the window: past everything else, long message texts are cut to head and tail.
import type { ChatMessage } from './ports';

export interface ContextOptions {
  /** The model's context window in tokens. */
  windowTokens: number;
  /** Condense when the estimate passes this share of the window. */
  condenseAt: number;
  /** The most recent messages are condensed last. */
  keepRecent: number;
  /** Tokens every request spends outside the messages (the tool schemas): the messages get the window minus these. */
  reservedTokens?: number;
}

export const DEFAULT_CONTEXT: ContextOptions = { windowTokens: 128_000, condenseAt: 0.7, keepRecent: 8 };
const STUB_PREVIEW_CHARS = 160;
/** The most of the window one tool output may take. */
const TOOL_OUTPUT_SHARE = 0.25;
const MIN_TOOL_OUTPUT_CHARS = 2_000;
const CHARS_PER_TOKEN = 4;

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

  /** The most characters one tool output may have in a request. */
  get toolOutputLimit(): number {
    return Math.max(MIN_TOOL_OUTPUT_CHARS, Math.floor((this.messageWindow * TOOL_OUTPUT_SHARE * CHARS_PER_TOKEN) / this.calibration));
  }

  /** The part of the window the messages may use. */
  private get messageWindow(): number {
    return Math.max(1, this.options.windowTokens - (this.options.reservedTokens ?? 0));
  }

  /** A tool output cut to its head and tail when it is over the limit; `spill` keeps the whole text readable. */
  capToolOutput(content: string, spill: (text: string) => string | null): string {
    const limit = this.toolOutputLimit;
    if (content.length <= limit) return content;
    const where = spill(content);
    const note = `\n[… ${(content.length - limit).toLocaleString('en-US')} characters left out to fit the context window${where ? `; the whole output is in ${where}: read it with read_file and a line range, or search it with search_text` : ''} …]\n`;
    const room = Math.max(0, limit - note.length);
    const head = Math.ceil(room * 0.6);
    return content.slice(0, head) + note + content.slice(content.length - (room - head));
  }

  /** Returns the messages to send, and whether more was condensed this time. */
  prepare(messages: readonly ChatMessage[]): { messages: ChatMessage[]; condensedNow: { before: number; after: number } | null } {
    const view = this.render(messages);
    const limit = this.messageWindow * this.options.condenseAt;
    const before = this.estimate(view);
    if (before <= limit) return { messages: view, condensedNow: null };
    let current = before;
    // Oldest first; the recent ones only when the old ones were not enough.
    const passes = [messages.length - this.options.keepRecent, messages.length];
    for (const end of passes) {
      for (let i = 2; i < end && current > limit; i++) {
        const m = messages[i];
        if (this.condensed.has(i) || !condensable(m)) continue;
        this.condensed.add(i);
        const stub = condense(m);
        current -= this.estimate([view[i]]) - this.estimate([stub]);
        view[i] = stub;
      }
    }
    // Never over the window: what is still too long (a huge goal, a long reply) keeps its head and tail.
    if (current > this.messageWindow) this.cutLongTexts(view, current);
    return { messages: view, condensedNow: { before, after: this.estimate(view) } };
  }

  private cutLongTexts(view: ChatMessage[], current: number): void {
    const target = this.messageWindow * this.options.condenseAt;
    // The system prompt is the agent's instructions: never cut.
    const order = view.map((m, i) => ({ i, length: m.content?.length ?? 0 })).filter(({ i }) => i !== 0).sort((a, b) => b.length - a.length);
    for (const { i } of order) {
      if (current <= target) break;
      const m = view[i];
      if (!m.content || m.content.length <= 4 * STUB_PREVIEW_CHARS) continue;
      const keep = Math.max(4 * STUB_PREVIEW_CHARS, m.content.length - Math.ceil((current - target) * CHARS_PER_TOKEN * 1.1));
      const cut = `${m.content.slice(0, Math.ceil(keep / 2))}\n[… ${m.content.length - keep} characters cut to fit the context window …]\n${m.content.slice(-Math.floor(keep / 2))}`;
      current -= this.estimate([m]) - this.estimate([{ ...m, content: cut } as ChatMessage]);
      view[i] = { ...m, content: cut } as ChatMessage;
    }
    if (current > this.messageWindow) current = this.dropOldestTurns(view, current);
    if (current > this.messageWindow) {
      throw new Error(`The context window (${this.options.windowTokens} tokens) is too small for this task's system prompt and goal; use a model with a larger window (--context-window).`);
    }
  }

  /**
   * A long task in a small window: once every old message is already a stub and they still do not fit, the oldest
   * turns (an assistant message with its tool results, so no result is left without its call) leave the request,
   * and the goal message says how many. The journal keeps them all; only this request is shorter.
   */
  private dropOldestTurns(view: ChatMessage[], current: number): number {
    const note = (count: number) => `\n\n[${count} earlier messages of this task were left out to fit the context window; the plan and the latest results are below.]`;
    // Room for the note is kept from the start, so what it says stays true once it is added.
    const noteTokens = Math.ceil(note(9999).length / CHARS_PER_TOKEN) + 1;
    let dropped = 0;
    // Counted afresh after each cut: the running figure drifts a little with each rounding of a part.
    current = this.estimate(view);
    while (current + noteTokens > this.messageWindow && view.length > 3) {
      let end = 3;
      if (view[2].role === 'assistant') while (end < view.length && view[end].role === 'tool') end++;
      // The latest turn is what the model answers to: never dropped.
      if (end >= view.length) break;
      dropped += end - 2;
      view.splice(2, end - 2);
      current = this.estimate(view);
    }
    if (dropped > 0 && view[1]?.role === 'user') {
      view[1] = { ...view[1], content: view[1].content + note(dropped) };
      current = this.estimate(view);
    }
    return current;
  }


  private render(messages: readonly ChatMessage[]): ChatMessage[] {
    return messages.map((m, i) => (this.condensed.has(i) ? condense(m) : m));
  }
}

function condensable(message: ChatMessage): boolean {
  if (message.role === 'tool') return message.content.length > STUB_PREVIEW_CHARS * 2;
  if (message.role === 'assistant') return (message.tool_calls ?? []).some((call) => call.function.arguments.length > STUB_PREVIEW_CHARS * 2);
  return false;
}

function condense(message: ChatMessage): ChatMessage {
  if (message.role === 'assistant') {
    // The call stays (the API pairs it with its result); only its bulky arguments go.
    const calls = message.tool_calls?.map((call) => call.function.arguments.length > STUB_PREVIEW_CHARS * 2
      ? { ...call, function: { ...call.function, arguments: JSON.stringify({ condensed: `${call.function.arguments.length} characters of arguments left out to save context` }) } }
      : call);
    return { ...message, ...(calls ? { tool_calls: calls } : {}) };
  }
  if (message.role !== 'tool') return message;
  const firstLine = message.content.split('\n', 1)[0].slice(0, STUB_PREVIEW_CHARS);
  return {
    role: 'tool',
    tool_call_id: message.tool_call_id,
    content: `[condensed to save context: ${message.content.length} characters; it began: "${firstLine}". Call the tool again if you need it.]`,
  };
}
