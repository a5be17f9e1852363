// Cancellation and timeouts: an aborted call rejects with an AbortError at any await; a silent server times out.
import * as assert from 'node:assert/strict';
import { OpenAIModelClient } from '../../../src/agent/model/openaiClient';
import { ModelError } from '../../../src/agent/model/errors';
import type { ChatMessage } from '../../../src/agent/ports';
import { startScriptedServer, type ScriptedServer } from '../../../src/scripted/server';

const messages: ChatMessage[] = [{ role: 'user', content: 'hello' }];

function isCancelled(error: unknown): boolean {
  assert.ok(error instanceof ModelError);
  assert.equal(error.name, 'AbortError');
  assert.equal(error.kind, 'cancelled');
  return true;
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('OpenAIModelClient cancellation and timeouts', () => {
  let server: ScriptedServer;
  afterEach(async () => server.close());

  it('rejects with an AbortError while the server is still thinking', async () => {
    // The server would answer after a minute: the test only finishes in time if the abort is prompt.
    server = await startScriptedServer({ turns: [{ delay_ms: 60_000, content: 'too late' }] });
    const client = new OpenAIModelClient({ baseURL: server.url, apiKey: 'k', model: 'scripted' });
    const controller = new AbortController();
    const pending = client.complete({ messages, tools: [], signal: controller.signal });
    await waitFor(() => server.requests.length === 1);
    controller.abort();
    await assert.rejects(pending, isCancelled);
    await waitFor(() => server.requests[0].outcome !== 'pending');
    assert.equal(server.requests[0].outcome, 'client_gone');
  });

  it('rejects with an AbortError when cancelled mid-stream, after text has arrived', async () => {
    server = await startScriptedServer({ turns: [{ content: 'a long reply that arrives in several streamed pieces' }] });
    const client = new OpenAIModelClient({ baseURL: server.url, apiKey: 'k', model: 'scripted' });
    const controller = new AbortController();
    const seen: string[] = [];
    const pending = client.complete({ messages, tools: [], signal: controller.signal, onTextDelta: (text) => {
      seen.push(text);
      controller.abort();
    } });
    await assert.rejects(pending, isCancelled);
    assert.equal(seen.length, 1);
  });

  it('rejects with an AbortError during a backoff wait, without another attempt', async () => {
    server = await startScriptedServer({ turns: [{ fault: { status: 429, retry_after: 50 }, content: 'x' }] });
    const controller = new AbortController();
    // The real sleep: it must wake up on abort rather than wait the 50 s.
    const client = new OpenAIModelClient({ baseURL: server.url, apiKey: 'k', model: 'scripted', onRetry: () => controller.abort() });
    await assert.rejects(client.complete({ messages, tools: [], signal: controller.signal }), isCancelled);
    assert.equal(server.requests.length, 1);
  });

  it('rejects at once when the signal is already aborted, sending nothing', async () => {
    server = await startScriptedServer({ turns: [{ content: 'x' }] });
    const client = new OpenAIModelClient({ baseURL: server.url, apiKey: 'k', model: 'scripted' });
    await assert.rejects(client.complete({ messages, tools: [], signal: AbortSignal.abort() }), isCancelled);
    assert.equal(server.requests.length, 0);
  });

  it('times out a server that sends nothing', async () => {
    server = await startScriptedServer({ turns: [{ delay_ms: 60_000, content: 'too late' }] });
    const client = new OpenAIModelClient({ baseURL: server.url, apiKey: 'k', model: 'scripted', requestTimeoutMs: 200, maxRetries: 0 });
    await assert.rejects(client.complete({ messages, tools: [] }), (error: unknown) => {
      assert.ok(error instanceof ModelError);
      assert.equal(error.kind, 'timeout');
      assert.equal(error.name, 'ModelError');
      assert.match(error.message, /sent nothing for 200 ms/);
      return true;
    });
  });

  it('retries after a timeout and gets the reply once the server answers', async () => {
    server = await startScriptedServer({ turns: [{ fault: { stall_ms: 60_000 }, content: 'answered' }] });
    const delays: number[] = [];
    const client = new OpenAIModelClient({
      baseURL: server.url, apiKey: 'k', model: 'scripted', requestTimeoutMs: 200, sleep: async (ms) => void delays.push(ms),
    });
    const reply = await client.complete({ messages, tools: [] });
    assert.equal(reply.content, 'answered');
    assert.equal(reply.attempts, 2);
    assert.equal(delays.length, 1);
    assert.deepEqual(server.requests.map((r) => r.outcome), ['stalled', 'reply']);
  });
});
