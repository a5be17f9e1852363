// connectModel, the path the CLI and the extension share, against wire-level provider fakes over real HTTP: an Azure
// deployment profile, Ollama's context sizing and its warning, a local server that is not Ollama, keys, prices and
// the description; and the settings-side profile list that keeps valid profiles usable beside an invalid one.
import * as assert from 'node:assert/strict';
import { connectModel, findProfile, parseProfileList } from '../../../src/agent/model/connect';
import { EndpointError } from '../../../src/agent/model/endpoint';
import { ProfileError, type ProviderProfile } from '../../../src/agent/model/profiles';
import type { ChatMessage } from '../../../src/agent/ports';
import { azureFake, completionOf, ollamaFake, startFake, type FakeServer } from '../../support/providerFakes';

const goal: ChatMessage[] = [{ role: 'system', content: 'You fix code.' }, { role: 'user', content: 'Say hello' }];
const hello = [{ content: 'Hello.' }];

describe('connectModel (provider fakes over HTTP)', () => {
  const servers: FakeServer[] = [];
  afterEach(async () => {
    while (servers.length) await servers.pop()!.close();
  });
  async function fake<T extends FakeServer>(server: Promise<T>): Promise<T> {
    const started = await server;
    servers.push(started);
    return started;
  }

  it('an Azure deployment profile: api-version from the URL, the key in api-key, described without the key', async () => {
    const server = await fake(azureFake(hello, { deployment: 'gpt4o-prod', key: 'azure-secret' }));
    const profile: ProviderProfile = { name: 'azure', baseUrl: `${server.origin}/openai/deployments/gpt4o-prod?api-version=2024-10-21`, model: 'gpt4o-prod' };
    const connection = await connectModel(profile, { apiKey: 'azure-secret' }, { env: {}, apiKeySource: 'Secret Storage (the key of azure)' });
    assert.match(connection.describe, /^gpt4o-prod at http:\/\/127\.0\.0\.1:\d+\/openai\/deployments\/gpt4o-prod \(Azure deployment, api-version 2024-10-21\), profile azure, key from Secret Storage \(the key of azure\)$/);
    assert.doesNotMatch(connection.describe, /azure-secret/);
    assert.equal(connection.profile, 'azure');
    assert.equal(connection.apiKey, 'azure-secret', 'the key is handed back so it can be masked');
    const reply = await connection.client.complete({ messages: goal, tools: [] });
    assert.equal(reply.content, 'Hello.');
    const [chat] = server.requests.filter((r) => r.path.endsWith('/chat/completions'));
    assert.deepEqual([chat.path, chat.query.get('api-version'), chat.headers['api-key'], chat.headers.authorization ?? null],
      ['/openai/deployments/gpt4o-prod/chat/completions', '2024-10-21', 'azure-secret', null]);
    // A 127.0.0.1 server is asked whether it is Ollama; this one is not, so nothing is noted.
    assert.deepEqual([connection.notes, connection.warnings, connection.contextWindow], [[], [], undefined]);
  });

  it('the key order inside the profile: its apiKeyEnv, and an unset variable is an error naming it', async () => {
    const profile: ProviderProfile = { name: 'router', baseUrl: 'https://openrouter.ai/api/v1', model: 'x', apiKeyEnv: 'MY_ROUTER_KEY' };
    const connection = await connectModel(profile, {}, { env: { MY_ROUTER_KEY: 'rk', OPENAI_API_KEY: 'other' } });
    assert.equal(connection.apiKey, 'rk');
    assert.match(connection.describe, /, profile router, key from MY_ROUTER_KEY$/);
    await assert.rejects(connectModel(profile, {}, { env: { OPENAI_API_KEY: 'other' } }),
      (error: unknown) => error instanceof ProfileError && error.field === 'router.apiKeyEnv' && /takes its API key from MY_ROUTER_KEY, which is not set/.test(error.message));
    await assert.rejects(connectModel({ ...profile, apiKeyEnv: undefined }, {}, { env: {} }),
      (error: unknown) => error instanceof ProfileError && error.field === 'apiKeyEnv' && /No API key for https:\/\/openrouter\.ai\/api\/v1/.test(error.message));
  });

  it('Ollama: the window is sized to num_ctx, a small one is a warning with the fix, and a profile window wins', async () => {
    const server = await fake(ollamaFake(hello, [{ name: 'qwen2.5-coder:7b', architecture: 'qwen2', trainedContext: 32_768, numCtx: 8192 }]));
    const connection = await connectModel(null, { baseUrl: `${server.origin}/v1`, model: 'qwen2.5-coder:7b' }, { env: {} });
    assert.equal(connection.contextWindow, 8192);
    assert.deepEqual(connection.notes, ['Ollama 0.12.6: qwen2.5-coder:7b runs with a 8,192-token context window (num_ctx in its Modelfile); the task is sized to it.']);
    assert.equal(connection.warnings.length, 1);
    assert.match(connection.warnings[0], /small for an agent.*OLLAMA_CONTEXT_LENGTH=32768 ollama serve/);
    assert.doesNotMatch(connection.warnings[0], /^warning:/, 'callers add their own prefix');
    assert.equal(connection.apiKey, undefined, 'a local server needs no key, and "local" is not a secret to mask');
    assert.match(connection.describe, /\(Ollama\)$/);
    assert.equal((await connection.client.complete({ messages: goal, tools: [] })).content, 'Hello.');

    const sized = await connectModel({ name: 'big', baseUrl: `${server.origin}/v1`, model: 'qwen2.5-coder:7b', contextWindow: 32_768 }, {}, { env: {} });
    assert.equal(sized.contextWindow, 32_768);
    assert.deepEqual([sized.notes, sized.warnings], [[], []], 'a window the person set is not second-guessed');
  });

  it('prices: the profile\'s over the caller\'s table, labelled as yours; without any, the built-in table or unknown', async () => {
    // Not Ollama (404 on /api/version); each chat is answered with 100 prompt and 10 completion tokens.
    const server = await fake(startFake((request) => (request.path.endsWith('/chat/completions')
      ? { json: completionOf({ content: 'ok' }, 1, { model: 'm1' }) } : { status: 404, text: 'no', contentType: 'text/plain' })));
    const baseUrl = `${server.origin}/v1`;
    const priced = await connectModel({ name: 'p', baseUrl, model: 'm1', prices: { inputPerMillion: 1, outputPerMillion: 2 } }, { apiKey: 'k' },
      { env: {}, pricing: { m1: { inputPerMTok: 9, outputPerMTok: 9 }, other: { inputPerMTok: 3, outputPerMTok: 3 } } });
    const reply = await priced.client.complete({ messages: goal, tools: [] });
    assert.ok(reply.usage.costUsd !== null && Math.abs(reply.usage.costUsd - (100 * 1 + 10 * 2) / 1e6) < 1e-12, `the profile's price wins (cost ${reply.usage.costUsd})`);
    assert.equal(priced.costLabel(reply.usage.costUsd), 'estimate (your prices)');
    assert.equal(priced.costLabel(null), 'price unknown');
    const table = await connectModel(null, { baseUrl, model: 'gpt-4.1', apiKey: 'k' }, { env: {} });
    assert.match(table.costLabel(0.1), /^estimate \(prices of \d{4}-\d{2}-\d{2}\)$/);
    const settingsPrice = await connectModel(null, { baseUrl, model: 'm1', apiKey: 'k' }, { env: {}, pricing: { m1: { inputPerMTok: 9, outputPerMTok: 9 } } });
    const second = await settingsPrice.client.complete({ messages: goal, tools: [] });
    assert.ok(second.usage.costUsd !== null && Math.abs(second.usage.costUsd - (100 * 9 + 10 * 9) / 1e6) < 1e-12, 'the caller\'s table prices a model without a profile');
  });

  it('a bad URL is an EndpointError, not a crash', async () => {
    await assert.rejects(connectModel(null, { baseUrl: 'not a url', model: 'm', apiKey: 'k' }, { env: {} }), EndpointError);
  });
});

