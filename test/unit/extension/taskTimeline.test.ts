// The event → panel mapping of the extension (pure, no VS Code): timeline entries, tool results, meter, status.
import * as assert from 'node:assert/strict';
import type { TaskEvent, TaskEventBody } from '../../../src/agent/events';
import { TaskTimeline, toFileViews } from '../../../src/host/taskTimeline';
import { computeHunks } from '../../../src/tools/changes/hunks';
import { applyPatch, emptySnapshot, type PanelSnapshot } from '../../../src/shared/viewModel';

let seq = 0;
const event = (body: TaskEventBody): TaskEvent => ({ ...body, seq: ++seq, time: 1000 + seq } as TaskEvent);
const budgets = { maxSteps: 10, maxTokens: 5000, maxCostUsd: 1, maxWallMs: 60000, maxRepeatedCalls: 3, maxSameFailures: 3 };

function play(events: TaskEventBody[]): PanelSnapshot {
  const timeline = new TaskTimeline(emptySnapshot().meter);
  let snapshot = emptySnapshot();
  for (const body of events) {
    const patch = timeline.apply(event(body));
    if (patch) snapshot = applyPatch(snapshot, patch);
  }
  return snapshot;
}

describe('TaskTimeline', () => {
  it('sets goal, budgets and running status from task_started', () => {
    const snapshot = play([{ type: 'task_started', taskId: 't1', config: { goal: 'Fix it', cwd: '/w', testCommand: 'npm test', approval: 'auto', model: 'm', budgets } }]);
    assert.equal(snapshot.goal, 'Fix it');
    assert.equal(snapshot.status, 'running');
    assert.equal(snapshot.meter.maxSteps, 10);
    assert.equal(snapshot.meter.maxCostUsd, 1);
  });

  it('says in the status line what the running step does, and that the model is next once it is done', () => {
    const running = play([{ type: 'tool_started', step: 3, id: 'c1', name: 'run_command', args: { command: 'npm test' } }]);
    assert.equal(running.statusText, 'Step 3: running npm test');
    const editing = play([{ type: 'tool_started', step: 4, id: 'c2', name: 'edit_file', args: { path: 'src/math.js', edits: [] } }]);
    assert.equal(editing.statusText, 'Step 4: editing src/math.js');
    const done = play([
      { type: 'tool_started', step: 4, id: 'c2', name: 'read_file', args: { path: 'a.js' } },
      { type: 'tool_finished', step: 4, id: 'c2', name: 'read_file', ok: true, summary: 'ok' },
    ]);
    assert.equal(done.statusText, 'Waiting for the model');
  });

  it('records the person\'s answer to a command question in the timeline', () => {
    const snapshot = play([
      { type: 'command_approval', command: 'uname -s', reason: 'not on the allow list', approved: true },
      { type: 'command_approval', command: 'rm -r build', reason: 'not on the allow list', approved: false },
    ]);
    assert.deepEqual(snapshot.timeline, [
      { kind: 'note', level: 'info', text: 'You allowed `uname -s` to run.' },
      { kind: 'note', level: 'warning', text: 'You declined `rm -r build`; the model was told.' },
    ]);
  });

  it('replaces a running tool entry with its result, keeping the arguments and dropping the ERROR prefix', () => {
    const snapshot = play([
      { type: 'tool_started', step: 1, id: 'c1', name: 'run_command', args: { command: 'git push --force' } },
      { type: 'tool_finished', step: 1, id: 'c1', name: 'run_command', ok: false, code: 'command_denied', summary: 'ERROR [command_denied]: Refused by the command policy: force-pushes' },
    ]);
    assert.equal(snapshot.timeline.length, 1);
    const [entry] = snapshot.timeline;
    assert.ok(entry.kind === 'tool');
    assert.equal(entry.state, 'error');
    assert.equal(entry.code, 'command_denied');
    assert.equal(entry.summary, 'Refused by the command policy: force-pushes');
    assert.match(entry.argsText, /git push --force/);
  });

  it('adds usage to the meter and sums known costs only', () => {
    const snapshot = play([
      { type: 'model_reply', step: 1, content: '', toolCalls: [], usage: { promptTokens: 100, completionTokens: 20, costUsd: 0.01 }, attempts: 1 },
      { type: 'model_reply', step: 2, content: 'done', toolCalls: [], usage: { promptTokens: 50, completionTokens: 5, costUsd: null }, attempts: 1 },
    ]);
    assert.equal(snapshot.meter.steps, 2);
    assert.equal(snapshot.meter.tokens, 175);
    assert.equal(snapshot.meter.costUsd, 0.01);
    assert.deepEqual(snapshot.timeline.map((e) => e.kind), ['model']);
  });

  it('shows test runs with structured failures, reflections and the final status', () => {
    const snapshot = play([
      { type: 'test_run', verification: true, signature: 's', run: { command: 'npm test', exitCode: 1, timedOut: false, passed: 1, failed: 1, output: 'x',
        failures: [{ name: 'adds', file: 'test/a.js', line: 3, message: 'expected 5' }] } },
      { type: 'reflection', attempt: 1, text: 'Wrong operator.' },
      { type: 'task_finished', status: 'verified', reason: null, summary: 'Tests pass.' },
    ]);
    assert.deepEqual(snapshot.timeline.map((e) => e.kind), ['test', 'reflection', 'finished']);
    const test = snapshot.timeline[0];
    assert.ok(test.kind === 'test');
    assert.equal(test.failures[0].name, 'adds');
    assert.equal(snapshot.status, 'verified');
    assert.equal(snapshot.statusText, 'Tests pass.');
  });
});

describe('toFileViews', () => {
  it('turns hunks into signed lines with counts, and names created files as added', () => {
    const before = 'a\nb\nc\n';
    const after = 'a\nB\nc\n';
    const [modified, created] = toFileViews([
      { path: 'x.txt', before, after, hunks: computeHunks(before, after) },
      { path: 'new.txt', before: null, after: 'one\n', hunks: computeHunks(null, 'one\n') },
    ]);
    assert.equal(modified.change, 'modified');
    assert.equal(modified.added, 1);
    assert.equal(modified.removed, 1);
    assert.deepEqual(modified.hunks[0].lines.map((l) => l.sign + l.text), [' a', '-b', '+B', ' c']);
    assert.equal(created.change, 'added');
    assert.equal(created.hunks[0].header, '@@ -0,0 +1,1 @@');
  });
});
