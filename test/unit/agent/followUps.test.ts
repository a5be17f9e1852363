// Follow-ups and streaming through a real session: a message sent while the task runs reaches the model at the next
// safe point (before the next model call), a finished task goes on in the same session, the journal records both,
// and the reply streams in before it is complete. Scripted model over real HTTP, real tools.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Journal, listTasks } from '../../../src/agent/journal';
import type { StreamEvent } from '../../../src/agent/loop';
import { OpenAIModelClient } from '../../../src/agent/model/openaiClient';
import { AgentSession } from '../../../src/agent/session';
import { autoApprover } from '../../../src/cli/approvers';
import { startScriptedServer, type ScriptedServer } from '../../../src/scripted/server';
import { NodeCommandRunner } from '../../../src/tools/process/runProcess';

describe('session follow-ups and streaming', function () {
  this.timeout(30_000);
  let root: string;
  let server: ScriptedServer | undefined;
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-followup-')));
    fs.writeFileSync(path.join(root, 'notes.txt'), 'first line\n');
    execFileSync('git', ['init', '-q'], { cwd: root });
  });
  afterEach(async () => {
    await server?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  function session(url: string): AgentSession {
    return AgentSession.create({
      goal: 'Read the notes', cwd: root, approval: 'auto', model: new OpenAIModelClient({ baseURL: url, apiKey: 'k', model: 'scripted' }),
      runner: new NodeCommandRunner(), approver: autoApprover, journalDir: path.join(root, '.patchpilot', 'tasks'), sandbox: 'off',
    });
  }

  it('delivers a message sent during a step before the next model call, and continues a finished task with another', async () => {
    server = await startScriptedServer({ turns: [
      { content: 'Reading the notes now, a long explanation first.', tool_calls: [{ name: 'read_file', arguments: { path: 'notes.txt' } }], delay_ms: 300 },
      { expect: ['Message from the person', 'use the summary format'], tool_calls: [{ name: 'finish', arguments: { summary: 'read' } }] },
      { expect: ['also count the lines'], tool_calls: [{ name: 'finish', arguments: { summary: 'one line' } }] },
    ] });
    const task = session(server.url);
    const streamed: StreamEvent[] = [];
    const replies: number[] = [];
    task.onStream((event) => streamed.push(event));
    task.onEvent((event) => { if (event.type === 'model_reply') replies.push(streamed.length); });
    const running = task.run();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(task.steer('use the summary format'), true);
    const first = await running;
    assert.equal(first.status, 'unverified', JSON.stringify(server.violations));
    assert.equal(task.steer('too late'), false, 'a finished task is not steered');
    const second = await task.continueWith('also count the lines');
    assert.equal(second.summary.startsWith('one line'), true, JSON.stringify(server.violations));
    assert.deepEqual(server.violations, []);

    const textBeforeReply = streamed.slice(0, replies[0]).filter((e) => e.type === 'text').map((e) => (e as { delta: string }).delta).join('');
    assert.equal(textBeforeReply, 'Reading the notes now, a long explanation first.', 'the text streamed before the reply was journaled');
    assert.ok(streamed.some((e) => e.type === 'calls'), 'tool-call arguments streamed too');

    const events = Journal.read(Journal.pathFor(path.join(root, '.patchpilot', 'tasks'), task.taskId));
    assert.deepEqual(events.filter((e) => e.type === 'follow_up').map((e) => (e as { text: string }).text), ['use the summary format', 'also count the lines']);
    assert.equal(events.filter((e) => e.type === 'task_reopened').length, 1);
    const [summary] = await listTasks(path.join(root, '.patchpilot', 'tasks'));
    assert.equal(summary.status, 'unverified', 'the task ended again after it was continued');
  });
});
