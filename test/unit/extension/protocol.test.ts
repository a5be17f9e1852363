// The panel protocol's envelope checks: the host dispatches only well-formed messages from the webview.
import * as assert from 'node:assert/strict';
import { isReviewDecisionList, parsePanelMessage } from '../../../src/shared/protocol';
import { toChangeReview, uniformReview } from '../../../src/host/reviewDecisions';

describe('panel protocol', () => {
  it('accepts ready, logs and known requests', () => {
    assert.deepEqual(parsePanelMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parsePanelMessage({ type: 'request', id: 3, method: 'stop', params: {} }), { type: 'request', id: 3, method: 'stop', params: {} });
    const answer = { type: 'request', id: 4, method: 'answerCommand', params: { questionId: 'q1', run: false } };
    assert.deepEqual(parsePanelMessage(answer), answer);
  });

  it('rejects unknown methods, missing ids and non-objects', () => {
    assert.equal(parsePanelMessage({ type: 'request', id: 1, method: 'deleteEverything', params: {} }), null);
    assert.equal(parsePanelMessage({ type: 'request', method: 'stop', params: {} }), null);
    assert.equal(parsePanelMessage('ready'), null);
    assert.equal(parsePanelMessage(null), null);
  });

  it('checks review decisions deeply', () => {
    assert.ok(isReviewDecisionList([{ path: 'a', hunks: [{ index: 0, verdict: 'reject', reason: 'no' }] }]));
    assert.ok(!isReviewDecisionList([{ path: 'a', hunks: [{ index: 0, verdict: 'maybe' }] }]));
    assert.ok(!isReviewDecisionList([{ path: 1, hunks: [] }]));
  });
});

describe('review decisions', () => {
  const changes = [{ path: 'a.js', before: 'x\n', after: 'y\n', hunks: [{ index: 0, oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ['-x', '+y'] }] }];

  it('maps panel verdicts and trimmed reasons to the core ChangeReview', () => {
    const review = toChangeReview(changes, [{ path: 'a.js', hunks: [{ index: 0, verdict: 'reject', reason: '  keep x  ' }] }], ' ');
    assert.deepEqual(review, { files: [{ path: 'a.js', hunks: [{ index: 0, accepted: false, reason: 'keep x' }] }] });
  });

  it('refuses a review with an undecided hunk', () => {
    assert.throws(() => toChangeReview(changes, []), /No decision for hunk 1 of a.js/);
  });

  it('decides every hunk the same way for Accept All / Reject All', () => {
    assert.deepEqual(uniformReview(changes, true), { files: [{ path: 'a.js', hunks: [{ index: 0, accepted: true, reason: undefined }] }] });
  });
});
