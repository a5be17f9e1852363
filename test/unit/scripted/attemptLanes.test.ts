// Parallel attempts against one scripted server: the X-Patchpilot-Attempt header picks the script's `attempts` entry,
// each with its own turns, and a slow attempt does not hold the others up.
import * as assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startScriptedServer, type ScriptedServer } from '../../../src/scripted/server';
import { ScriptError, validateScript } from '../../../src/scripted/script';

describe('scripted server: attempt lanes', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const client = (url: string, attempt?: number) =>
    new OpenAI({ baseURL: url, apiKey: 'k', maxRetries: 0, ...(attempt ? { defaultHeaders: { 'X-Patchpilot-Attempt': String(attempt) } } : {}) });
  const ask = (c: OpenAI, text: string) => c.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: text }] });

  it('answers each attempt from its own turns and records which attempt asked', async () => {
    server = await startScriptedServer({
      turns: [{ content: 'main' }],
      attempts: [{ turns: [{ content: 'one-a', delay_ms: 300 }, { content: 'one-b' }] }, { turns: [{ expect: ['two'], content: 'two-a' }] }],
    });
    const first = ask(client(server.url, 1), 'x');
    const second = await ask(client(server.url, 2), 'two');
    assert.equal(second.choices[0].message.content, 'two-a');
    assert.equal(server.requests.find((r) => r.attempt === 1)?.outcome, 'pending', 'attempt 2 was answered while attempt 1 waited out its delay');
    assert.equal((await first).choices[0].message.content, 'one-a');
    assert.equal((await ask(client(server.url, 1), 'y')).choices[0].message.content, 'one-b');
    assert.equal((await ask(client(server.url), 'z')).choices[0].message.content, 'main');
    assert.deepEqual(server.requests.map((r) => [r.attempt, r.turn]), [[1, 1], [2, 1], [1, 2], [null, 1]]);
    assert.equal(server.remainingTurns(), 0);
  });

  it('refuses an attempt the script has no entry for, and names its lane when exhausted', async () => {
    server = await startScriptedServer({ turns: [], attempts: [{ turns: [{ content: 'only' }] }] });
    await assert.rejects(ask(client(server.url, 3), 'x'), /X-Patchpilot-Attempt: 3, but the script has 1 "attempts"/);
    await ask(client(server.url, 1), 'x');
    await assert.rejects(ask(client(server.url, 1), 'x'), /attempts\[0\] exhausted after 1 turns/);
  });

  it('validates attempts and names the bad field', () => {
    assert.throws(() => validateScript({ attempts: [{ turns: [{}] }] }), (e: unknown) => e instanceof ScriptError && /attempts\[0\] \(attempt 1\)\.turns\[0\] \(turn 1\) needs "content"/.test(e.message));
    assert.throws(() => validateScript({ turns: [], attempts: {} }), /"attempts" must be a list/);
    assert.equal(validateScript({ attempts: [{ turns: [{ content: 'a' }] }] }).turns.length, 0, 'turns may be left out when attempts are given');
  });
});
