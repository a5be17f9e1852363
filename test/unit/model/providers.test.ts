// The model client against wire-level fakes of real providers (test/support/providerFakes.ts): what each one needs
// sent back, where its requests go, how it refuses, and how the client reads any answer and any error body.
import * as assert from 'node:assert/strict';
import { QuirkMemory } from '../../../src/agent/model/endpointQuirks';
import { ModelError } from '../../../src/agent/model/errors';
import { OpenAIModelClient, type OpenAIModelClientOptions, type RetryInfo } from '../../../src/agent/model/openaiClient';
import type { ChatMessage, ModelReply, ToolSchema } from '../../../src/agent/ports';
import {
  azureFake, deepSeekFake, errorObjectFake, geminiFake, mistralFake, plainJsonFake, startFake, strictGatewayFake, type FakeAnswer, type FakeServer,
} from '../../support/providerFakes';

const tools: ToolSchema[] = [{ name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } }];
const goal: ChatMessage[] = [{ role: 'system', content: 'You fix code.' }, { role: 'user', content: 'Make add(2, 3) return 5' }];
const readMath = { name: 'read_file', arguments: { path: 'src/math.js' } };

/** The history after a reply, built the way the loop's recordReply builds it. */
function after(messages: ChatMessage[], reply: ModelReply): ChatMessage[] {
  return [
    ...messages,
    {
      role: 'assistant', content: reply.content || null,
      tool_calls: reply.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.argumentsText }, ...(c.extra ? { extra: c.extra } : {}) })),
      ...(reply.extra ? { extra: reply.extra } : {}),
    },
    ...reply.toolCalls.map((c) => ({ role: 'tool' as const, tool_call_id: c.id, content: 'export function add(a, b) { return a - b; }' })),
  ];
}

function wireMessages(server: FakeServer, index: number): Record<string, unknown>[] {
  return server.requests[index].body?.messages as Record<string, unknown>[];
}

