// How a scripted turn checks the request it answers (expect / absent) and how request size is estimated in tokens.
import type { ScriptTurn } from './script';

/** Every piece of text a request's messages carry: contents, tool results, tool-call names and arguments. */
export function messageTexts(messages: unknown): string[] {
  if (!Array.isArray(messages)) return [];
  const texts: string[] = [];
  for (const message of messages) {
    if (typeof message !== 'object' || message === null) continue;
    const { content, tool_calls: toolCalls } = message as { content?: unknown; tool_calls?: unknown };
    texts.push(...contentTexts(content));
    if (Array.isArray(toolCalls)) {
      for (const call of toolCalls) {
        const fn = (call as { function?: { name?: unknown; arguments?: unknown } } | null)?.function;
        if (typeof fn?.name === 'string') texts.push(fn.name);
        if (typeof fn?.arguments === 'string') texts.push(fn.arguments);
      }
    }
  }
  return texts;
}

// Content is a string, or (in newer clients) a list of parts of which the text parts matter.
function contentTexts(content: unknown): string[] {
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return [];
  return content.flatMap((part) => {
    const text = (part as { text?: unknown } | null)?.text;
    return typeof text === 'string' ? [text] : [];
  });
}

/** Null when the request satisfies the turn, else a message naming the turn and the offending text. */
export function checkTurnExpectations(turn: ScriptTurn, turnNumber: number, messages: unknown): string | null {
  const haystack = messageTexts(messages).join('\n');
  for (const wanted of turn.expect ?? []) {
    if (!haystack.includes(wanted)) {
      return `scripted model: turn ${turnNumber} expected the request to contain ${JSON.stringify(wanted)}, but no message did`;
    }
  }
  for (const forbidden of turn.absent ?? []) {
    if (haystack.includes(forbidden)) {
      return `scripted model: turn ${turnNumber} found forbidden text ${JSON.stringify(forbidden)} in the request`;
    }
  }
  return null;
}

/** The scripted server's token estimate: one token per four characters, rounded up. */
export function estimateTokens(characters: number): number {
  return Math.ceil(characters / 4);
}

export function promptCharacters(messages: unknown): number {
  return messageTexts(messages).reduce((sum, text) => sum + text.length, 0);
}
