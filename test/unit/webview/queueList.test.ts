// The queue's entries as the sidebar lists them, and the queue requests crossing the typed protocol: what the list
// shows per state (an entry whose runner is gone reads as interrupted, a worktree result as a proposal to review),
// and that the host accepts the queue methods and nothing else by name.
import * as assert from 'node:assert/strict';
import type { QueueEntry } from '../../../src/agent/queue/store';
import { queueListItem, queueStateLabel } from '../../../src/shared/queueList';
import { parseSidebarMessage } from '../../../src/shared/sidebarProtocol';

function entry(patch: Partial<QueueEntry>): QueueEntry {
  return {
    version: 1, id: 'q-20260101-000000-000-abcdef', createdAt: '2026-01-01T00:00:00.000Z', goal: 'Fix add()\nmore words', cwd: '/ws', testCommand: null, args: [],
    state: 'queued', status: null, reason: null, summary: null, taskId: null, mode: null, worktree: null, proposal: null, report: null,
    runnerPid: null, runs: 0, startedAt: null, finishedAt: null, appliedAt: null, error: null, ...patch,
  };
}

describe('sidebar: queue list', () => {
  it('reads each state in words', () => {
    assert.equal(queueStateLabel(queueListItem(entry({}), false)), 'queued');
    assert.equal(queueStateLabel(queueListItem(entry({ state: 'running' }), true)), 'running');
    assert.equal(queueStateLabel(queueListItem(entry({ state: 'done', status: 'unverified' }), false)), 'done: not verified');
    assert.equal(queueStateLabel(queueListItem(entry({ state: 'failed', error: 'no model' }), false)), 'could not run: no model');
    assert.equal(queueStateLabel(queueListItem(entry({ state: 'cancelled' }), false)), 'cancelled');
  });

  it('marks a running entry whose runner is gone as interrupted (Run Queue resumes it), but not one whose runner lives', () => {
    const gone = queueListItem(entry({ state: 'running', runnerPid: 1 }), false);
    assert.equal(gone.runnerGone, true);
    assert.match(queueStateLabel(gone), /interrupted: Run Queue resumes it/);
    assert.equal(queueListItem(entry({ state: 'running' }), true).runnerGone, false);
    assert.equal(queueListItem(entry({ state: 'queued' }), false).runnerGone, false, 'only running entries have a runner to lose');
  });

  it('tells a worktree result waiting for review from one applied', () => {
    const pending = queueListItem(entry({ state: 'done', status: 'verified', mode: 'worktree', proposal: '.patchpilot/proposals/q.patch' }), false);
    assert.equal(pending.proposal, 'pending');
    assert.equal(queueStateLabel(pending), 'done: verified, proposal to review');
    const applied = queueListItem(entry({ state: 'done', status: 'verified', proposal: '.patchpilot/proposals/q.patch', appliedAt: '2026-01-02T00:00:00Z' }), false);
    assert.equal(applied.proposal, 'applied');
    assert.equal(queueListItem(entry({ state: 'done', status: 'verified', mode: 'in-place' }), false).proposal, 'none');
    assert.equal(pending.createdAt, Date.parse('2026-01-01T00:00:00.000Z'));
  });

  it('lets the queue requests through the protocol\'s envelope check, and refuses unknown methods', () => {
    for (const method of ['addToQueue', 'runQueue', 'cancelQueued', 'reviewQueued']) {
      const parsed = parseSidebarMessage({ type: 'request', id: 7, method, params: { id: 'q-1', text: 'x' } });
      assert.equal(parsed?.type === 'request' && parsed.method, method);
    }
    assert.equal(parseSidebarMessage({ type: 'request', id: 7, method: 'deleteQueue', params: {} }), null);
    assert.equal(parseSidebarMessage({ type: 'request', id: 7, method: 'runQueue', params: 'all' }), null);
  });
});
