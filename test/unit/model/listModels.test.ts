// The provider's model list over real HTTP: the scripted server's /v1/models, and the errors a picker has to explain.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { listModels, ModelListError } from '../../../src/agent/model/listModels';
import { startScriptedServer, type ScriptedServer } from '../../../src/scripted/server';

const oneTurn = [{ content: 'unused' }];

async function rawServer(status: number, body: unknown): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe('listModels', () => {
  let scripted: ScriptedServer | undefined;
  afterEach(async () => { await scripted?.close(); scripted = undefined; });

  it('lists the provider\'s models sorted and without duplicates', async () => {
    scripted = await startScriptedServer({ models: ['qwen2.5-coder:7b', 'llama3.1:8b', 'qwen2.5-coder:7b'], turns: oneTurn });
    assert.deepEqual(await listModels({ baseURL: scripted.url, apiKey: 'x' }), ['llama3.1:8b', 'qwen2.5-coder:7b']);
  });

  it('lists the script\'s model when the script names no list', async () => {
    scripted = await startScriptedServer({ model: 'scripted-7b', turns: oneTurn });
    assert.deepEqual(await listModels({ baseURL: scripted.url, apiKey: 'x' }), ['scripted-7b']);
  });

  it('says to check the key when the provider answers 401', async () => {
    const server = await rawServer(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } });
    try {
      await assert.rejects(listModels({ baseURL: server.url, apiKey: 'bad' }), (error: unknown) => {
        assert.ok(error instanceof ModelListError);
        assert.equal(error.status, 401);
        assert.match(error.message, /answered 401 to GET \/models \(check the API key\)/);
        return true;
      });
    } finally {
      await server.close();
    }
  });

  it('says the server does not list its models on 404', async () => {
    const server = await rawServer(404, { error: { message: 'not found' } });
    try {
      await assert.rejects(listModels({ baseURL: server.url, apiKey: 'x' }), /does not list its models/);
    } finally {
      await server.close();
    }
  });

  it('says it could not reach a server that is not there', async () => {
    const server = await rawServer(200, {});
    const url = server.url;
    await server.close();
    await assert.rejects(listModels({ baseURL: url, apiKey: 'x', timeoutMs: 2000 }), (error: unknown) => {
      assert.ok(error instanceof ModelListError);
      assert.equal(error.status, null);
      assert.match(error.message, /could not reach http:\/\/127\.0\.0\.1:\d+\/v1/);
      return true;
    });
  });
});
