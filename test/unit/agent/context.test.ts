// Context condensing: requests stay under the window, recent messages and the goal stay whole, stubs are stable.
import * as assert from 'node:assert/strict';
import { ContextManager, estimateTokens } from '../../../src/agent/context';
import type { ChatMessage } from '../../../src/agent/ports';

function conversation(toolResults: number, size: number): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'system', content: 'system' }, { role: 'user', content: 'Goal: fix it' }];
  for (let i = 0; i < toolResults; i++) {
    messages.push({ role: 'assistant', content: null, tool_calls: [{ id: `c${i}`, type: 'function', function: { name: 'read_file', arguments: `{"path":"f${i}"}` } }] });
    messages.push({ role: 'tool', tool_call_id: `c${i}`, content: `file ${i}\n` + 'x'.repeat(size) });
  }
  return messages;
}

describe('context manager', () => {
  it('leaves a small conversation untouched', () => {
    const manager = new ContextManager({ windowTokens: 100_000, condenseAt: 0.7, keepRecent: 4 });
    const messages = conversation(3, 100);
    const prepared = manager.prepare(messages);
    assert.equal(prepared.condensedNow, null);
    assert.deepEqual(prepared.messages, messages);
  });

  it('condenses old tool results until the request fits, keeping recent ones and the goal whole', () => {
    const manager = new ContextManager({ windowTokens: 10_000, condenseAt: 0.7, keepRecent: 4 });
    const messages = conversation(40, 2000);
    const prepared = manager.prepare(messages);
    assert.ok(prepared.condensedNow);
    assert.ok(estimateTokens(prepared.messages) <= 7000, String(estimateTokens(prepared.messages)));
    assert.equal(prepared.messages[1].content, 'Goal: fix it');
    assert.deepEqual(prepared.messages.slice(-4), messages.slice(-4));
    assert.match(String(prepared.messages[3].content), /^\[condensed to save context: \d+ characters; it began: "file 0"/);
    // Every tool call keeps its result message: the API requires the pairing.
    assert.equal(prepared.messages.length, messages.length);
  });

  it('keeps earlier stubs stable as the conversation grows (a stable prefix)', () => {
    const manager = new ContextManager({ windowTokens: 10_000, condenseAt: 0.7, keepRecent: 4 });
    const messages = conversation(40, 2000);
    const first = manager.prepare(messages).messages;
    messages.push(...conversation(1, 2000).slice(2));
    const second = manager.prepare(messages).messages;
    assert.deepEqual(second.slice(0, 20), first.slice(0, 20));
  });

  it('caps one tool output against the window, head and tail kept, the whole spilled', () => {
    const manager = new ContextManager({ windowTokens: 4000, condenseAt: 0.7, keepRecent: 8 });
    let spilled = '';
    const big = 'HEAD' + 'x'.repeat(1_000_000) + 'TAIL';
    const capped = manager.capToolOutput(big, (text) => { spilled = text; return '.patchpilot/tmp/out.txt'; });
    assert.ok(capped.length <= manager.toolOutputLimit, String(capped.length));
    assert.ok(capped.startsWith('HEAD') && capped.endsWith('TAIL'));
    assert.match(capped, /characters left out to fit the context window; the whole output is in \.patchpilot\/tmp\/out\.txt/);
    assert.equal(spilled, big);
    assert.equal(manager.capToolOutput('short', () => null), 'short');
  });

  it('condenses recent messages too when they alone are over the budget, and never exceeds the window', () => {
    const manager = new ContextManager({ windowTokens: 4000, condenseAt: 0.7, keepRecent: 8 });
    const messages = conversation(3, 6000);
    messages.push({ role: 'assistant', content: null, tool_calls: [{ id: 'w', type: 'function', function: { name: 'write_file', arguments: JSON.stringify({ path: 'a', content: 'y'.repeat(20_000) }) } }] });
    messages.push({ role: 'tool', tool_call_id: 'w', content: 'created a' });
    messages.push({ role: 'user', content: 'Verification failed: ' + 'z'.repeat(30_000) });
    const prepared = manager.prepare(messages);
    assert.ok(estimateTokens(prepared.messages) <= 4000, String(estimateTokens(prepared.messages)));
    assert.equal(prepared.messages.length, messages.length, 'every call keeps its result');
    assert.equal(prepared.messages[0].content, 'system');
  });

  it('a long task in a small window: once even the stubs do not fit, the oldest whole turns leave the request, and the goal says so', () => {
    const manager = new ContextManager({ windowTokens: 2000, condenseAt: 0.7, keepRecent: 8 });
    const messages = conversation(120, 400);
    const prepared = manager.prepare(messages);
    assert.ok(estimateTokens(prepared.messages) <= 2000, String(estimateTokens(prepared.messages)));
    assert.ok(prepared.messages.length < messages.length, 'old turns were left out');
    assert.equal(prepared.messages[0].content, 'system');
    assert.match(prepared.messages[1].content ?? '', /^Goal: fix it\n\n\[\d+ earlier messages of this task were left out to fit the context window/);
    // Every tool result still follows the call it answers, and the latest turn is there.
    for (let i = 2; i < prepared.messages.length; i++) {
      const m = prepared.messages[i];
      if (m.role !== 'tool') continue;
      const call = prepared.messages.slice(2, i).reverse().find((p) => p.role === 'assistant');
      assert.ok(call?.role === 'assistant' && call.tool_calls?.some((c) => c.id === m.tool_call_id), `result ${m.tool_call_id} has its call`);
    }
    assert.equal((prepared.messages.at(-1) as { tool_call_id?: string }).tool_call_id, 'c119');
    assert.equal(messages.length, 242, 'the conversation itself is not changed');
  });

  it('says clearly when the window cannot hold even the system prompt', () => {
    const manager = new ContextManager({ windowTokens: 1000, condenseAt: 0.7, keepRecent: 8 });
    assert.throws(() => manager.prepare([{ role: 'system', content: 's'.repeat(20_000) }, { role: 'user', content: 'Goal' }]), /context window \(1000 tokens\) is too small/);
  });
});
