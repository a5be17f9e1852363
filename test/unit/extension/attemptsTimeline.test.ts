// The panel's view of parallel attempts and costs (pure, no VS Code): the Attempts rows live and after the judge, the
// meter across attempts, the cost per role / attempt / verified fix, a past task rebuilt from its journal alone, and
// the triage in words.
import * as assert from 'node:assert/strict';
import type { TaskEvent, TaskEventBody } from '../../../src/agent/events';
import type { AttemptReport } from '../../../src/agent/orchestrator/attemptsTypes';
import type { TriageReport } from '../../../src/agent/triage/types';
import { TaskTimeline, triageText } from '../../../src/host/taskTimeline';
import { applyPatch, emptySnapshot, type PanelSnapshot } from '../../../src/shared/viewModel';

let seq = 0;
const event = (body: TaskEventBody): TaskEvent => ({ ...body, seq: ++seq, time: 1000 + seq } as TaskEvent);
const budgets = { maxSteps: 6, maxTokens: null, maxCostUsd: null, maxWallMs: null, maxRepeatedCalls: 3, maxSameFailures: 3 };
const reply = (step: number, promptTokens: number, costUsd: number | null, model = 'm', role?: 'planner' | 'coder' | 'verifier'): TaskEventBody =>
  ({ type: 'model_reply', step, content: '', toolCalls: [], usage: { promptTokens, completionTokens: 10, costUsd }, attempts: 1, model, ...(role ? { role } : {}) });

function report(id: string, fields: Partial<AttemptReport>): AttemptReport {
  return { id, model: 'm', status: 'stopped', reason: 'max_steps', verified: false, failingTests: 1, regressions: 0, diffLines: 2,
    usage: { promptTokens: 100, completionTokens: 10, costUsd: 0.001 }, steps: 2, verdict: null, summary: '', taskId: `t-${id}`, journal: '',
    changes: [{ path: 'src/math.js', diff: '-a\n+b\n' }], ledger: [], ...fields };
}

const judged: TaskEventBody = { type: 'attempts_judged', judgement: { chosen: 'attempt-2', ranking: ['attempt-2', 'attempt-1', 'attempt-3'], ties: [], reasons: [
  'Chosen: attempt-2 (verified, 0 failing).', 'attempt-2 over attempt-1 by verified: verified vs not verified.', 'attempt-1 over attempt-3 by failing tests: 1 failing vs 2 failing.'] } };

class Player {
  readonly timeline = new TaskTimeline(emptySnapshot().meter);
  snapshot: PanelSnapshot = emptySnapshot();
  task(body: TaskEventBody): this {
    const patch = this.timeline.apply(event(body));
    if (patch) this.snapshot = applyPatch(this.snapshot, patch);
    return this;
  }
  attempt(id: string, body: TaskEventBody): this {
    const patch = this.timeline.applyAttempt(id, event(body));
    if (patch) this.snapshot = applyPatch(this.snapshot, patch);
    return this;
  }
}

const started: TaskEventBody = { type: 'task_started', taskId: 't', config: { goal: 'Fix', cwd: '/w', testCommand: 'npm test', approval: 'ask', model: 'm', budgets } };
const attemptsStarted: TaskEventBody = { type: 'attempts_started', count: 3, parallel: 2, models: ['m', 'n', 'm'], budgets: { ...budgets, maxSteps: 2 }, worktrees: ['/a', '/b', '/c'] };

