// What the CLI's --attempts and the extension's attempts share: the attempt header, model cycling, the count's bounds,
// the unattended approver of an attempt's worktree, and the one-line account of an attempt.
import * as assert from 'node:assert/strict';
import { ATTEMPT_HEADER, attemptCountProblem, attemptHeader, attemptModelName, describeAttempt, MAX_ATTEMPTS, unattendedApprover } from '../../../src/agent/orchestrator/attemptsSetup';
import { autoApprover } from '../../../src/cli/approvers';

const words = { protectedPath: 'protected: ask a person', unconfined: (detail: string) => `unconfined (${detail})` };

describe('attempts setup (shared by the CLI and the extension)', () => {
  it('names attempt k (1-based) in the header every request of that attempt carries', () => {
    assert.equal(ATTEMPT_HEADER, 'X-Patchpilot-Attempt');
    assert.deepEqual(attemptHeader(0), { 'X-Patchpilot-Attempt': '1' });
    assert.deepEqual(attemptHeader(4), { 'X-Patchpilot-Attempt': '5' });
  });

  it('cycles the model names over the attempts, and falls back without names', () => {
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => attemptModelName(['a', 'b'], i, 'main')), ['a', 'b', 'a', 'b', 'a']);
    assert.equal(attemptModelName([], 3, 'main'), 'main');
  });

  it('accepts whole numbers from 1 to the bound and says what it takes otherwise', () => {
    for (const good of [1, 2, MAX_ATTEMPTS]) assert.equal(attemptCountProblem(good), null, String(good));
    for (const bad of [0, -1, 2.5, MAX_ATTEMPTS + 1, Number.NaN]) assert.equal(attemptCountProblem(bad), `takes a whole number from 1 to ${MAX_ATTEMPTS}`, String(bad));
    assert.equal(attemptCountProblem(6, 5), 'takes a whole number from 1 to 5');
  });

  it('accepts every hunk (the worktree is the attempt\'s own) and runs sandboxed commands, never unconfined or protected ones', async () => {
    const approver = unattendedApprover(words);
    const review = await approver.reviewChanges({ taskId: 't', title: 'x', changes: [{ path: 'a.js', before: 'a', after: 'b', hunks: [
      { index: 0, oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ['-a', '+b'] }, { index: 1, oldStart: 5, oldLines: 1, newStart: 5, newLines: 1, lines: ['-c', '+d'] }] }] });
    assert.deepEqual(review, { files: [{ path: 'a.js', hunks: [{ index: 0, accepted: true }, { index: 1, accepted: true }] }] });
    const base = { taskId: 't', command: 'npm test', reason: 'not on the allow list' };
    assert.deepEqual(await approver.approveCommand({ ...base }), { approved: true });
    assert.deepEqual(await approver.approveCommand({ ...base, touchesProtectedPath: true }), { approved: false, feedback: 'protected: ask a person' });
    assert.deepEqual(await approver.approveCommand({ ...base, unconfined: 'no sandbox here.' }), { approved: false, feedback: 'unconfined (no sandbox here.)' });
    // A protected path is refused even when the command would also run unconfined.
    assert.equal((await approver.approveCommand({ ...base, touchesProtectedPath: true, unconfined: 'x' })).feedback, 'protected: ask a person');
  });

  it('keeps the CLI\'s auto approver as it was, worded for the command line', async () => {
    const base = { taskId: 't', command: 'cat .env', reason: 'r' };
    assert.match((await autoApprover.approveCommand({ ...base, touchesProtectedPath: true })).feedback ?? '', /--approve auto never lets such a command run/);
    assert.match((await autoApprover.approveCommand({ ...base, unconfined: 'bwrap missing.' })).feedback ?? '', /^it is outside the allow rules and would run unconfined: bwrap missing\. Use --approve ask/);
  });

  it('describes a finished attempt in one line (unknown counts said so)', () => {
    const usage = { promptTokens: 1500, completionTokens: 70, costUsd: null };
    assert.equal(describeAttempt({ id: 'attempt-2', model: 'gpt-4.1', status: 'verified', reason: null, failingTests: 0, regressions: 0, diffLines: 2, usage }),
      'attempt-2 (gpt-4.1): verified, failing 0, regressions 0, 2 changed lines, 1570 tokens');
    assert.equal(describeAttempt({ id: 'attempt-3', model: 'm', status: 'stopped', reason: 'max_steps', failingTests: null, regressions: null, diffLines: 0, usage }),
      'attempt-3 (m): stopped (max_steps), failing unknown, regressions unknown, 0 changed lines, 1570 tokens');
  });
});
