// Ollama: the context the model really runs with, read from /api/ps, /api/show and the trained maximum.
import * as assert from 'node:assert/strict';
import { ollamaSizing, probeOllama } from '../../../src/agent/model/ollama';
import { ollamaFake, startFake, type FakeServer } from '../../support/providerFakes';

describe('Ollama context length', () => {
  let server: FakeServer | undefined;
  afterEach(async () => server?.close());

  it('reads num_ctx from the Modelfile parameters and the trained maximum from model_info', async () => {
    server = await ollamaFake([], [{ name: 'qwen2.5-coder:7b', architecture: 'qwen2', trainedContext: 32_768, numCtx: 8192 }]);
    const info = await probeOllama(server.origin, 'qwen2.5-coder:7b');
    assert.deepEqual(info, { version: '0.12.6', model: 'qwen2.5-coder:7b', trainedContext: 32_768, numCtx: 8192, loadedContext: null });
    const sizing = ollamaSizing(info!);
    assert.equal(sizing.windowTokens, 8192);
    assert.equal(sizing.source, 'num_ctx in its Modelfile');
    assert.match(sizing.warnings[0], /runs qwen2\.5-coder:7b with a 8,192-token context window .* OLLAMA_CONTEXT_LENGTH=32768 ollama serve.*PARAMETER num_ctx 32768/);
    assert.deepEqual(server.requests.map((r) => `${r.method} ${r.path}`), ['GET /api/version', 'POST /api/show', 'GET /api/ps']);
    assert.deepEqual(server.requests[1].body, { model: 'qwen2.5-coder:7b' });
  });

  it('prefers the context of the loaded model (ollama ps), capped by the trained maximum', async () => {
    server = await ollamaFake([], [
      { name: 'llama3.1', architecture: 'llama', trainedContext: 131_072, loadedContext: 65_536 },
      { name: 'tiny', architecture: 'gemma', trainedContext: 2048, loadedContext: 8192 },
    ]);
    const loaded = ollamaSizing((await probeOllama(server.origin, 'llama3.1'))!);
    assert.deepEqual([loaded.windowTokens, loaded.warnings.length], [65_536, 0]);
    const capped = ollamaSizing((await probeOllama(server.origin, 'tiny'))!);
    assert.deepEqual([capped.windowTokens, capped.source], [2048, "the model's trained maximum"]);
  });

  it('assumes the smallest default, and says so, when neither tells', async () => {
    server = await ollamaFake([], [{ name: 'mistral-nemo', architecture: 'llama', trainedContext: 1_024_000 }]);
    const sizing = ollamaSizing((await probeOllama(server.origin, 'mistral-nemo'))!);
    assert.equal(sizing.windowTokens, 4096);
    assert.match(sizing.source, /Ollama's smallest default is assumed; if you set OLLAMA_CONTEXT_LENGTH, say it with --context-window/);
    assert.match(sizing.advice, /ignores num_ctx in a request/);
  });

  it('is null for a server that is not Ollama', async () => {
    server = await startFake(() => ({ status: 404, text: 'not found', contentType: 'text/plain' }));
    assert.equal(await probeOllama(server.origin, 'gpt-4.1'), null);
  });
});