describe('providers (wire-level fakes)', () => {
  const servers: FakeServer[] = [];
  afterEach(async () => {
    while (servers.length) await servers.pop()!.close();
  });

  function client(options: Partial<OpenAIModelClientOptions> & { baseURL: string }, retries: RetryInfo[] = []): OpenAIModelClient {
    return new OpenAIModelClient({ apiKey: 'test-key', model: 'test-model', quirks: new QuirkMemory(), sleep: async () => undefined, onRetry: (r) => retries.push(r), ...options });
  }

  async function fake<T extends FakeServer>(server: Promise<T>): Promise<T> {
    const started = await server;
    servers.push(started);
    return started;
  }

  describe('DeepSeek thinking mode', () => {
    it('keeps the streamed reasoning_content and sends it back with the tool call, so the next call is accepted', async () => {
      const server = await fake(deepSeekFake([
        { reasoning: 'The subtraction in add looks wrong; read the file first.', toolCalls: [readMath] },
        { content: 'Found it.' },
      ]));
      const deepseek = client({ baseURL: `${server.origin}/v1`, model: 'deepseek-reasoner' });
      const first = await deepseek.complete({ messages: goal, tools });
      assert.deepEqual(first.extra, { reasoning_content: 'The subtraction in add looks wrong; read the file first.' });
      assert.equal(first.content, '');
      const second = await deepseek.complete({ messages: after(goal, first), tools });
      assert.equal(second.content, 'Found it.');
      const sent = wireMessages(server, 1)[2];
      assert.equal(sent.reasoning_content, 'The subtraction in add looks wrong; read the file first.');
      assert.equal(sent.extra, undefined, 'provider fields go on the message itself, not under "extra"');
    });

    it('shows DeepSeek\'s own 400 when a history lacks reasoning_content', async () => {
      const server = await fake(deepSeekFake([{ content: 'unused' }]));
      const deepseek = client({ baseURL: server.origin, model: 'deepseek-reasoner', maxRetries: 0 });
      const history: ChatMessage[] = [...goal, { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'call_1', content: 'x' }];
      await assert.rejects(deepseek.complete({ messages: history, tools }), (error: unknown) => {
        assert.ok(error instanceof ModelError);
        assert.equal(error.kind, 'bad_request');
        assert.match(error.message, /HTTP 400: Missing `reasoning_content` field in the assistant message at message index 2/);
        return true;
      });
    });
  });

  describe('Gemini 3 (OpenAI-compatible endpoint)', () => {
    it('keeps each tool call\'s extra_content.google.thought_signature and sends it back verbatim', async () => {
      const server = await fake(geminiFake([{ toolCalls: [readMath] }, { content: 'Done.' }]));
      const gemini = client({ baseURL: `${server.origin}/v1beta/openai/`, model: 'gemini-3-pro-preview' });
      const first = await gemini.complete({ messages: goal, tools });
      assert.deepEqual(first.toolCalls[0].extra, { extra_content: { google: { thought_signature: server.signatures[0] } } });
      assert.equal(first.toolCalls[0].id, 'function-call-1-0');
      const second = await gemini.complete({ messages: after(goal, first), tools });
      assert.equal(second.content, 'Done.');
      const call = (wireMessages(server, 1)[2].tool_calls as Record<string, unknown>[])[0];
      assert.deepEqual(call.extra_content, { google: { thought_signature: server.signatures[0] } });
      assert.deepEqual(Object.keys(call).sort(), ['extra_content', 'function', 'id', 'type']);
    });

    it('reads the error out of Gemini\'s list-shaped 400 body instead of "(no body)"', async () => {
      const server = await fake(geminiFake([{ content: 'unused' }]));
      const gemini = client({ baseURL: `${server.origin}/v1beta/openai`, model: 'gemini-3-pro-preview', maxRetries: 0 });
      const history: ChatMessage[] = [...goal, { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'c1', content: 'x' }];
      await assert.rejects(gemini.complete({ messages: history, tools }), (error: unknown) => {
        assert.ok(error instanceof ModelError);
        assert.match(error.message, /HTTP 400: Function call is missing a thought_signature in functionCall parts\. .*position 3\. .*\(INVALID_ARGUMENT\)/);
        assert.doesNotMatch(error.message, /no body/);
        return true;
      });
    });
  });

  describe('Azure OpenAI', () => {
    it('sends a deployment URL\'s path and api-version as given, the key as api-key, and no Authorization', async () => {
      const server = await fake(azureFake([{ content: 'Hello from Azure.' }], { deployment: 'gpt4o-prod', key: 'azure-key' }));
      const azure = client({ baseURL: `${server.origin}/openai/deployments/gpt4o-prod?api-version=2025-01-01-preview`, apiKey: 'azure-key', model: 'ignored' });
      assert.equal(azure.model, 'gpt4o-prod');
      const reply = await azure.complete({ messages: goal, tools });
      assert.equal(reply.content, 'Hello from Azure.');
      const request = server.requests[0];
      assert.equal(request.path, '/openai/deployments/gpt4o-prod/chat/completions');
      assert.equal(request.query.get('api-version'), '2025-01-01-preview');
      assert.equal(request.headers['api-key'], 'azure-key');
      assert.equal(request.headers.authorization, undefined);
      // The deployment has no price, the model Azure reports (gpt-4o-2024-11-20) is in the table.
      assert.equal(reply.model, 'gpt-4o-2024-11-20');
      assert.equal(reply.usage.costUsd, (100 * 2.5 + 10 * 10) / 1_000_000);
    });

    it('uses the documented GA api-version when the URL names none, and --api-version over the URL\'s', async () => {
      const server = await fake(azureFake([{ content: 'a' }, { content: 'b' }], { deployment: 'dep', key: 'k' }));
      await client({ baseURL: `${server.origin}/openai/deployments/dep`, apiKey: 'k', model: 'dep' }).complete({ messages: goal, tools });
      await client({ baseURL: `${server.origin}/openai/deployments/dep?api-version=2024-06-01`, apiKey: 'k', model: 'dep', apiVersion: '2025-04-01-preview' }).complete({ messages: goal, tools });
      assert.deepEqual(server.requests.map((r) => r.query.get('api-version')), ['2024-10-21', '2025-04-01-preview']);
    });

    it('builds the deployment path from a resource URL with type azure, and keeps the v1 route plain OpenAI-compatible with api-key', async () => {
      const server = await fake(azureFake([{ content: 'dated' }, { content: 'v1' }], { deployment: 'dep', key: 'k' }));
      await client({ baseURL: server.origin, type: 'azure', apiKey: 'k', model: 'dep' }).complete({ messages: goal, tools });
      const v1 = await client({ baseURL: `${server.origin}/openai/v1/`, type: 'azure', apiKey: 'k', model: 'dep' }).complete({ messages: goal, tools });
      assert.equal(v1.content, 'v1');
      assert.deepEqual(server.requests.map((r) => r.path), ['/openai/deployments/dep/chat/completions', '/openai/v1/chat/completions']);
      assert.equal(server.requests[1].query.get('api-version'), null);
      assert.equal(server.requests[1].body?.model, 'dep');
      assert.equal(server.requests[1].headers['api-key'], 'k');
      assert.equal(server.requests[1].headers.authorization, undefined);
    });

    it('reports Azure\'s 401 with its words when the key is wrong', async () => {
      const server = await fake(azureFake([{ content: 'x' }], { deployment: 'dep', key: 'right' }));
      await assert.rejects(client({ baseURL: `${server.origin}/openai/deployments/dep`, apiKey: 'wrong', model: 'dep' }).complete({ messages: goal, tools }),
        /HTTP 401: Access denied due to invalid subscription key or wrong API endpoint/);
    });
  });

  describe('stream_options', () => {
    for (const style of ['400', '422', 'vague'] as const) {
      it(`is dropped and remembered for the endpoint after a ${style === 'vague' ? '400 that does not say why' : style === '422' ? 'FastAPI 422 naming it' : '400 naming it'}; usage is then estimated`, async () => {
        const server = await fake(strictGatewayFake([{ content: 'first' }, { content: 'second' }], style));
        const retries: RetryInfo[] = [];
        const quirks = new QuirkMemory();
        const gateway = client({ baseURL: `${server.origin}/v1`, quirks, maxRetries: 0 }, retries);
        const first = await gateway.complete({ messages: goal, tools });
        assert.equal(first.content, 'first');
        assert.equal(first.usage.estimated, true);
        assert.equal(first.attempts, 2);
        assert.equal(retries.length, 1);
        assert.match(retries[0].reason, /refused the request \(HTTP 4\d\d: .+\); retrying without stream_options \(remembered for this endpoint/);
        if (style === '422') assert.match(retries[0].reason, /body\.stream_options: Extra inputs are not permitted/);
        if (style === '400') assert.match(retries[0].reason, /Unrecognized request argument supplied: stream_options/);
        assert.match(first.warnings?.[0] ?? '', /retrying without stream_options/);
        // Another client of the same endpoint (same memory) does not pay for it again.
        const second = await client({ baseURL: `${server.origin}/v1`, quirks }).complete({ messages: goal, tools });
        assert.equal(second.content, 'second');
        assert.equal(second.warnings, undefined);
        assert.deepEqual(server.requests.map((r) => 'stream_options' in (r.body ?? {})), [true, false, false]);
      });
    }

    it('shows a FastAPI 422 about something else in its own words, after one try without stream_options', async () => {
      const server = await fake(startFake(() => ({ status: 422, json: { detail: [{ type: 'missing', loc: ['body', 'messages', 0, 'content'], msg: 'Field required', input: null }] } })));
      await assert.rejects(client({ baseURL: server.origin }).complete({ messages: goal, tools }), (error: unknown) => {
        assert.ok(error instanceof ModelError);
        assert.equal(error.status, 422);
        assert.match(error.message, /HTTP 422: body\.messages\.0\.content: Field required/);
        return true;
      });
      assert.equal(server.requests.length, 2);
    });
  });

  describe('answers that are not a stream', () => {
    it('fails fast with the message of an error object sent with HTTP 200 as JSON', async () => {
      const server = await fake(errorObjectFake('json'));
      await assert.rejects(client({ baseURL: server.origin }).complete({ messages: goal, tools }), (error: unknown) => {
        assert.ok(error instanceof ModelError);
        assert.equal(error.retryable, false);
        assert.equal(error.attempts, 1);
        assert.match(error.message, /answered with an error instead of a reply: Upstream provider quota exhausted for this key \(insufficient_quota\)/);
        return true;
      });
      assert.equal(server.requests.length, 1);
    });

    it('fails fast with the message of an error event in the stream', async () => {
      const server = await fake(errorObjectFake('sse'));
      await assert.rejects(client({ baseURL: server.origin }).complete({ messages: goal, tools }), /answered with an error instead of a reply: Provider disconnected unexpectedly \(server_error\)/);
      assert.equal(server.requests.length, 1);
    });

    it('accepts one JSON completion as the answer to a streamed request, with its reasoning and tool calls', async () => {
      const server = await fake(plainJsonFake([{ content: 'Reading it.', reasoning: 'check math', toolCalls: [readMath] }]));
      let streamed = '';
      const reply = await client({ baseURL: server.origin }).complete({ messages: goal, tools, onTextDelta: (t) => (streamed += t) });
      assert.equal(server.requests[0].body?.stream, true);
      assert.equal(reply.content, 'Reading it.');
      assert.equal(streamed, 'Reading it.');
      assert.deepEqual(reply.extra, { reasoning: 'check math' });
      assert.deepEqual(reply.toolCalls, [{ id: 'call_1_0', name: 'read_file', argumentsText: '{"path":"src/math.js"}' }]);
      assert.deepEqual([reply.usage.promptTokens, reply.usage.estimated], [100, undefined]);
    });
  });

  describe('tool-call ids', () => {
    it('sends Mistral-style 9-character ids to a Mistral model, the same id for a call and its result', async () => {
      const server = await fake(mistralFake([{ toolCalls: [{ ...readMath, id: '' }] }, { content: 'ok' }]));
      const mistral = client({ baseURL: server.origin, model: 'devstral-small-latest' });
      const first = await mistral.complete({ messages: goal, tools });
      assert.match(first.toolCalls[0].id, /^[a-zA-Z0-9]{9}$/);
      // A call parsed from text (or begun with another provider) has an id Mistral would refuse.
      const history: ChatMessage[] = [...goal,
        { role: 'assistant', content: null, tool_calls: [{ id: 'text_call_1_0', type: 'function', function: { name: 'read_file', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'text_call_1_0', content: 'x' }];
      assert.equal((await mistral.complete({ messages: history, tools })).content, 'ok');
      const [assistant, tool] = wireMessages(server, 1).slice(2);
      const id = (assistant.tool_calls as { id: string }[])[0].id;
      assert.match(id, /^[a-zA-Z0-9]{9}$/);
      assert.equal(tool.tool_call_id, id);
    });

    it('learns the rule from the server\'s 400 when the model name does not tell', async () => {
      const server = await fake(mistralFake([{ content: 'ok' }], 'my-finetune'));
      const retries: RetryInfo[] = [];
      const history: ChatMessage[] = [...goal,
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_abc_123', type: 'function', function: { name: 'read_file', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_abc_123', content: 'x' }];
      const reply = await client({ baseURL: server.origin, model: 'my-finetune' }, retries).complete({ messages: history, tools });
      assert.equal(reply.content, 'ok');
      assert.match(retries[0].reason, /refused the tool-call ids \(HTTP 400: Tool call id was call_abc_123 but must be a-z, A-Z, 0-9, with a length of 9\.\); retrying with 9-character ids/);
      assert.equal(server.requests.length, 2);
    });

    it('gives a call that came without an id a unique one, and leaves other ids alone', async () => {
      const server = await fake(plainJsonFake([{ toolCalls: [{ ...readMath, id: '' }, { ...readMath, id: 'keep-me' }] }]));
      const reply = await client({ baseURL: server.origin }).complete({ messages: goal, tools });
      assert.match(reply.toolCalls[0].id, /^call_[a-zA-Z0-9]{24}$/);
      assert.equal(reply.toolCalls[1].id, 'keep-me');
    });
  });

  describe('error bodies', () => {
    const cases: { name: string; answer: FakeAnswer; expect: RegExp }[] = [
      { name: 'a list of error objects', answer: { status: 400, json: [{ error: { code: 400, message: 'Invalid JSON payload received. Unknown name "foo"', status: 'INVALID_ARGUMENT' } }] }, expect: /HTTP 400: Invalid JSON payload received\. Unknown name "foo" \(INVALID_ARGUMENT\)/ },
      { name: 'an HTML page from a proxy', answer: { status: 403, text: '<html><head><title>403 Forbidden</title><style>body{color:red}</style></head><body><center><h1>403 Forbidden</h1></center><hr><center>nginx</center></body></html>', contentType: 'text/html' }, expect: /HTTP 403: 403 Forbidden nginx\)/ },
      { name: 'plain text', answer: { status: 400, text: 'model "qwen3:32b" not found, try pulling it first\n', contentType: 'text/plain' }, expect: /HTTP 400: model "qwen3:32b" not found, try pulling it first\)/ },
      { name: 'FastAPI\'s detail string', answer: { status: 401, json: { detail: 'Invalid API key' } }, expect: /HTTP 401: Invalid API key\)/ },
      { name: 'a top-level message', answer: { status: 404, json: { object: 'error', message: 'The model `gpt-5-codex` does not exist.', type: 'NotFoundError', code: 404 } }, expect: /HTTP 404: The model `gpt-5-codex` does not exist\.\)/ },
    ];
    for (const { name, answer, expect } of cases) {
      it(`shows the server's words from ${name}`, async () => {
        const server = await fake(startFake(() => answer));
        await assert.rejects(client({ baseURL: server.origin, maxRetries: 0 }).complete({ messages: goal, tools }), (error: unknown) => {
          assert.ok(error instanceof ModelError);
          assert.match(error.message, expect);
          return true;
        });
      });
    }

    it('bounds a huge error body', async () => {
      const server = await fake(startFake(() => ({ status: 500, text: `<html><body>${'Internal failure. '.repeat(2000)}</body></html>`, contentType: 'text/html' })));
      await assert.rejects(client({ baseURL: server.origin, maxRetries: 0 }).complete({ messages: goal, tools }), (error: unknown) => {
        assert.ok(error instanceof ModelError);
        assert.ok(error.message.length < 900, `message of ${error.message.length} characters`);
        assert.match(error.message, /HTTP 500: Internal failure\. Internal failure\..*…\)/);
        return true;
      });
    });
  });

  describe('context window', () => {
    it('warns once when a request needs more than the known window', async () => {
      const server = await fake(plainJsonFake([{ content: 'a' }, { content: 'b' }]));
      const small = client({ baseURL: server.origin, contextWindow: 1024, contextAdvice: 'Raise num_ctx.' });
      const big: ChatMessage[] = [{ role: 'system', content: 'x'.repeat(8000) }, { role: 'user', content: 'go' }];
      const first = await small.complete({ messages: big, tools });
      assert.match(first.warnings?.[0] ?? '', /needs about 2,\d{3} tokens .* context window is 1,024 tokens: the server may drop the start of the prompt\. Raise num_ctx\./);
      assert.equal((await small.complete({ messages: big, tools })).warnings, undefined);
    });
  });
});
