import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { formatReport, measureEditAccuracy } from '../../../bench/edit-accuracy';
import { fixturesDir } from './fixtures';

describe('bench/edit-accuracy', () => {
  it('classifies agreements, both kinds of wrong apply, false rejects, and keeps disputed/skipped/unsupported apart', async () => {
    const result = await measureEditAccuracy(path.join(fixturesDir, 'corpus'));
    assert.deepEqual(result.bySource['sample-a.jsonl'], { cases: 5, agreed: 2, wrongApply: 1, appliedWherePeerRejects: 1, falseRejects: 1, unsupported: 0 });
    assert.deepEqual(result.bySource['sample-b.jsonl'], { cases: 1, agreed: 1, wrongApply: 0, appliedWherePeerRejects: 0, falseRejects: 0, unsupported: 0 });
    assert.deepEqual(result.overall, { cases: 6, agreed: 3, share: 0.5, wrongApplies: 2, falseRejects: 1, wrongApply: 1, appliedWherePeerRejects: 1 });
    assert.equal(result.disputed.cases, 1);
    assert.equal(result.disputed.agreed, 1);
    assert.equal(result.upstreamSkipped.cases, 1);
    assert.equal(result.upstreamSkipped.agreed, 1);
    assert.equal(result.unsupported.cases, 1);
    const report = formatReport(result, true);
    assert.match(report, /OVERALL\s+6\s+3\s+50\.0%/);
    assert.match(report, /\[wrong_apply\] s-3/);
  });
});
