// The scripted server speaks the OpenAI wire format (checked with the real openai client) and enforces its script.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import { startScriptedServer, type ScriptedServer } from '../../../src/scripted/server';
import type { Script } from '../../../src/scripted/script';

const scriptsDir = path.resolve(__dirname, '../../../../test/fixtures/scripts');

describe('scripted server', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(script: Script | string): Promise<{ server: ScriptedServer; client: OpenAI }> {
    server = await startScriptedServer(script);
    return { server, client: new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 }) };
  }

  const user = (content: string): OpenAI.ChatCompletionMessageParam[] => [{ role: 'user', content }];

  it('streams text and tool calls as OpenAI chunks, with split arguments, a finish chunk and usage', async () => {
    const { client } = await start(path.join(scriptsDir, 'fix-add.json'));
    const stream = await client.chat.completions.create({
      model: 'scripted',
      messages: user('Make add(2, 3) return 5'),
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    assert.equal(text, "I'll read the implementation first.");
    const toolDeltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    assert.ok(toolDeltas.length >= 3, 'arguments should be split over several chunks');
    assert.deepEqual({ id: toolDeltas[0].id, type: toolDeltas[0].type, name: toolDeltas[0].function?.name, index: toolDeltas[0].index },
      { id: 'call_1_0', type: 'function', name: 'read_file', index: 0 });
    const args = toolDeltas.map((d) => d.function?.arguments ?? '').join('');
    assert.deepEqual(JSON.parse(args), { path: 'src/math.js' });
    const finishes = chunks.flatMap((c) => c.choices.map((choice) => choice.finish_reason)).filter((f) => f !== null);
    assert.deepEqual(finishes, ['tool_calls']);
    const last = chunks[chunks.length - 1];
    assert.deepEqual(last.choices, []);
    // 'Make add(2, 3) return 5' is 23 characters: ceil(23 / 4) = 6 prompt tokens.
    assert.equal(last.usage?.prompt_tokens, 6);
    assert.equal(last.usage?.completion_tokens, Math.ceil(("I'll read the implementation first.".length + 'read_file'.length + args.length) / 4));
  });

  it('ends a raw stream with data: [DONE] and sends no usage chunk unless asked', async () => {
    const { server } = await start({ turns: [{ content: 'hi' }] });
    const response = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'scripted', stream: true, messages: user('x') }),
    });
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = (await response.text()).split('\n\n').filter((e) => e !== '');
    assert.ok(events.every((e) => e.startsWith('data: ')));
    assert.equal(events[events.length - 1], 'data: [DONE]');
    const payloads = events.slice(0, -1).map((e) => JSON.parse(e.slice('data: '.length)) as { usage?: unknown; choices: unknown[] });
    assert.ok(payloads.every((p) => p.usage === undefined && p.choices.length === 1));
  });

  it('answers a non-streaming request with one chat.completion carrying tool calls and usage', async () => {
    const { client } = await start({
      turns: [{ content: 'two calls', tool_calls: [{ name: 'a', arguments: { x: 1 } }, { name: 'b', arguments: '{"broken": ' }], usage: { prompt_tokens: 1000 } }],
    });
    const completion = await client.chat.completions.create({ model: 'scripted', messages: user('go') });
    const message = completion.choices[0].message;
    assert.equal(completion.object, 'chat.completion');
    assert.equal(message.content, 'two calls');
    assert.deepEqual(message.tool_calls?.map((c) => (c.type === 'function' ? [c.id, c.function.name, c.function.arguments] : [])), [
      ['call_1_0', 'a', '{"x":1}'],
      ['call_1_1', 'b', '{"broken": '],
    ]);
    assert.equal(completion.choices[0].finish_reason, 'tool_calls');
    assert.equal(completion.usage?.prompt_tokens, 1000);
    assert.equal(completion.usage?.completion_tokens, Math.ceil(('two calls'.length + 'a{"x":1}'.length + 'b{"broken": '.length) / 4));
  });

  it('answers 400 naming the turn and the text when an expected text is missing', async () => {
    const { server, client } = await start({ turns: [{ content: 'ok' }, { expect: ['tests passed'], content: 'done' }] });
    await client.chat.completions.create({ model: 'scripted', messages: user('first') });
    await assert.rejects(client.chat.completions.create({ model: 'scripted', messages: user('second') }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.match(error.message, /turn 2 expected the request to contain "tests passed"/);
      return true;
    });
    assert.equal(server.violations.length, 1);
    assert.equal(server.requests[1].outcome, 'violation');
  });

  it('answers 400 when forbidden text reaches the model, also inside tool results and call arguments', async () => {
    const { server, client } = await start({ turns: [{ absent: ['sk-SECRET'], content: 'never' }] });
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: 'user', content: 'read .env' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":".env"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'API_KEY=sk-SECRET' },
    ];
    await assert.rejects(client.chat.completions.create({ model: 'scripted', messages }), /turn 1 found forbidden text "sk-SECRET"/);
    assert.equal(server.remainingTurns(), 1);
  });

  it('matches expect text in tool-call arguments and tool results', async () => {
    const { client } = await start({ turns: [{ expect: ['"path":"src/a.ts"', 'line one'], content: 'seen' }] });
    const completion = await client.chat.completions.create({
      model: 'scripted',
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"src/a.ts"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '1| line one' },
      ],
    });
    assert.equal(completion.choices[0].message.content, 'seen');
  });

  it('serves a 429 fault once with retry-after, without consuming the turn', async () => {
    const { server } = await start(path.join(scriptsDir, 'faults.json'));
    const post = (): Promise<Response> => fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'scripted', messages: user('x') }),
    });
    const first = await post();
    assert.equal(first.status, 429);
    assert.equal(first.headers.get('retry-after'), '2');
    const errorJson = (await first.json()) as { error: { message: string; type: string } };
    assert.equal(errorJson.error.type, 'rate_limit_exceeded');
    assert.equal(server.remainingTurns(), 4);
    const second = await post();
    assert.equal(second.status, 200);
    const body = (await second.json()) as { choices: { message: { content: string } }[] };
    assert.equal(body.choices[0].message.content, 'after the rate limit');
    assert.equal((await post()).status, 503);
    assert.equal((await post()).status, 200);
    assert.deepEqual(server.requests.map((r) => [r.turn, r.outcome]), [[1, 'fault'], [1, 'reply'], [2, 'fault'], [2, 'reply']]);
  });

  it('drops a stream after N chunks once; the retry gets the whole reply', async () => {
    const { server, client } = await start({ turns: [{ fault: { drop_after_chunks: 2 }, content: 'a reply long enough to span several chunks' }] });
    const consume = async (): Promise<string> => {
      const stream = await client.chat.completions.create({ model: 'scripted', messages: user('x'), stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      return text;
    };
    await assert.rejects(consume(), (error: unknown) => error instanceof Error && error.name !== 'AbortError');
    assert.equal(await consume(), 'a reply long enough to span several chunks');
    assert.deepEqual(server.requests.map((r) => r.outcome), ['dropped', 'reply']);
    assert.equal(server.remainingTurns(), 0);
  });

  it('answers 400 once the script is exhausted', async () => {
    const { server, client } = await start({ turns: [{ content: 'only' }] });
    await client.chat.completions.create({ model: 'scripted', messages: user('1') });
    await assert.rejects(client.chat.completions.create({ model: 'scripted', messages: user('2') }), /script exhausted after 1 turns/);
    assert.equal(server.requests[1].outcome, 'exhausted');
    assert.equal(server.requests[1].turn, null);
  });

  it('does not consume a turn when the client hangs up during delay_ms', async () => {
    const { server, client } = await start({ turns: [{ delay_ms: 60_000, content: 'slow' }] });
    const controller = new AbortController();
    const pending = client.chat.completions.create({ model: 'scripted', messages: user('x') }, { signal: controller.signal });
    await waitFor(() => server.requests.length === 1);
    controller.abort();
    await assert.rejects(pending, OpenAI.APIUserAbortError);
    await waitFor(() => server.requests[0].outcome !== 'pending');
    assert.equal(server.requests[0].outcome, 'client_gone');
    assert.equal(server.remainingTurns(), 1);
  });

  it('lists its model on GET /v1/models and answers 404 elsewhere', async () => {
    const { server, client } = await start({ model: 'tiny-scripted', turns: [{ content: 'x' }] });
    const models = await client.models.list();
    assert.deepEqual(models.data.map((m) => m.id), ['tiny-scripted']);
    const missing = await fetch(`${server.url}/embeddings`, { method: 'POST', body: '{}' });
    assert.equal(missing.status, 404);
    assert.equal(server.requests.length, 0);
  });

  it('records request bodies in order with their prompt-size estimate', async () => {
    const { server, client } = await start({ turns: [{ content: 'a' }, { content: 'b' }] });
    await client.chat.completions.create({ model: 'scripted', messages: user('12345678') });
    await client.chat.completions.create({ model: 'scripted', messages: [...user('12345678'), { role: 'assistant', content: 'a' }, ...user('1234567')] });
    assert.deepEqual(server.requests.map((r) => r.promptTokens), [2, 4]);
    assert.equal((server.requests[1].body?.messages as unknown[]).length, 3);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
