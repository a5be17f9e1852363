// The chat view as a person uses it: an @file mention completed and attached, the reply visible while it streams,
// a follow-up typed during the task that changes its course, then a message that continues the finished task —
// all in the same session, through the real view in code-server.
import * as assert from 'node:assert/strict';
import { driver } from './driver';
import { nextTaskResult, patchpilot, readWorkspaceFile, requestText, resetWorkspace, setSetting, useScriptedModel, waitFor } from './helpers';

const STEER = 'Use a sum helper for add instead of editing the expression';
const LONG_TEXT = 'Reading math.js: add subtracts its operands, so 2 + 3 comes out as -1. I will fix the operator and run the tests. ';

const script = {
  turns: [
    // The mention attached the file; the reply streams slowly (about 4 s), long enough to watch it and to type a follow-up.
    { expect: ['### @src/math.js', 'return a - b;'], content: LONG_TEXT.repeat(4), chunk_delay_ms: 100,
      tool_calls: [{ name: 'read_file', arguments: { path: 'src/math.js' } }] },
    { expect: ['Message from the person', STEER], content: 'Understood: a helper it is.',
      tool_calls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [
        { search: 'function add(a, b) {\n  return a - b;\n}', replace: 'function sum(a, b) {\n  return a + b;\n}\n\nfunction add(a, b) {\n  return sum(a, b);\n}' },
      ] } }] },
    { tool_calls: [{ name: 'finish', arguments: { summary: 'add() goes through sum().' } }] },
    // After the task ended: the next message continues it.
    { expect: ['Also export sum'], tool_calls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [
      { search: 'module.exports = { add, multiply };', replace: 'module.exports = { add, multiply, sum };' }] } }] },
    { tool_calls: [{ name: 'finish', arguments: { summary: 'sum is exported too.' } }] },
  ],
};

describe('chat view', () => {
  before(() => resetWorkspace());

  it('attaches an @file, streams the reply, takes a follow-up mid-task and continues the finished task', async () => {
    await setSetting('approval.newTask', 'auto');
    await setSetting('testCommand', 'node --test test/');
    const host = await patchpilot();
    const serverIndex = await useScriptedModel(script);
    await host.runCommand('patchpilot.focusChat', []);
    await driver.ui('webviewWaitFor', { view: 'chat', selector: '#composer-input' });
    // Earlier tests left a finished task in this window: the chat would continue it, so start a new conversation.
    if (host.controller.sendMode === 'continue') await driver.ui('webviewClick', { view: 'chat', selector: '#new-conversation' });
    await driver.ui('webviewWaitFor', { view: 'chat', selector: '#send', hasText: 'Start task' });

    // @mat → the completion lists src/math.js → Enter inserts it.
    await driver.ui('webviewClick', { view: 'chat', selector: '#composer-input' });
    await driver.ui('typeText', { text: 'Fix add in @mat' });
    await driver.ui('webviewWaitFor', { view: 'chat', selector: '#mention-list [role=option]', hasText: 'math.js' });
    await driver.ui('screenshot', { name: 'chat-mention' });
    await driver.ui('pressKeys', { keys: 'Enter' });
    await driver.ui('typeText', { text: ' so the tests pass' });
    const finished = nextTaskResult(host);
    await driver.ui('pressKeys', { keys: 'Enter' });

    // The reply is on screen while it streams: text in the live element, not yet in the timeline.
    await driver.ui('webviewWaitFor', { view: 'chat', selector: '#streaming-text', hasText: 'add subtracts its operands' });
    const { requests: during } = await driver.scriptedRequests(serverIndex);
    assert.equal(during.length, 1, 'still the first request');
    assert.equal(host.panel.snapshot.timeline.filter((e) => e.kind === 'model').length, 0, 'the reply is not complete yet');
    await driver.ui('screenshot', { name: 'chat-streaming' });

    // A follow-up while it runs: it steers the task.
    await driver.ui('webviewWaitFor', { view: 'chat', selector: '#send', hasText: 'Send to the running task' });
    await driver.ui('webviewClick', { view: 'chat', selector: '#composer-input' });
    await driver.ui('typeText', { text: STEER });
    await driver.ui('pressKeys', { keys: 'Enter' });
    const first = await finished;
    assert.equal(first.status, 'verified', first.summary);
    assert.match(readWorkspaceFile('src/math.js'), /return sum\(a, b\);/, 'the follow-up changed the course of the fix');
    await driver.ui('webviewWaitFor', { view: 'chat', selector: '.entry.user.follow-up', hasText: STEER });

    // After the end, a message continues the same task.
    await waitFor(() => host.controller.sendMode === 'continue', 'the task to be continuable');
    await driver.ui('webviewWaitFor', { view: 'chat', selector: '#send', hasText: 'Continue this task' });
    const continued = nextTaskResult(host);
    await driver.ui('webviewClick', { view: 'chat', selector: '#composer-input' });
    await driver.ui('typeText', { text: 'Also export sum' });
    await driver.ui('pressKeys', { keys: 'Enter' });
    const second = await continued;
    assert.equal(second.taskId, first.taskId, 'the same session went on');
    assert.match(readWorkspaceFile('src/math.js'), /module\.exports = \{ add, multiply, sum \};/);

    const { requests, violations } = await driver.scriptedRequests(serverIndex);
    assert.deepEqual(violations, []);
    assert.equal(requests.length, 5);
    assert.match(requestText(requests[0]), /### @src\/math\.js/);
    await driver.ui('webviewClick', { view: 'chat', selector: '#history-toggle' });
    await driver.ui('webviewWaitFor', { view: 'chat', selector: '.history-item.live', hasText: 'Fix add in @src/math.js' });
    await driver.ui('screenshot', { name: 'chat-conversation' });
  });
});
