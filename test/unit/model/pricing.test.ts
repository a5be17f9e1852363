// Costs come only from configured prices; totals say whether the cost is complete.
import * as assert from 'node:assert/strict';
import { costOf, UsageTracker, type Pricing } from '../../../src/agent/model/pricing';

const pricing: Pricing = { 'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 }, 'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 } };

describe('pricing', () => {
  it('prices known models, including dated snapshots of a configured name', () => {
    assert.equal(costOf('gpt-4o', 1_000_000, 100_000, pricing), 3.5);
    assert.equal(costOf('gpt-4o-2024-08-06', 1_000_000, 0, pricing), 2.5);
    assert.equal(costOf('gpt-4o-mini', 2_000_000, 0, pricing), 0.3);
  });

  it('returns null rather than a guess for unknown models', () => {
    assert.equal(costOf('gpt-4o-audio', 1000, 1000, pricing), null);
    assert.equal(costOf('llama3', 1000, 1000, undefined), null);
    assert.equal(costOf('toString', 1, 1, pricing), null);
  });

  it('sums tokens and known costs, and says when some calls were unpriced', () => {
    const tracker = new UsageTracker();
    assert.deepEqual(tracker.totals(), { promptTokens: 0, completionTokens: 0, costUsd: null, costKnown: true, calls: 0, estimatedCalls: 0 });
    tracker.add({ promptTokens: 100, completionTokens: 10, costUsd: 0.5 });
    tracker.add({ promptTokens: 200, completionTokens: 20, costUsd: 0.25 });
    assert.deepEqual(tracker.totals(), { promptTokens: 300, completionTokens: 30, costUsd: 0.75, costKnown: true, calls: 2, estimatedCalls: 0 });
    tracker.add({ promptTokens: 50, completionTokens: 5, costUsd: null, estimated: true });
    assert.deepEqual(tracker.totals(), { promptTokens: 350, completionTokens: 35, costUsd: 0.75, costKnown: false, calls: 3, estimatedCalls: 1 });
    assert.equal(tracker.lastCall()?.promptTokens, 50);
  });

  it('keeps the cost null when no call was priced', () => {
    const tracker = new UsageTracker();
    tracker.add({ promptTokens: 1, completionTokens: 1, costUsd: null });
    assert.equal(tracker.totals().costUsd, null);
    assert.equal(tracker.totals().costKnown, false);
  });
});