describe('profile lists from settings', () => {
  const good = { name: 'good', baseUrl: 'https://api.example.com/v1', model: 'm' };

  it('keeps the valid profiles and names the field of each invalid one', () => {
    const list = parseProfileList([good, { name: 'big', baseUrl: 'https://x.example/v1', model: 'm', contextWindow: 'big' }, { ...good, apiKey: 'sk-1234567890' }, good],
      'patchpilot.providers');
    assert.deepEqual(list.profiles.map((p) => p.name), ['good']);
    assert.equal(list.problems.length, 3);
    assert.match(list.problems[0], /^patchpilot\.providers\[1\]\.contextWindow must be a whole number of tokens ≥ 1024, not "big"\.$/);
    assert.match(list.problems[1], /^patchpilot\.providers\[2\]\.apiKey: a profile never holds a key/);
    assert.doesNotMatch(list.problems.join(' '), /sk-1234567890/, 'a key pasted by mistake is not repeated in the message');
    assert.match(list.problems[2], /^patchpilot\.providers\[3\]\.name: "good" is the name of an earlier profile/);
  });

  it('no setting is no profiles; a setting that is not a list says so', () => {
    assert.deepEqual(parseProfileList(undefined, 'patchpilot.providers'), { profiles: [], problems: [] });
    assert.match(parseProfileList({ providers: [] }, 'patchpilot.providers').problems[0], /^patchpilot\.providers must be a list of profiles/);
  });

  it('finds the selected profile; an unknown or invalid one is an error that says what exists and what is wrong', () => {
    const words = { list: 'patchpilot.providers', selector: 'patchpilot.provider', fix: 'Pick another.' };
    const list = parseProfileList([good, { name: 'broken', baseUrl: 'ftp://x', model: 'm' }], 'patchpilot.providers');
    assert.equal(findProfile(null, list, words), null);
    assert.equal(findProfile('good', list, words)?.baseUrl, good.baseUrl);
    assert.throws(() => findProfile('broken', list, words), (error: unknown) => error instanceof ProfileError
      && /^patchpilot\.provider is "broken", but patchpilot\.providers has no valid profile of that name \(it has: good\)\. patchpilot\.providers\[1\]\.baseUrl must be an http\(s\) URL, not "ftp:\/\/x"\. Pick another\.$/.test(error.message));
  });
});
