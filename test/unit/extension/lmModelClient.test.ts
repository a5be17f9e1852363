// LmModelClient over a fake vscode.lm chat: streamed text and tool calls, tokens counted by the model (and an
// estimate when it cannot count), errors with a kind, and cancellation that wins even over a provider that hangs.
import * as assert from 'node:assert/strict';
import type { ModelRequest } from '../../../src/agent/ports';
import { LmModelClient, type LmChat, type LmResponsePart } from '../../../src/host/lmModelClient';
import type { LmMessage, LmTool } from '../../../src/host/lmMessages';

interface FakeOptions {
  parts?: LmResponsePart[];
  /** Thrown by send (the request cannot start) or after the parts (the stream fails). */
  sendError?: Error;
  streamError?: Error;
  /** The stream never ends and ignores cancellation. */
  hang?: boolean;
  countError?: Error;
}

class FakeChat implements LmChat {
  readonly vendor = 'patchpilot-test';
  readonly id = 'fake-coder';
  readonly name = 'Fake Coder';
  readonly family = 'fake';
  readonly maxInputTokens = 64000;
  readonly sent: { messages: LmMessage[]; tools: LmTool[]; justification: string; signal: AbortSignal }[] = [];
  readonly counted: (string | LmMessage)[] = [];

  constructor(private readonly options: FakeOptions = {}) {}

  async send(messages: LmMessage[], tools: LmTool[], options: { justification: string }, signal: AbortSignal): Promise<AsyncIterable<LmResponsePart>> {
    this.sent.push({ messages, tools, justification: options.justification, signal });
    if (this.options.sendError) throw this.options.sendError;
    const { parts = [], streamError, hang } = this.options;
    return (async function* () {
      for (const part of parts) {
        await new Promise((resolve) => setImmediate(resolve));
        yield part;
      }
      if (hang) await new Promise(() => undefined);
      if (streamError) throw streamError;
    })();
  }

  async countTokens(value: string | LmMessage): Promise<number> {
    this.counted.push(value);
    if (this.options.countError) throw this.options.countError;
    // A tokenizer of its own: one token per word, so the counts are plainly the model's and not characters / 4.
    const text = typeof value === 'string' ? value : JSON.stringify(value.parts);
    return text.split(/\s+/).filter(Boolean).length;
  }
}

function languageModelError(code: string, message: string): Error {
  const error = new Error(message);
  error.name = 'LanguageModelError';
  Object.defineProperty(error, 'code', { value: code });
  return error;
}

const request = (overrides: Partial<ModelRequest> = {}): ModelRequest => ({
  messages: [{ role: 'system', content: 'You are Patchpilot.' }, { role: 'user', content: 'Fix the failing tests please' }],
  tools: [{ name: 'read_file', description: 'Read a file', parameters: { type: 'object' } }],
  ...overrides,
});

const model = 'vscode-lm:patchpilot-test/fake-coder';

