// Stream reassembly copes with the ways servers differ in sending tool-call deltas.
import * as assert from 'node:assert/strict';
import { StreamAssembler } from '../../../src/agent/model/assembler';
import { retryAfterMs, ModelError } from '../../../src/agent/model/errors';
import { retryDelayMs, defaultBackoff } from '../../../src/agent/model/retry';

describe('StreamAssembler', () => {
  it('joins argument pieces by index across interleaved calls', () => {
    const assembler = new StreamAssembler();
    assembler.add({ choices: [{ delta: { tool_calls: [{ index: 0, id: 'a', function: { name: 'read_file', arguments: '{"pa' } }] } }] });
    assembler.add({ choices: [{ delta: { tool_calls: [{ index: 1, id: 'b', function: { name: 'list_files', arguments: '{}' } }] } }] });
    assembler.add({ choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: 'th":"x"}' } }] }, finish_reason: 'tool_calls' }] });
    assert.deepEqual(assembler.result().toolCalls, [
      { id: 'a', name: 'read_file', argumentsText: '{"path":"x"}' },
      { id: 'b', name: 'list_files', argumentsText: '{}' },
    ]);
    assert.equal(assembler.finished, true);
  });

  it('starts a new call when a server reuses index 0 with a fresh id, and ignores repeated names', () => {
    const assembler = new StreamAssembler();
    assembler.add({ choices: [{ delta: { tool_calls: [{ index: 0, id: 'a', function: { name: 'run_tests', arguments: '' } }] } }] });
    assembler.add({ choices: [{ delta: { tool_calls: [{ index: 0, id: 'a', function: { name: 'run_tests', arguments: '' } }] } }] });
    assembler.add({ choices: [{ delta: { tool_calls: [{ index: 0, id: 'b', function: { name: 'finish', arguments: '{"summary":"s"}' } }] } }] });
    assert.deepEqual(assembler.result().toolCalls, [
      { id: 'a', name: 'run_tests', argumentsText: '{}' },
      { id: 'b', name: 'finish', argumentsText: '{"summary":"s"}' },
    ]);
  });

  it('handles deltas without an index or id', () => {
    const assembler = new StreamAssembler();
    assembler.add({ choices: [{ delta: { content: 'Hi' } }] });
    assembler.add({ choices: [{ delta: { tool_calls: [{ function: { name: 'read_file', arguments: '{"path":' } }] } }] });
    assembler.add({ choices: [{ delta: { tool_calls: [{ function: { arguments: '"y"}' } }] } }] });
    const result = assembler.result();
    assert.equal(result.content, 'Hi');
    // The id stays empty: the client's tool-id rules give it one.
    assert.deepEqual(result.toolCalls, [{ id: '', name: 'read_file', argumentsText: '{"path":"y"}' }]);
    assert.equal(assembler.finished, false);
  });
});

describe('retry timing', () => {
  it('reads retry-after as seconds or an HTTP date, and prefers retry-after-ms', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(retryAfterMs(new Headers({ 'retry-after': '3' }), now), 3000);
    assert.equal(retryAfterMs(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:10 GMT' }), now), 10_000);
    assert.equal(retryAfterMs(new Headers({ 'retry-after': '3', 'retry-after-ms': '250' }), now), 250);
    assert.equal(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now), undefined);
    assert.equal(retryAfterMs(new Headers(), now), undefined);
  });

  it('doubles the backoff per attempt up to the cap, keeping 50-100% after jitter', () => {
    const error = new ModelError('server', 'x', { status: 500 });
    const policy = { ...defaultBackoff, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => retryDelayMs(error, n, policy, () => 1)), [100, 200, 400, 800, 1000]);
    assert.deepEqual([1, 2].map((n) => retryDelayMs(error, n, policy, () => 0)), [50, 100]);
  });
});
