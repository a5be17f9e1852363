// Loop guards: budgets, repeated identical calls, and no progress judged by failure signatures after edits.
import * as assert from 'node:assert/strict';
import { canonicalJson, DEFAULT_BUDGETS, Guards } from '../../../src/agent/guards';

const spend = (over: Partial<{ steps: number; totalTokens: number; costUsd: number | null; elapsedMs: number }> = {}) =>
  ({ steps: 0, totalTokens: 0, costUsd: null, elapsedMs: 0, ...over });

describe('guards', () => {
  it('stops at each budget with its own reason', () => {
    const guards = new Guards({ ...DEFAULT_BUDGETS, maxSteps: 5, maxTokens: 1000, maxCostUsd: 0.5, maxWallMs: 60_000 });
    assert.equal(guards.checkBudget(spend()), null);
    assert.equal(guards.checkBudget(spend({ steps: 5 }))?.reason, 'max_steps');
    assert.equal(guards.checkBudget(spend({ totalTokens: 1000 }))?.reason, 'max_tokens');
    assert.equal(guards.checkBudget(spend({ costUsd: 0.5 }))?.reason, 'max_cost');
    assert.equal(guards.checkBudget(spend({ elapsedMs: 60_000 }))?.reason, 'max_time');
  });

  it('never stops on cost when the price is unknown', () => {
    const guards = new Guards({ ...DEFAULT_BUDGETS, maxCostUsd: 0.01 });
    assert.equal(guards.checkBudget(spend({ costUsd: null, totalTokens: 10_000_000 })), null);
  });

  it('warns on the second identical call and stops on the third, whatever the key order', () => {
    const guards = new Guards(DEFAULT_BUDGETS);
    assert.equal(guards.noteCall('read_file', { path: 'a', start_line: 1 }).kind, 'ok');
    assert.equal(guards.noteCall('read_file', { start_line: 1, path: 'a' }).kind, 'warn');
    const third = guards.noteCall('read_file', { path: 'a', start_line: 1 });
    assert.equal(third.kind, 'stop');
  });

  it('forgets repeated calls once a file changed', () => {
    const guards = new Guards(DEFAULT_BUDGETS);
    guards.noteCall('read_file', { path: 'a' });
    guards.noteCall('read_file', { path: 'a' });
    guards.noteFileChanged();
    assert.equal(guards.noteCall('read_file', { path: 'a' }).kind, 'ok');
  });

  it('counts runs without progress only when edits came in between', () => {
    const guards = new Guards({ ...DEFAULT_BUDGETS, maxSameFailures: 3 });
    assert.equal(guards.noteTestRun(null, false), null, 'the first failing run');
    assert.equal(guards.noteTestRun(false, false), null, 'a re-run without edits is not an attempt');
    guards.noteFileChanged();
    assert.equal(guards.noteTestRun(false, false), null);
    guards.noteFileChanged();
    assert.equal(guards.noteTestRun(false, false)?.reason, 'no_progress');
  });

  it('starts over when a run makes progress or passes', () => {
    const guards = new Guards({ ...DEFAULT_BUDGETS, maxSameFailures: 2 });
    guards.noteTestRun(null, false);
    guards.noteFileChanged();
    assert.equal(guards.noteTestRun(true, false), null);
    guards.noteFileChanged();
    assert.equal(guards.noteTestRun(null, true), null);
    guards.noteFileChanged();
    assert.equal(guards.noteTestRun(null, false), null);
    guards.noteFileChanged();
    assert.equal(guards.noteTestRun(false, false)?.reason, 'no_progress');
  });

  it('stops after three invalid calls in a row, quoting the last error, and after three text-only replies', () => {
    const guards = new Guards(DEFAULT_BUDGETS);
    assert.equal(guards.noteInvalidCall('bad 1'), null);
    guards.noteValidCall();
    assert.equal(guards.noteInvalidCall('bad 2'), null);
    assert.equal(guards.noteInvalidCall('bad 3'), null);
    const stop = guards.noteInvalidCall('edit_file: arguments are not valid JSON');
    assert.equal(stop?.reason, 'invalid_calls');
    assert.match(stop?.message ?? '', /3 tool calls in a row.*edit_file: arguments are not valid JSON/);
    assert.equal(guards.noteTextOnlyReply(), null);
    assert.equal(guards.noteTextOnlyReply(), null);
    assert.equal(guards.noteTextOnlyReply()?.reason, 'no_tool_calls');
  });

  it('canonical JSON sorts keys at every depth', () => {
    assert.equal(canonicalJson({ b: [{ d: 1, c: 2 }], a: null }), '{"a":null,"b":[{"c":2,"d":1}]}');
  });
});
