// The real CLI against wire-level fakes of providers: DeepSeek's reasoning_content and Gemini's thought signatures
// round-trip through a whole task (and its journal), Azure deployment URLs, a gateway that refuses stream_options,
// a profile file with --provider, Ollama's context length, and an error object sent with HTTP 200.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  azureFake, deepSeekFake, errorObjectFake, geminiFake, ollamaFake, strictGatewayFake, type FakeServer, type FakeTurn,
} from '../support/providerFakes';
import { cleanupAll, FIXED_ADD, makeRepo, read, readReport, runCli } from './support/harness';

const FIX_TURNS: FakeTurn[] = [
  { reasoning: 'add() subtracts; the test expects a sum. Fix the operator.', toolCalls: [{ name: 'edit_file', arguments: FIXED_ADD }] },
  { reasoning: 'The edit is in; let the tests decide.', content: 'Fixed the operator.', toolCalls: [{ name: 'finish', arguments: { summary: 'add now adds' } }] },
];

function reportPath(repo: string): string {
  return join(repo, '..', `${repo.split('/').pop()}-report.json`);
}

function fixArgs(repo: string, connection: string[]): string[] {
  return ['fix-tests', '--cwd', repo, '--test', 'node --test', '--approve', 'auto', '--report', reportPath(repo), ...connection];
}

/** The chat-completions requests (the CLI also asks a local server whether it is Ollama: GET /api/version). */
function chats(server: FakeServer): FakeServer['requests'] {
  return server.requests.filter((r) => r.path.endsWith('/chat/completions'));
}

type JournalEvent = { type: string; [key: string]: unknown };

function journal(repo: string): JournalEvent[] {
  const dir = join(repo, '.patchpilot', 'tasks');
  const file = readdirSync(dir).find((name) => name.endsWith('.jsonl'));
  assert.ok(file, 'a journal was written');
  return readFileSync(join(dir, file), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as JournalEvent);
}

