// The progress notification: it says what the running step does, and its Cancel stops the task and kills the command.
import * as assert from 'node:assert/strict';
import { driver } from './driver';
import { nextTaskResult, patchpilot, resetWorkspace, setSetting, useScriptedModel, waitFor } from './helpers';

describe('progress notification', () => {
  before(async () => {
    resetWorkspace();
    await setSetting('approval.newTask', 'auto');
  });

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
});
