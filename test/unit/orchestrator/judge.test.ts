// The judge: each criterion decides only when every earlier one ties, full ties are reported, and an attempt with
// nothing to apply is never chosen.
import * as assert from 'node:assert/strict';
import { judgeAttempts, type AttemptOutcome } from '../../../src/agent/orchestrator/judge';

function attempt(n: number, fields: Partial<AttemptOutcome> = {}): AttemptOutcome {
  return { id: `attempt-${n}`, verified: false, failingTests: 1, regressions: 0, diffLines: 10, costUsd: null, totalTokens: 1000, hasChanges: true, ...fields };
}

describe('the judge of parallel attempts', () => {
  it('puts an honestly verified attempt first, even against fewer failing tests, a smaller diff and a lower cost', () => {
    const j = judgeAttempts([
      attempt(1, { failingTests: 0, diffLines: 1, totalTokens: 10 }),
      attempt(2, { verified: true, failingTests: 0, diffLines: 90, totalTokens: 9000 }),
    ]);
    assert.equal(j.chosen, 'attempt-2');
    assert.deepEqual(j.ranking, ['attempt-2', 'attempt-1']);
    assert.ok(j.reasons.some((r) => r === 'attempt-2 over attempt-1 by verified: verified vs not verified.'), j.reasons.join('\n'));
  });

  it('fewer failing tests decide when verification ties; an unknown count ranks below any known one', () => {
    const j = judgeAttempts([attempt(1, { failingTests: 3 }), attempt(2, { failingTests: null, diffLines: 1 }), attempt(3, { failingTests: 1, diffLines: 50 })]);
    assert.deepEqual(j.ranking, ['attempt-3', 'attempt-1', 'attempt-2']);
    assert.ok(j.reasons.includes('attempt-3 over attempt-1 by failing tests: 1 failing vs 3 failing.'), j.reasons.join('\n'));
    assert.ok(j.reasons.includes('attempt-1 over attempt-2 by failing tests: 3 failing vs failing unknown.'), j.reasons.join('\n'));
  });

  it('regressions decide when verification and failing tests tie', () => {
    const j = judgeAttempts([attempt(1, { regressions: 2, diffLines: 1 }), attempt(2, { regressions: 0, diffLines: 80 })]);
    assert.equal(j.chosen, 'attempt-2');
    assert.ok(j.reasons.includes('attempt-2 over attempt-1 by regressions: 0 regressions vs 2 regressions.'));
  });

  it("the verifier's verdict decides next: pass over none over fail", () => {
    const j = judgeAttempts([attempt(1, { verifierVerdict: 'fail', diffLines: 1 }), attempt(2, { diffLines: 5 }), attempt(3, { verifierVerdict: 'pass', diffLines: 9 })]);
    assert.deepEqual(j.ranking, ['attempt-3', 'attempt-2', 'attempt-1']);
    assert.ok(j.reasons.some((r) => r.startsWith("attempt-3 over attempt-2 by verifier's verdict")));
  });

  it('a smaller diff decides when everything above ties', () => {
    const j = judgeAttempts([attempt(1, { verified: true, failingTests: 0, diffLines: 40, totalTokens: 1 }), attempt(2, { verified: true, failingTests: 0, diffLines: 4, totalTokens: 999 })]);
    assert.equal(j.chosen, 'attempt-2');
    assert.ok(j.reasons.includes('attempt-2 over attempt-1 by diff size: 4 changed lines vs 40 changed lines.'));
  });

  it('a lower cost decides last: dollars when both are priced, tokens otherwise', () => {
    const priced = judgeAttempts([attempt(1, { costUsd: 0.02, totalTokens: 10 }), attempt(2, { costUsd: 0.01, totalTokens: 5000 })]);
    assert.equal(priced.chosen, 'attempt-2');
    assert.ok(priced.reasons.includes('attempt-2 over attempt-1 by cost: $0.0100 vs $0.0200.'));
    const tokens = judgeAttempts([attempt(1, { totalTokens: 700 }), attempt(2, { totalTokens: 300 })]);
    assert.equal(tokens.chosen, 'attempt-2');
    assert.ok(tokens.reasons.includes('attempt-2 over attempt-1 by cost: 300 tokens vs 700 tokens.'));
  });

  it('reports a full tie and takes the lowest attempt number, saying so', () => {
    const j = judgeAttempts([attempt(3), attempt(1), attempt(2, { failingTests: 5 })]);
    assert.deepEqual(j.ties, [['attempt-1', 'attempt-3']]);
    assert.equal(j.chosen, 'attempt-1');
    assert.match(j.reasons[0], /^Chosen: attempt-1 .*the lowest-numbered of the tie attempt-1, attempt-3\.$/);
    assert.ok(j.reasons.some((r) => r.startsWith('attempt-1, attempt-3 tie on every criterion')));
  });

  it('never chooses an attempt that changed nothing and was not verified', () => {
    const j = judgeAttempts([attempt(1, { hasChanges: false, failingTests: 0, diffLines: 0 }), attempt(2, { failingTests: 4 })]);
    assert.deepEqual(j.ranking, ['attempt-1', 'attempt-2']);
    assert.equal(j.chosen, 'attempt-2');
    assert.ok(j.reasons.includes('attempt-1 changed nothing and was not verified: nothing to apply.'));
    const none = judgeAttempts([attempt(1, { hasChanges: false })]);
    assert.equal(none.chosen, null);
    assert.match(none.reasons[0], /^No attempt chosen/);
    assert.equal(judgeAttempts([]).chosen, null);
  });
});