describe('TaskTimeline: parallel attempts and costs', () => {
  it('lists the attempts while they run, with their steps and tokens in the rows and in the task\'s meter', () => {
    const p = new Player().task(started).task(attemptsStarted).attempt('attempt-1', reply(1, 100, 0.001)).attempt('attempt-2', reply(1, 200, 0.002, 'n'))
      .attempt('attempt-2', reply(2, 50, null, 'n'));
    const rows = p.snapshot.attempts!.rows;
    assert.deepEqual(rows.map((r) => [r.id, r.model, r.state, r.steps, r.tokens]), [['attempt-1', 'm', 'running', 1, 110], ['attempt-2', 'n', 'running', 2, 270], ['attempt-3', 'm', 'running', 0, 0]]);
    assert.equal(rows[1].costUsd, 0.002, 'an unpriced reply adds no cost and does not erase the known one');
    assert.deepEqual([p.snapshot.meter.steps, p.snapshot.meter.tokens, p.snapshot.meter.costUsd], [3, 380, 0.003]);
    assert.deepEqual(p.snapshot.costs!.roles, [{ role: 'coder', model: 'n', calls: 3, tokens: 380, costUsd: 0.003 }]);
    assert.deepEqual(p.snapshot.costs!.attempts.map((a) => [a.id, a.tokens]), [['attempt-1', 110], ['attempt-2', 270], ['attempt-3', 0]]);
    assert.match(p.snapshot.timeline.map((e) => (e.kind === 'note' ? e.text : '')).join('\n'), /3 attempts \(2 at once; models: m, n, m\), each in its own git worktree\. Your files stay as they are/);
  });

  it('ranks the rows after the judge, gives each the reasons that name it, and marks the chosen one', () => {
    const p = new Player().task(started).task(attemptsStarted)
      .task({ type: 'attempt_finished', attempt: report('attempt-1', {}) })
      .task({ type: 'attempt_finished', attempt: report('attempt-2', { status: 'verified', reason: null, verified: true, failingTests: 0 }) })
      .task({ type: 'attempt_finished', attempt: report('attempt-3', { failingTests: 2, regressions: 1 }) })
      .task(judged)
      .task({ type: 'attempt_applied', application: { attempt: 'attempt-2', applied: [], conflicts: [{ path: 'src/math.js', reason: 'you changed this file' }] } });
    const view = p.snapshot.attempts!;
    assert.equal(view.chosen, 'attempt-2');
    assert.deepEqual(view.rows.map((r) => [r.id, r.rank, r.chosen, r.state]), [['attempt-1', 2, false, 'finished'], ['attempt-2', 1, true, 'finished'], ['attempt-3', 3, false, 'finished']]);
    assert.deepEqual(view.rows[0].reasons, ['attempt-2 over attempt-1 by verified: verified vs not verified.', 'attempt-1 over attempt-3 by failing tests: 1 failing vs 2 failing.']);
    assert.deepEqual(view.rows[1].reasons, ['attempt-2 over attempt-1 by verified: verified vs not verified.'], 'the headline "Chosen: …" is the section\'s, not a row\'s');
    assert.deepEqual([view.rows[2].failingTests, view.rows[2].regressions, view.rows[2].files], [2, 1, ['src/math.js']]);
    assert.deepEqual(view.conflicts, [{ path: 'src/math.js', reason: 'you changed this file' }]);
    const notes = p.snapshot.timeline.flatMap((e) => (e.kind === 'note' ? [`${e.level}: ${e.text}`] : []));
    assert.ok(notes.includes('info: Parallel attempts: Chosen: attempt-2 (verified, 0 failing).'), notes.join('\n'));
    assert.ok(notes.includes('warning: Not applied from attempt-2: src/math.js (you changed this file)'), notes.join('\n'));
  });

  it('a name is matched whole: attempt-1 is not named by reasons about attempt-10', () => {
    const p = new Player().task(started).task({ ...attemptsStarted, count: 10, models: Array(10).fill('m') } as TaskEventBody)
      .task({ type: 'attempts_judged', judgement: { chosen: 'attempt-10', ranking: [], ties: [], reasons: ['attempt-10 over attempt-2 by diff size: 1 vs 3.'] } });
    assert.deepEqual(p.snapshot.attempts!.rows[0].reasons, []);
    assert.deepEqual(p.snapshot.attempts!.rows[9].reasons, ['attempt-10 over attempt-2 by diff size: 1 vs 3.']);
  });

  it('rebuilds a past task of attempts from its own journal: the reports carry each attempt\'s usage into rows and meter', () => {
    const p = new Player().task(started).task(attemptsStarted)
      .task({ type: 'attempt_finished', attempt: report('attempt-1', {}) })
      .task({ type: 'attempt_finished', attempt: report('attempt-2', { usage: { promptTokens: 300, completionTokens: 20, costUsd: null }, steps: 3 }) })
      .task({ type: 'task_finished', status: 'verified', reason: null, summary: 'ok' });
    assert.deepEqual([p.snapshot.meter.steps, p.snapshot.meter.tokens, p.snapshot.meter.costUsd], [5, 430, 0.001]);
    assert.deepEqual(p.snapshot.costs!.perVerifiedFix, { tokens: 430, costUsd: 0.001 });
  });

  it('counts per role for a task with roles, and a verified fix\'s cost only when verified', () => {
    const roleReply = (role: 'planner' | 'coder' | 'verifier', model: string, tokens: number): TaskEventBody => reply(1, tokens, null, model, role);
    const verified = new Player().task(started).task(roleReply('planner', 'small', 90)).task(roleReply('coder', 'big', 190)).task(roleReply('coder', 'big', 190))
      .task(roleReply('verifier', 'small', 40)).task({ type: 'task_finished', status: 'verified', reason: null, summary: 'ok' });
    assert.deepEqual(verified.snapshot.costs!.roles.map((r) => `${r.role} ${r.model} ${r.calls} ${r.tokens}`), ['planner small 1 100', 'coder big 2 400', 'verifier small 1 50']);
    assert.deepEqual(verified.snapshot.costs!.perVerifiedFix, { tokens: 550, costUsd: null });
    assert.equal(verified.snapshot.attempts, undefined, 'no Attempts section for a single attempt');
    const failed = new Player().task(started).task(reply(1, 90, null)).task({ type: 'task_finished', status: 'failed', reason: 'tests_failing', summary: 'no' });
    assert.equal(failed.snapshot.costs!.perVerifiedFix, null);
  });

  it('shows an attempt\'s triage once (every attempt triages from the same checkpoint)', () => {
    const triage: TriageReport = { runner: 'node', filterUnavailable: null, failing: [{ name: 'add adds', file: 'test/math.test.js', line: 5, message: '1 == 5', isolation: 'failed_alone', runs: 2 }],
      flaky: [], culprits: [], capped: [], runs: 3, durationMs: 900 };
    const p = new Player().task(started).task(attemptsStarted).attempt('attempt-2', { type: 'triage', report: triage }).attempt('attempt-1', { type: 'triage', report: triage });
    const notes = p.snapshot.timeline.filter((e) => e.kind === 'note' && e.text.startsWith('Triage'));
    assert.equal(notes.length, 1);
    assert.match(notes[0].kind === 'note' ? notes[0].text : '', /\(Run in attempt-2's worktree; every attempt starts from the same checkpoint\.\)$/);
  });
});

describe('triageText', () => {
  it('says what fails by itself, what is flaky and left alone, which commit broke what, and every cap', () => {
    const text = triageText({
      runner: 'mocha', filterUnavailable: null, runs: 9, durationMs: 9200, capped: ['isolated 8 of 12 failing tests (cap 8)'],
      failing: [{ name: 'sub subtracts', file: 'test/math.test.js', line: 5, message: '8 == 2', isolation: 'failed_alone', runs: 2 },
        { name: 'parses', file: null, line: null, message: 'x', isolation: 'not_isolated', runs: 0, note: 'the isolation budget ran out' }],
      flaky: [{ name: 'clock is warm', file: 'test/flaky.test.js', evidence: 'passed_alone', runs: 1 }],
      culprits: [{ test: 'sub subtracts', commit: 'd792f0ed73abcdef', subject: 'Refactor sub', author: 'Ann', note: 'found by git bisect over the last 4 commits', runs: 4 },
        { test: 'parses', commit: null, note: 'passes at HEAD: the failure is in uncommitted changes.', runs: 1 }],
    });
    assert.equal(text, [
      'Triage before the first model call: 2 failing, 1 flaky (9 test runs, 9.2 s, no model calls).',
      'Failing: sub subtracts (test/math.test.js:5) — failed by itself 2 times.',
      'Failing: parses — not run by itself: the isolation budget ran out.',
      'Flaky: clock is warm (test/flaky.test.js) — passed when run by itself; the model is told to leave it alone.',
      'Culprit of sub subtracts: commit d792f0ed73 "Refactor sub" by Ann — found by git bisect over the last 4 commits.',
      'No culprit for parses: passes at HEAD: the failure is in uncommitted changes.',
      'Capped: isolated 8 of 12 failing tests (cap 8).',
    ].join('\n'));
  });

  it('says when tests could not be run by name', () => {
    assert.match(triageText({ runner: null, filterUnavailable: 'a piped command', failing: [], flaky: [], culprits: [], capped: [], runs: 1, durationMs: 100 }),
      /\nTests could not be run by name: a piped command$/);
  });
});
