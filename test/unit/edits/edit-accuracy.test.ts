import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { formatReport, measureEditAccuracy } from '../../../bench/edit-accuracy';
import { formatExtraReport, measureExtraChecks } from '../../../bench/edit-accuracy-extra';
import { fixturesDir } from './fixtures';

describe('bench/edit-accuracy', () => {
  it('classifies agreements, both kinds of wrong apply, false rejects, and keeps disputed/skipped/unsupported apart', async () => {
    const result = await measureEditAccuracy(path.join(fixturesDir, 'corpus'));
    assert.deepEqual(result.bySource['sample-a.jsonl'], { cases: 5, agreed: 2, wrongApply: 1, appliedWherePeerRejects: 1, falseRejects: 1, peerVersion: 0, unsupported: 0 });
    assert.deepEqual(result.bySource['sample-b.jsonl'], { cases: 4, agreed: 1, wrongApply: 2, appliedWherePeerRejects: 0, falseRejects: 0, peerVersion: 1, unsupported: 0 });
    assert.deepEqual(result.bySource['sample-c.jsonl'], { cases: 3, agreed: 2, wrongApply: 1, appliedWherePeerRejects: 0, falseRejects: 0, peerVersion: 0, unsupported: 0 });
    assert.deepEqual(result.overall, { cases: 12, agreed: 5, share: 5 / 12, wrongApplies: 5, falseRejects: 1, wrongApply: 4, appliedWherePeerRejects: 1, peerVersion: 1 });
    assert.equal(result.disputed.cases, 1);
    assert.equal(result.disputed.agreed, 1);
    assert.equal(result.upstreamSkipped.cases, 1);
    assert.equal(result.upstreamSkipped.agreed, 1);
    assert.equal(result.unsupported.cases, 1);
    assert.equal(result.outcomes.find((o) => o.id === 's-6')?.verdict, 'unsupported');
    const report = formatReport(result, true);
    assert.match(report, /OVERALL\s+12\s+5\s+41\.7%\s+4\s+1\s+1\s+1/);
    assert.match(report, /\[wrong_apply\] s-3/);
  });

  it('counts a README-documented peer-version difference apart, and only that difference from that peer version', async () => {
    const result = await measureEditAccuracy(path.join(fixturesDir, 'corpus'));
    const verdicts = Object.fromEntries(result.outcomes.map((o) => [o.id, o.verdict]));
    assert.equal(verdicts['p-3'], 'peer_version_semantics');
    assert.equal(verdicts['p-4'], 'wrong_apply');
    assert.equal(verdicts['p-5'], 'wrong_apply');
    assert.match(formatReport(result, true), /\[peer_version_semantics\] p-3[^\n]*\n\s+README, OpenAI codex apply_patch, group 4/);
  });

  it('compares lazy edits as their peer does (trimmed lines, whitespace-only lines ignored), and only lazy edits', async () => {
    const result = await measureEditAccuracy(path.join(fixturesDir, 'corpus'));
    const byId = Object.fromEntries(result.outcomes.map((o) => [o.id, o]));
    assert.equal(byId['z-1'].verdict, 'agreed');
    assert.equal(byId['z-1'].comparison, 'exact');
    assert.equal(byId['z-2'].verdict, 'agreed');
    assert.equal(byId['z-2'].comparison, 'peer-rule');
    assert.equal(byId['z-3'].verdict, 'wrong_apply');
    assert.match(formatReport(result, false), /of the agreements, 1 are equal only as the peer compares them/);
  });

  it('checks extra/ records of every kind against the engine part that answers them', () => {
    const result = measureExtraChecks(path.join(fixturesDir, 'corpus', 'extra'));
    const verdicts = Object.fromEntries(result.outcomes.map((o) => [o.id, o.verdict]));
    assert.deepEqual(verdicts, {
      'x-v1': 'agreed', 'x-v2': 'agreed', 'x-v3': 'disagreed',
      'x-p1': 'agreed', 'x-p2': 'agreed', 'x-p3': 'agreed',
      'x-m1': 'agreed', 'x-m2': 'disagreed',
      'x-s1': 'agreed', 'x-c1': 'agreed',
    });
    assert.deepEqual(result.byGroup['sample-extra.jsonl validate'], { cases: 3, agreed: 2, disagreed: 1, notComparable: 0 });
    assert.deepEqual(result.byGroup['sample-extra.jsonl match'], { cases: 2, agreed: 1, disagreed: 1, notComparable: 0 });
    const report = formatExtraReport(result, true);
    assert.match(report, /sample-extra\.jsonl parse\s+3\s+3\s+100\.0%/);
    assert.match(report, /\[extra disagreed\] x-m2[^\n]*\n\s+ours "ambiguous_match"/);
  });
});
