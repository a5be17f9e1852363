// The journal: append-only JSON Lines, a torn last line tolerated, resume state rebuilt from it.
import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal, listTasks } from '../../../src/agent/journal';
import { DEFAULT_BUDGETS } from '../../../src/agent/guards';
import { replayJournal } from '../../../src/agent/replay';

describe('journal and replay', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pp-journal-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function startedJournal(taskId: string): Journal {
    const journal = new Journal(Journal.pathFor(dir, taskId), { now: () => 1000 });
    journal.append({ type: 'task_started', taskId, config: { goal: 'fix', cwd: '/w', testCommand: 'npm test', approval: 'auto', model: 'm', budgets: DEFAULT_BUDGETS } });
    journal.append({ type: 'message', message: { role: 'user', content: 'Goal: fix' } });
    journal.append({ type: 'message', message: { role: 'assistant', content: null, tool_calls: [
      { id: 'a', type: 'function', function: { name: 'read_file', arguments: '{}' } },
      { id: 'b', type: 'function', function: { name: 'run_command', arguments: '{}' } }] } });
    journal.append({ type: 'model_reply', step: 1, content: '', toolCalls: [], usage: { promptTokens: 10, completionTokens: 2, costUsd: null }, attempts: 1 });
    journal.append({ type: 'message', message: { role: 'tool', tool_call_id: 'a', content: 'ok' } });
    journal.append({ type: 'plan_updated', items: [{ title: 'Fix', status: 'in_progress' }] });
    return journal;
  }

  it('numbers events in order and reads them back, skipping a torn last line', () => {
    const journal = startedJournal('t1');
    journal.close();
    appendFileSync(journal.path, '{"type":"mess');
    const events = Journal.read(journal.path);
    assert.deepEqual(events.map((e) => e.seq), [1, 2, 3, 4, 5, 6]);
  });

  it('refuses a journal damaged in the middle', () => {
    const journal = startedJournal('t2');
    journal.close();
    appendFileSync(journal.path, 'garbage\n{"seq":99}\n');
    assert.throws(() => Journal.read(journal.path), /damaged at line 7/);
  });

  it('replays messages, plan and spend, and answers the tool call that never finished', () => {
    const journal = startedJournal('t3');
    journal.close();
    const { state, danglingResults } = replayJournal(Journal.read(journal.path), 5000);
    assert.equal(state.messages.length, 3);
    assert.equal(state.steps, 1);
    assert.equal(state.usage.promptTokens, 10);
    assert.deepEqual(state.plan, [{ title: 'Fix', status: 'in_progress' }]);
    assert.equal(danglingResults.length, 1);
    assert.equal(danglingResults[0].role === 'tool' && danglingResults[0].tool_call_id, 'b');
  });

  it('lists tasks with interrupted and finished status', async () => {
    startedJournal('t4').close();
    const finished = startedJournal('t5');
    finished.append({ type: 'task_finished', status: 'verified', reason: null, summary: 'ok' });
    finished.close();
    const tasks = await listTasks(dir);
    assert.deepEqual(tasks.map((t) => [t.taskId, t.status]).sort(), [['t4', 'interrupted'], ['t5', 'verified']]);
    assert.throws(() => replayJournal(Journal.read(Journal.pathFor(dir, 't5')), 0), /already ended/);
  });
});