describe('LmModelClient', () => {
  it('streams text to onTextDelta and tool calls to onToolCallsDelta, and returns them as the reply', async () => {
    const chat = new FakeChat({ parts: [
      { type: 'text', text: 'Reading ' }, { type: 'text', text: 'the file.' }, { type: 'other' },
      { type: 'toolCall', callId: 'tc-1', name: 'read_file', input: { path: 'src/math.js' } },
    ] });
    const client = new LmModelClient(chat, { model });
    const deltas: string[] = [];
    const calls: { name: string; argumentsText: string }[][] = [];
    const reply = await client.complete(request({ onTextDelta: (t) => deltas.push(t), onToolCallsDelta: (c) => calls.push(c) }));
    assert.deepEqual(deltas, ['Reading ', 'the file.']);
    assert.equal(reply.content, 'Reading the file.');
    assert.deepEqual(reply.toolCalls, [{ id: 'tc-1', name: 'read_file', argumentsText: '{"path":"src/math.js"}' }]);
    assert.deepEqual(calls, [[{ name: 'read_file', argumentsText: '{"path":"src/math.js"}' }]]);
    assert.equal(reply.finishReason, 'tool_calls');
    assert.equal(reply.model, model);
    assert.equal(reply.attempts, 1);
    assert.deepEqual(chat.sent[0].tools, [{ name: 'read_file', description: 'Read a file', inputSchema: { type: 'object' } }]);
    assert.equal(chat.sent[0].messages[0].role, 'user', 'the system prompt goes first, as a user turn');
    assert.match(chat.sent[0].justification, /Patchpilot/);
  });

  it('counts tokens with the model: each message and the tool schemas, then the reply; a message is counted once', async () => {
    const chat = new FakeChat({ parts: [{ type: 'text', text: 'All green now' }] });
    const client = new LmModelClient(chat, { model, pricing: { [model]: { inputPerMTok: 1, outputPerMTok: 2 } } });
    const first = await client.complete(request());
    const prompt = chat.counted.filter((value) => typeof value !== 'string').length;
    assert.equal(prompt, 2, 'both messages counted as messages');
    assert.ok(chat.counted.includes('All green now'), 'the reply text is counted');
    assert.equal(first.usage.completionTokens, 3);
    assert.ok(first.usage.promptTokens > 0);
    assert.equal(first.usage.estimated, undefined, 'counts from the model are not marked as estimates');
    assert.equal(first.usage.costUsd, (first.usage.promptTokens * 1 + 3 * 2) / 1e6, 'a configured price applies, keyed by the setting');
    assert.equal(first.finishReason, 'stop');

    const before = chat.counted.length;
    await client.complete(request({ messages: [...request().messages, { role: 'assistant', content: 'All green now' }, { role: 'user', content: 'thanks' }] }));
    const counted = chat.counted.slice(before).filter((value) => typeof value !== 'string');
    assert.equal(counted.length, 2, 'only the two new messages are counted again');
  });

  it('falls back to an estimate, marked as such, when the model cannot count; no price means cost null', async () => {
    const client = new LmModelClient(new FakeChat({ parts: [{ type: 'text', text: 'ok' }], countError: new Error('no tokenizer') }), { model });
    const reply = await client.complete(request());
    assert.equal(reply.usage.estimated, true);
    assert.ok(reply.usage.promptTokens > 0);
    assert.equal(reply.usage.costUsd, null);
  });

  it('a request that cannot start maps the LanguageModelError code to a kind with a plain message, and counts nothing', async () => {
    const chat = new FakeChat({ sendError: languageModelError('NoPermissions', 'no consent') });
    const client = new LmModelClient(chat, { model });
    await assert.rejects(client.complete(request()), (error: Error & { kind?: string }) => {
      assert.equal(error.kind, 'auth');
      assert.match(error.message, /consent dialog/);
      return true;
    });
    assert.equal(chat.counted.length, 0, 'without consent the conversation does not go to the model\'s tokenizer either');
  });

  it('a stream that fails midway (quota) is an error too, after the text it streamed', async () => {
    const deltas: string[] = [];
    const client = new LmModelClient(new FakeChat({ parts: [{ type: 'text', text: 'Let me' }], streamError: languageModelError('Blocked', 'quota exceeded') }), { model });
    await assert.rejects(client.complete(request({ onTextDelta: (t) => deltas.push(t) })), (error: Error & { kind?: string }) => {
      assert.equal(error.kind, 'rate_limited');
      return true;
    });
    assert.deepEqual(deltas, ['Let me']);
  });

  it('cancellation ends the request at once, even when the provider ignores it, and cancels the provider\'s token', async () => {
    const chat = new FakeChat({ parts: [{ type: 'text', text: 'thinking' }], hang: true });
    const client = new LmModelClient(chat, { model });
    const controller = new AbortController();
    const pending = client.complete(request({ signal: controller.signal, onTextDelta: () => controller.abort() }));
    await assert.rejects(pending, (error: Error) => error.name === 'AbortError');
    assert.equal(chat.sent[0].signal.aborted, true);
  });

  it('an already cancelled request sends nothing', async () => {
    const chat = new FakeChat({ parts: [{ type: 'text', text: 'x' }] });
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(new LmModelClient(chat, { model }).complete(request({ signal: controller.signal })), (error: Error) => error.name === 'AbortError');
    assert.equal(chat.sent.length, 0);
  });

  it('a model that sends nothing for the idle timeout is a timeout, not a hang', async () => {
    const client = new LmModelClient(new FakeChat({ hang: true }), { model, idleTimeoutMs: 50 });
    await assert.rejects(client.complete(request()), (error: Error & { kind?: string }) => {
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /sent nothing for/);
      return true;
    });
  });
});
