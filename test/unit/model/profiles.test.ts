// Provider profiles: parse errors name the exact field; resolveProvider merges overrides, finds the key, never holds one.
import * as assert from 'node:assert/strict';
import { parseProviderProfiles, ProfileError, resolveProvider, type ProviderProfile } from '../../../src/agent/model/profiles';

const good = { name: 'deepseek', baseUrl: 'https://api.deepseek.com', model: 'deepseek-reasoner', apiKeyEnv: 'DEEPSEEK_API_KEY' };

function parseError(value: unknown): ProfileError {
  try {
    parseProviderProfiles(value);
  } catch (error) {
    assert.ok(error instanceof ProfileError, String(error));
    return error;
  }
  assert.fail('expected a ProfileError');
}

describe('provider profiles', () => {
  it('parses a file of profiles with every field', () => {
    const profiles = parseProviderProfiles({ providers: [good, {
      name: 'azure-prod', type: 'azure', baseUrl: 'https://acme.openai.azure.com/openai/deployments/gpt4o?api-version=2024-10-21', model: 'gpt4o',
      apiKeyEnv: 'AZURE_OPENAI_API_KEY', headers: { 'X-Team': 'core', 'x-api-key': '${GATEWAY_KEY}' }, contextWindow: 128000,
      prices: { inputPerMillion: 2.5, outputPerMillion: 10 }, apiVersion: '2025-04-01-preview',
    }] });
    assert.equal(profiles.length, 2);
    assert.deepEqual(profiles[0], good);
    assert.equal(profiles[1].type, 'azure');
    assert.deepEqual(profiles[1].prices, { inputPerMillion: 2.5, outputPerMillion: 10 });
  });

  const errors: [string, unknown, string, RegExp][] = [
    ['no providers list', { profiles: [] }, 'providers', /must hold \{"providers": \[ … \]\}/],
    ['a missing model', { providers: [{ name: 'a', baseUrl: 'http://x' }] }, 'providers[0].model', /providers\[0\]\.model is required/],
    ['a base URL that is not http(s)', { providers: [{ ...good, baseUrl: 'api.deepseek.com' }] }, 'providers[0].baseUrl', /must be an http\(s\) URL, not "api\.deepseek\.com"/],
    ['an unknown type', { providers: [{ ...good, type: 'anthropic' }] }, 'providers[0].type', /one of openai-compatible, azure, ollama, not "anthropic"/],
    ['a key in the file', { providers: [{ ...good, apiKey: 'sk-123' }] }, 'providers[0].apiKey', /never holds a key; .*"apiKeyEnv"/],
    ['a key where the variable name goes', { providers: [{ ...good, apiKeyEnv: 'sk-live-0123456789abcdef' }] }, 'providers[0].apiKeyEnv', /names an environment variable .*, not "sk-l…"/],
    ['a credential header in plain text', { providers: [{ ...good, headers: { Authorization: 'Bearer sk-1' } }] }, 'providers[0].headers.Authorization', /credential in plain text/],
    ['a header value that is not a string', { providers: [{ ...good, headers: { 'X-N': 3 } }] }, 'providers[0].headers.X-N', /must be a string, not 3/],
    ['a window that is not a whole number', { providers: [{ ...good, contextWindow: '128k' }] }, 'providers[0].contextWindow', /whole number of tokens ≥ 1024, not "128k"/],
    ['a negative price', { providers: [{ ...good, prices: { inputPerMillion: -1, outputPerMillion: 2 } }] }, 'providers[0].prices.inputPerMillion', /≥ 0, not -1/],
    ['a misspelt price', { providers: [{ ...good, prices: { input: 1, outputPerMillion: 2 } }] }, 'providers[0].prices.input', /not a price field/],
    ['a misspelt field', { providers: [{ ...good, baseURL: 'http://x' }] }, 'providers[0].baseURL', /is not a profile field \(known: name, type, baseUrl/],
    ['a duplicate name', { providers: [good, good] }, 'providers[1].name', /"deepseek" is the name of an earlier profile/],
    ['a name with spaces', { providers: [{ ...good, name: 'my model' }] }, 'providers[0].name', /may use letters, digits/],
  ];
  for (const [what, value, field, message] of errors) {
    it(`names the field for ${what}`, () => {
      const error = parseError(value);
      assert.equal(error.field, field);
      assert.match(error.message, message);
    });
  }

  describe('resolveProvider', () => {
    const profile: ProviderProfile = { name: 'gw', baseUrl: 'https://gw.example/v1', model: 'm1', apiKeyEnv: 'GW_KEY', headers: { 'X-Team': 'core', 'X-Trace': '${TRACE_ID}' }, prices: { inputPerMillion: 1, outputPerMillion: 2 }, contextWindow: 32000 };

    it('takes the key from the named variable, interpolates headers, and keys prices by the model', () => {
      const resolved = resolveProvider(profile, {}, { GW_KEY: 'secret', TRACE_ID: 't-1' });
      assert.equal(resolved.options.apiKey, 'secret');
      assert.equal(resolved.keySource, 'GW_KEY');
      assert.deepEqual(resolved.options.extraHeaders, { 'X-Team': 'core', 'X-Trace': 't-1' });
      assert.deepEqual(resolved.options.pricing, { m1: { inputPerMTok: 1, outputPerMTok: 2 } });
      assert.equal(resolved.contextWindow, 32000);
      assert.equal(resolved.profile, 'gw');
    });

    it('lets explicit overrides win over the profile (the extension passes its SecretStorage key)', () => {
      const resolved = resolveProvider(profile, { model: 'm2', apiKey: 'from-secret-storage', contextWindow: 8192, prices: { outputPerMillion: 5 }, headers: { 'X-Team': 'infra' } }, { TRACE_ID: 't' });
      assert.equal(resolved.options.model, 'm2');
      assert.equal(resolved.options.apiKey, 'from-secret-storage');
      assert.equal(resolved.contextWindow, 8192);
      assert.deepEqual(resolved.options.pricing, { m2: { inputPerMTok: 1, outputPerMTok: 5 } });
      assert.equal(resolved.options.extraHeaders?.['X-Team'], 'infra');
    });

    it('says which variable is missing', () => {
      assert.throws(() => resolveProvider(profile, {}, { TRACE_ID: 't' }), /Profile "gw" takes its API key from GW_KEY, which is not set/);
      assert.throws(() => resolveProvider({ ...profile, apiKeyEnv: undefined }, {}, {}), /uses \$\{TRACE_ID\}, which is not set/);
    });

    it('falls back to PATCHPILOT_API_KEY, AZURE_OPENAI_API_KEY for Azure, OPENAI_API_KEY, and no key for a local server', () => {
      const azure: ProviderProfile = { name: 'az', baseUrl: 'https://acme.openai.azure.com/openai/deployments/gpt4o', model: 'gpt4o' };
      assert.equal(resolveProvider(azure, {}, { AZURE_OPENAI_API_KEY: 'az', OPENAI_API_KEY: 'oa' }).keySource, 'AZURE_OPENAI_API_KEY');
      assert.equal(resolveProvider(azure, {}, { PATCHPILOT_API_KEY: 'pp', AZURE_OPENAI_API_KEY: 'az' }).keySource, 'PATCHPILOT_API_KEY');
      assert.equal(resolveProvider({ name: 'o', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4.1' }, {}, { OPENAI_API_KEY: 'oa', AZURE_OPENAI_API_KEY: 'az' }).keySource, 'OPENAI_API_KEY');
      const local = resolveProvider({ name: 'ollama', type: 'ollama', baseUrl: 'http://localhost:11434/v1', model: 'qwen2.5-coder' }, {}, {});
      assert.deepEqual([local.options.apiKey, local.options.type], ['local', 'ollama']);
      assert.throws(() => resolveProvider({ name: 'r', baseUrl: 'https://openrouter.ai/api/v1', model: 'x' }, {}, {}), /No API key for https:\/\/openrouter\.ai\/api\/v1/);
    });
  });
});
