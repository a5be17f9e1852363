// Attempts share the task's budget: the sum of their shares never exceeds it, and time is shared per wave.
import * as assert from 'node:assert/strict';
import { attemptBudget, attemptParallelism } from '../../../src/agent/orchestrator/attemptsBudget';
import { DEFAULT_BUDGETS } from '../../../src/agent/guards';

describe('attempt budgets', () => {
  it('divides steps, tokens and cost so that their sum stays within the task budget', () => {
    const total = { ...DEFAULT_BUDGETS, maxSteps: 40, maxTokens: 100_000, maxCostUsd: 0.9, maxWallMs: 600_000 };
    const share = attemptBudget(total, 3, 3);
    assert.equal(share.maxSteps, 13);
    assert.equal(share.maxTokens, 33_333);
    assert.ok(Math.abs(share.maxCostUsd! * 3 - 0.9) < 1e-12);
    assert.equal(share.maxWallMs, 600_000, 'one wave: every attempt may use the whole time, side by side');
    assert.equal(attemptBudget(total, 3, 1).maxWallMs, 200_000, 'three waves of one: a third of the time each');
    assert.equal(attemptBudget({ ...total, maxTokens: null, maxCostUsd: null }, 3, 2).maxTokens, null);
    assert.equal(attemptBudget({ ...total, maxSteps: 2 }, 3, 3).maxSteps, 1, 'at least one step each');
  });

  it('runs as many attempts at once as there are cores, or as asked, never more than there are attempts', () => {
    assert.equal(attemptParallelism(3, undefined, 2), 2);
    assert.equal(attemptParallelism(3, 1, 8), 1);
    assert.equal(attemptParallelism(3, 3, 2), 3, '--parallel may exceed the cores: attempts mostly wait for the model');
    assert.equal(attemptParallelism(2, 8, 8), 2);
    assert.equal(attemptParallelism(3, undefined, 0), 1);
  });
});