describe('providers (CLI against provider fakes over HTTP)', function () {
  this.timeout(90_000);
  const servers: FakeServer[] = [];
  afterEach(async () => {
    while (servers.length) await servers.pop()!.close();
    await cleanupAll();
  });

  async function fake<T extends FakeServer>(server: Promise<T>): Promise<T> {
    const started = await server;
    servers.push(started);
    return started;
  }

  it('DeepSeek thinking mode: reasoning_content goes back with each tool call, and the journal keeps it for a resume', async () => {
    const repo = makeRepo('calc');
    const server = await fake(deepSeekFake(FIX_TURNS));
    const run = await runCli(fixArgs(repo, ['--base-url', server.origin, '--model', 'deepseek-reasoner']), { env: { PATCHPILOT_API_KEY: 'ds-key' } });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(readReport(repo).status, 'verified');
    assert.match(read(repo, 'src/math.js'), /a \+ b/);
    assert.equal(chats(server).length, 2);
    const sent = (chats(server)[1].body?.messages as { role: string; reasoning_content?: string; tool_calls?: unknown[] }[]).find((m) => m.role === 'assistant');
    assert.equal(sent?.reasoning_content, FIX_TURNS[0].reasoning);
    const kept = journal(repo).filter((e) => e.type === 'message' && (e.message as { role: string }).role === 'assistant').map((e) => (e.message as { extra?: unknown }).extra);
    assert.deepEqual(kept, [{ reasoning_content: FIX_TURNS[0].reasoning }, { reasoning_content: FIX_TURNS[1].reasoning }]);
    assert.match(run.stdout, new RegExp(`\\$\\d+\\.\\d{4} estimate \\(prices of \\d{4}-\\d{2}-\\d{2}\\)`));
  });

  it('Gemini 3: each thought_signature goes back in extra_content, so the task gets past its first tool call', async () => {
    const repo = makeRepo('calc');
    const server = await fake(geminiFake(FIX_TURNS));
    const run = await runCli(fixArgs(repo, ['--base-url', `${server.origin}/v1beta/openai/`, '--model', 'gemini-3-pro-preview']), { env: { PATCHPILOT_API_KEY: 'gemini-key' } });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(readReport(repo).status, 'verified');
    const call = ((chats(server)[1].body?.messages as { role: string; tool_calls?: { extra_content?: unknown }[] }[]).find((m) => m.role === 'assistant')?.tool_calls ?? [])[0];
    assert.deepEqual(call?.extra_content, { google: { thought_signature: server.signatures[0] } });
  });

  it('Azure OpenAI: a deployment URL with api-version just works, the key in api-key, priced by the model Azure reports', async () => {
    const repo = makeRepo('calc');
    const server = await fake(azureFake(FIX_TURNS.map(({ reasoning: _r, ...turn }) => turn), { deployment: 'gpt4o-prod', key: 'azure-key' }));
    const url = `${server.origin}/openai/deployments/gpt4o-prod?api-version=2024-10-21`;
    const run = await runCli(fixArgs(repo, ['--base-url', url]), { env: { AZURE_OPENAI_API_KEY: 'azure-key' } });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /model: gpt4o-prod at http:\/\/127\.0\.0\.1:\d+\/openai\/deployments\/gpt4o-prod \(Azure deployment, api-version 2024-10-21\), key from AZURE_OPENAI_API_KEY/);
    assert.deepEqual(chats(server).map((r) => [r.path, r.query.get('api-version'), r.headers['api-key'], r.headers.authorization ?? null]),
      [['/openai/deployments/gpt4o-prod/chat/completions', '2024-10-21', 'azure-key', null], ['/openai/deployments/gpt4o-prod/chat/completions', '2024-10-21', 'azure-key', null]]);
    const report = JSON.parse(readFileSync(reportPath(repo), 'utf8')) as { usage: { costUsd: number | null; costNote: string } };
    assert.ok(report.usage.costUsd !== null && report.usage.costUsd > 0);
    assert.match(report.usage.costNote, /^estimate \(prices of \d{4}-\d{2}-\d{2}\)$/);
    assert.equal(readReport(repo).status, 'verified');
  });

  it('a gateway that refuses stream_options (FastAPI 422): retried once without it, remembered, said in the journal, usage estimated', async () => {
    const repo = makeRepo('calc');
    const server = await fake(strictGatewayFake(FIX_TURNS, '422'));
    const run = await runCli(fixArgs(repo, ['--base-url', `${server.origin}/v1`, '--model', 'gateway-model']), { env: { PATCHPILOT_API_KEY: 'gw' } });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(readReport(repo).status, 'verified');
    assert.match(run.stdout, /model: attempt 1 failed \(.*HTTP 422: body\.stream_options: Extra inputs are not permitted.*retrying without stream_options/);
    assert.deepEqual(chats(server).map((r) => 'stream_options' in (r.body ?? {})), [true, false, false]);
    const events = journal(repo);
    assert.ok(events.some((e) => e.type === 'model_retry' && /retrying without stream_options \(remembered for this endpoint/.test(String(e.reason))));
    assert.ok(events.some((e) => e.type === 'warning' && /without stream_options/.test(String(e.message))));
    assert.deepEqual(events.filter((e) => e.type === 'model_reply').map((e) => (e.usage as { estimated?: boolean }).estimated), [true, true]);
  });

  it('a profile file with --provider: its URL, model, key variable, headers and prices; flags override its fields; a bad file names the field', async () => {
    const repo = makeRepo('calc');
    const server = await fake(deepSeekFake(FIX_TURNS));
    const dir = mkdtempSync(join(tmpdir(), 'pp-providers-'));
    const file = join(dir, 'providers.json');
    writeFileSync(file, JSON.stringify({ providers: [
      { name: 'other', baseUrl: 'https://example.invalid/v1', model: 'x' },
      { name: 'ds', baseUrl: server.origin, model: 'deepseek-reasoner', apiKeyEnv: 'MY_DS_KEY', headers: { 'X-Team': 'core' }, prices: { inputPerMillion: 1, outputPerMillion: 2 } },
    ] }));
    try {
      const run = await runCli(fixArgs(repo, ['--providers', file, '--provider', 'ds', '--model', 'deepseek-chat']), { env: { MY_DS_KEY: 'ds-secret' } });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /model: deepseek-chat at http:\/\/127\.0\.0\.1:\d+, profile ds, key from MY_DS_KEY/);
      assert.deepEqual(chats(server).map((r) => [r.body?.model, r.headers.authorization, r.headers['x-team']]),
        [['deepseek-chat', 'Bearer ds-secret', 'core'], ['deepseek-chat', 'Bearer ds-secret', 'core']]);
      // The fake reports 100 and 200 prompt tokens, 10 completion tokens each: at $1 / $2 per million.
      assert.match(run.stdout, /\$0\.0003 estimate \(your prices\)/);
      assert.equal(readReport(repo).status, 'verified');

      writeFileSync(file, JSON.stringify({ providers: [{ name: 'ds', baseUrl: server.origin, model: 'm', apiKey: 'sk-oops' }] }));
      const bad = await runCli(['run', '--cwd', repo, '--goal', 'x', '--provider', 'ds'], { env: { PATCHPILOT_PROVIDERS: file } });
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /providers\.json: providers\[0\]\.apiKey: a profile never holds a key/);
      writeFileSync(file, JSON.stringify({ providers: [{ name: 'ds', baseUrl: server.origin, model: 'm' }] }));
      const unknown = await runCli(['run', '--cwd', repo, '--goal', 'x', '--providers', file, '--provider', 'nope']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /--provider nope: no such profile in .*providers\.json \(it has: ds\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Ollama: the model\'s num_ctx sizes the task\'s window, with a clear warning that it is small', async () => {
    const repo = makeRepo('calc');
    const turns = FIX_TURNS.map(({ reasoning: _r, ...turn }) => turn);
    const server = await fake(ollamaFake(turns, [{ name: 'qwen2.5-coder:7b', architecture: 'qwen2', trainedContext: 32_768, numCtx: 8192 }]));
    const run = await runCli(fixArgs(repo, ['--base-url', `${server.origin}/v1`, '--model', 'qwen2.5-coder:7b']));
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /Ollama 0\.12\.6: qwen2\.5-coder:7b runs with a 8,192-token context window \(num_ctx in its Modelfile\); the task is sized to it\./);
    assert.match(run.stdout, /warning: .*small for an agent.*OLLAMA_CONTEXT_LENGTH=32768 ollama serve/);
    assert.ok(server.requests.some((r) => r.path === '/api/show' && r.body?.model === 'qwen2.5-coder:7b'));
    const chat = chats(server);
    assert.equal(chat.length, 2);
    assert.equal(chat[0].body?.options, undefined, 'num_ctx is not sent: the OpenAI route ignores it');
    assert.match(run.stdout, /cost: price unknown/);
    assert.equal(readReport(repo).status, 'verified');
  });

  it('an error object sent with HTTP 200 fails the task at once with the server\'s message', async () => {
    const repo = makeRepo('calc');
    const server = await fake(errorObjectFake('json'));
    const run = await runCli(fixArgs(repo, ['--base-url', server.origin, '--model', 'm']), { env: { PATCHPILOT_API_KEY: 'k' } });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /failed \(model_error\): The model refused the request: .*answered with an error instead of a reply: Upstream provider quota exhausted for this key/);
    assert.equal(chats(server).length, 1);
  });
});
