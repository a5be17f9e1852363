// The model client over real HTTP against the scripted server: assembly, usage, visible retries, fail-fast, cancel, timeout.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { OpenAIModelClient, type OpenAIModelClientOptions, type RetryInfo } from '../../../src/agent/model/openaiClient';
import { ModelError } from '../../../src/agent/model/errors';
import type { ChatMessage, ToolSchema } from '../../../src/agent/ports';
import { startScriptedServer, type ScriptedServer } from '../../../src/scripted/server';
import type { Script } from '../../../src/scripted/script';

const scriptsDir = path.resolve(__dirname, '../../../../test/fixtures/scripts');
const tools: ToolSchema[] = [
  { name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } },
];
const goal: ChatMessage[] = [{ role: 'user', content: 'Make add(2, 3) return 5' }];

describe('OpenAIModelClient', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** A client whose backoff waits are recorded instead of slept. */
  async function setup(script: Script | string, options: Partial<OpenAIModelClientOptions> = {}) {
    server = await startScriptedServer(script);
    const delays: number[] = [];
    const retries: RetryInfo[] = [];
    const client = new OpenAIModelClient({
      baseURL: server.url,
      apiKey: 'test-key',
      model: 'scripted',
      sleep: async (ms) => void delays.push(ms),
      onRetry: (info) => retries.push(info),
      ...options,
    });
    return { server, client, delays, retries };
  }

  it('assembles streamed text and tool calls, streams the text, and reads usage from the usage chunk', async () => {
    const { server, client } = await setup(path.join(scriptsDir, 'fix-add.json'));
    let streamed = '';
    const reply = await client.complete({ messages: goal, tools, onTextDelta: (text) => (streamed += text) });
    assert.equal(reply.content, "I'll read the implementation first.");
    assert.equal(streamed, reply.content);
    assert.deepEqual(reply.toolCalls, [{ id: 'call_1_0', name: 'read_file', argumentsText: '{"path":"src/math.js"}' }]);
    assert.equal(reply.finishReason, 'tool_calls');
    assert.equal(reply.attempts, 1);
    assert.deepEqual(reply.usage, { promptTokens: 6, completionTokens: Math.ceil((reply.content.length + 'read_file'.length + 22) / 4), costUsd: null });
    const body = server.requests[0].body ?? {};
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(body.tool_choice, 'auto');
    assert.deepEqual(body.tools, [{ type: 'function', function: tools[0] }]);
  });

  it('sends tool results back and carries a whole task conversation', async () => {
    const { server, client } = await setup(path.join(scriptsDir, 'fix-add.json'));
    const messages: ChatMessage[] = [...goal];
    const first = await client.complete({ messages, tools });
    messages.push(
      { role: 'assistant', content: first.content, tool_calls: first.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.argumentsText } })) },
      { role: 'tool', tool_call_id: first.toolCalls[0].id, content: '1| export function add(a, b) {\n2|   return a - b;\n3| }' },
    );
    const second = await client.complete({ messages, tools });
    assert.equal(second.toolCalls[0].name, 'edit_file');
    assert.deepEqual(JSON.parse(second.toolCalls[0].argumentsText).edits, [{ search: 'return a - b;', replace: 'return a + b;' }]);
    assert.equal(server.remainingTurns(), 1);
  });

  it('works without streaming', async () => {
    const { server, client } = await setup(path.join(scriptsDir, 'fix-add.json'), { stream: false });
    const reply = await client.complete({ messages: goal, tools });
    assert.equal(reply.content, "I'll read the implementation first.");
    assert.deepEqual(reply.toolCalls, [{ id: 'call_1_0', name: 'read_file', argumentsText: '{"path":"src/math.js"}' }]);
    assert.equal(reply.usage.promptTokens, 6);
    assert.equal(reply.usage.estimated, undefined);
    assert.equal(server.requests[0].stream, false);
  });

  it('estimates usage and marks it estimated when the server sends none', async () => {
    const { client } = await setup({ turns: [{ content: 'twelve chars' }] }, { streamUsage: false });
    const reply = await client.complete({ messages: goal, tools: [] });
    assert.deepEqual(reply.usage, { promptTokens: 6, completionTokens: 3, costUsd: null, estimated: true });
  });

  it('prices a call from the configured table', async () => {
    const { client } = await setup({ turns: [{ content: 'x', usage: { prompt_tokens: 1_000_000, completion_tokens: 500_000 } }] }, {
      pricing: { scripted: { inputPerMTok: 2, outputPerMTok: 8 } },
    });
    const reply = await client.complete({ messages: goal, tools: [] });
    assert.equal(reply.usage.costUsd, 6);
  });

  it('honours retry-after on 429 and succeeds on the second attempt', async () => {
    const { client, delays, retries } = await setup({ turns: [{ fault: { status: 429, retry_after: 7 }, content: 'ok' }] });
    const reply = await client.complete({ messages: goal, tools });
    assert.equal(reply.content, 'ok');
    assert.equal(reply.attempts, 2);
    assert.deepEqual(delays, [7000]);
    assert.equal(retries.length, 1);
    assert.equal(retries[0].attempt, 1);
    assert.equal(retries[0].delayMs, 7000);
    assert.match(retries[0].reason, /HTTP 429/);
  });

  it('prefers retry-after-ms', async () => {
    const { client, delays } = await setup({ turns: [{ fault: { status: 503, retry_after: 9, retry_after_ms: 1500 }, content: 'ok' }] });
    assert.equal((await client.complete({ messages: goal, tools })).attempts, 2);
    assert.deepEqual(delays, [1500]);
  });

  it('fails at once when the server asks to wait longer than the limit', async () => {
    const { server, client, delays } = await setup({ turns: [{ fault: { status: 429, retry_after: 3600 }, content: 'ok' }] });
    await assert.rejects(client.complete({ messages: goal, tools }), (error: unknown) => {
      assert.ok(error instanceof ModelError);
      assert.equal(error.kind, 'rate_limited');
      assert.match(error.message, /asks to wait 3600 s/);
      return true;
    });
    assert.deepEqual(delays, []);
    assert.equal(server.requests.length, 1);
  });

  it('retries a 500 with a jittered exponential backoff', async () => {
    const { client, delays } = await setup({ turns: [{ fault: { status: 500 }, content: 'recovered' }] }, { backoff: { baseDelayMs: 1000 } });
    const reply = await client.complete({ messages: goal, tools });
    assert.equal(reply.content, 'recovered');
    assert.equal(reply.attempts, 2);
    assert.equal(delays.length, 1);
    assert.ok(delays[0] >= 500 && delays[0] <= 1000, `first backoff ${delays[0]} should be 50-100% of the base`);
  });

  it('retries a stream dropped mid-reply and returns the whole reply', async () => {
    const { server, client, retries } = await setup(path.join(scriptsDir, 'faults.json'));
    await client.complete({ messages: goal, tools });
    await client.complete({ messages: goal, tools });
    const reply = await client.complete({ messages: goal, tools });
    assert.equal(reply.content, 'This reply is cut after two chunks the first time.');
    assert.deepEqual(reply.toolCalls.map((c) => c.name), ['read_file']);
    assert.equal(reply.attempts, 2);
    assert.equal(retries.length, 3);
    assert.equal(retries[2].attempt, 1);
    assert.deepEqual(server.requests.filter((r) => r.turn === 3).map((r) => r.outcome), ['dropped', 'reply']);
  });

  it('fails fast on 401 with a message that says what to check', async () => {
    const { server, client, delays } = await setup({ turns: [{ fault: { status: 401, message: 'Incorrect API key provided' }, content: 'never' }] });
    await assert.rejects(client.complete({ messages: goal, tools }), (error: unknown) => {
      assert.ok(error instanceof ModelError);
      assert.equal(error.kind, 'auth');
      assert.equal(error.status, 401);
      assert.equal(error.attempts, 1);
      assert.match(error.message, /HTTP 401: Incorrect API key provided/);
      assert.match(error.message, /PATCHPILOT_API_KEY or OPENAI_API_KEY/);
      return true;
    });
    assert.deepEqual(delays, []);
    assert.equal(server.requests.length, 1);
  });

  it('does not retry a 400 (a script expectation failure) beyond one try without stream_options, and passes the server message on', async () => {
    const { server, client, retries } = await setup({ turns: [{ expect: ['never sent'], content: 'x' }] });
    const rejected = (error: unknown) => {
      assert.ok(error instanceof ModelError);
      assert.equal(error.kind, 'bad_request');
      assert.match(error.message, /HTTP 400: scripted model: turn 1 expected the request to contain "never sent"/);
      return true;
    };
    await assert.rejects(client.complete({ messages: goal, tools }), rejected);
    // A new endpoint's first 400 might be stream_options' fault: one try without it, then it is known not to be.
    assert.deepEqual(server.requests.map((r) => r.body?.stream_options ?? null), [{ include_usage: true }, null]);
    assert.match(retries[0].reason, /retrying without stream_options/);
    await assert.rejects(client.complete({ messages: goal, tools }), rejected);
    assert.equal(server.requests.length, 3);
    assert.deepEqual(server.requests[2].body?.stream_options, { include_usage: true });
  });

  it('gives up after maxRetries and reports the attempts made', async () => {
    const { server, client } = await setup({ turns: [{ fault: { status: 502 }, content: 'x' }] }, { maxRetries: 0 });
    await assert.rejects(client.complete({ messages: goal, tools }), (error: unknown) => {
      assert.ok(error instanceof ModelError);
      assert.deepEqual([error.kind, error.status, error.attempts], ['server', 502, 1]);
      return true;
    });
    assert.equal(server.remainingTurns(), 1);
  });

  it('reports a server that is not there as a network error', async () => {
    const { server, client } = await setup({ turns: [{ content: 'x' }] }, { maxRetries: 1 });
    await server.close();
    await assert.rejects(client.complete({ messages: goal, tools }), (error: unknown) => {
      assert.ok(error instanceof ModelError);
      assert.deepEqual([error.kind, error.attempts], ['network', 2]);
      assert.match(error.message, /Cannot reach the model server at http:\/\/127\.0\.0\.1/);
      return true;
    });
  });
});
