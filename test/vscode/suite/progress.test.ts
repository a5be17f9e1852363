// Long-running and long-winded commands: the progress notification says what the running step does and its Cancel
// stops the task; output too long for the model is kept whole inside the workspace, where read_file reaches it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { driver } from './driver';
import { nextTaskResult, patchpilot, requestText, resetWorkspace, setSetting, useScriptedModel, waitFor, workspaceRoot } from './helpers';

describe('progress notification', () => {
  before(async () => {
    resetWorkspace();
    await setSetting('approval.newTask', 'auto');
  });
  // Inline `node -e` code asks first by default; these tests are about progress, so the person allowed it
  // (settings are reset after every test).
  beforeEach(() => setSetting('commands.allow', ['node -e *']));

  it('shows the running step and stops the task from its Cancel button', async () => {
    const host = await patchpilot();
    await useScriptedModel({
      turns: [{ expect: ['Wait for the slow build'], tool_calls: [{ name: 'run_command', arguments: { command: 'node -e "setTimeout(() => {}, 120000)"', timeout_seconds: 300 } }] }],
    });
    const finished = nextTaskResult(host);
    void host.runCommand('patchpilot.newTask', ['Wait for the slow build']);
    const messages = await driver.ui<string[]>('notifications', { contains: 'Step 1: running node -e' });
    assert.ok(messages.some((m) => /Step 1: running node -e .* · \d+ tokens/.test(m)), `the step and its spend are shown (saw ${messages.join(' | ')})`);
    await driver.ui('screenshot', { name: 'progress-notification' });
    await driver.ui('clickNotificationButton', { message: 'Step 1: running node -e', button: 'Cancel' });
    const result = await finished;
    assert.equal(result.status, 'stopped');
    // The task's summary still shows as the progress notification goes.
    await driver.ui('notifications', { contains: result.summary.slice(0, 40) });
    await waitFor(() => /process tree killed/.test(host.runner.transcript()), 'the terminal to say the process tree was killed');
  });

  it('keeps the whole of a long output in the workspace, where the model can read it', async () => {
    const host = await patchpilot();
    const serverIndex = await useScriptedModel({
      turns: [
        { expect: ['Print the long log'], tool_calls: [{ name: 'run_command', arguments: { command: 'node -e "for (let i = 0; i < 20000; i++) console.log(\'line \' + i)"' } }] },
        { expect: ['bytes left out'], tool_calls: [{ name: 'finish', arguments: { summary: 'Printed.' } }] },
      ],
    });
    const finished = nextTaskResult(host);
    void host.runCommand('patchpilot.newTask', ['Print the long log']);
    await finished;
    const { requests, violations } = await driver.scriptedRequests(serverIndex);
    assert.deepEqual(violations, []);
    const spilled = /full output in (\S+\.log)/.exec(requestText(requests[1]));
    assert.ok(spilled, 'the tool result names the file with the full output');
    const spillPath = spilled[1];
    assert.equal(path.relative(workspaceRoot(), spillPath).split(path.sep).slice(0, 2).join('/'), '.patchpilot/tmp', 'inside the workspace');
    const lines = fs.readFileSync(spillPath, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 20000);
    assert.equal(lines[19999], 'line 19999');
  });
});

