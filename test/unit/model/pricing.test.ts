// Costs come only from configured prices; totals say whether the cost is complete.
import * as assert from 'node:assert/strict';
import { costOf, DEFAULT_PRICES, DEFAULT_PRICES_DATE, describePriceBasis, effectivePricing, priceBasis, UsageTracker, type Pricing } from '../../../src/agent/model/pricing';
import table from '../../../src/agent/model/prices.json';

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

  describe('the built-in table', () => {
    it('prices common models, dated snapshots and Gemini\'s "models/" names, and says the prices are an estimate of a date', () => {
      assert.equal(costOf('gpt-4.1-mini', 1_000_000, 1_000_000, DEFAULT_PRICES), 0.4 + 1.6);
      assert.equal(costOf('gpt-4o-2024-11-20', 1_000_000, 0, DEFAULT_PRICES), 2.5);
      assert.equal(costOf('models/gemini-2.5-pro', 0, 1_000_000, DEFAULT_PRICES), 10);
      assert.equal(costOf('anthropic/claude-sonnet-4', 1_000_000, 0, DEFAULT_PRICES), 3);
      assert.equal(costOf('deepseek-reasoner', 1_000_000, 1_000_000, DEFAULT_PRICES), 0.28 + 0.42);
      assert.match(DEFAULT_PRICES_DATE, /^\d{4}-\d{2}-\d{2}$/);
      assert.equal(describePriceBasis(priceBasis('o4-mini', undefined)), `estimate (prices of ${DEFAULT_PRICES_DATE})`);
    });

    it('leaves unknown models unpriced, and the person\'s prices win over the table', () => {
      assert.equal(costOf('qwen2.5-coder:7b', 1000, 1000, DEFAULT_PRICES), null);
      assert.equal(describePriceBasis(priceBasis('qwen2.5-coder:7b', undefined)), 'price unknown');
      const mine = effectivePricing({ 'gpt-4.1': { inputPerMTok: 1, outputPerMTok: 1 } });
      assert.equal(costOf('gpt-4.1', 1_000_000, 0, mine), 1);
      assert.equal(describePriceBasis(priceBasis('gpt-4.1', { 'gpt-4.1': { inputPerMTok: 1, outputPerMTok: 1 } })), 'estimate (your prices)');
      assert.equal(costOf('gpt-4.1', 1_000_000, 0, effectivePricing(undefined, false)), null);
    });

    it('gives every entry a source and says whether a stored page confirmed it', () => {
      for (const [model, entry] of Object.entries(table.models)) {
        assert.match(entry.source, /^https:\/\//, model);
        assert.equal(typeof entry.confirmed, 'boolean', model);
        assert.ok(entry.seenIn.length > 10, model);
        assert.ok(entry.inputPerMillion >= 0 && entry.outputPerMillion >= entry.inputPerMillion, model);
      }
    });
  });
});
