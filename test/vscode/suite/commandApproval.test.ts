// Commands outside the allow rules ask first, in the review mode and in the autonomous mode alike; the person's
// answer decides, the model hears it, and deny rules win even over an allow rule the person added.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { driver } from './driver';
import { nextTaskResult, patchpilot, requestText, resetWorkspace, setSetting, useScriptedModel, waitFor, workspaceRoot } from './helpers';

// `uname -s` is harmless and deterministic, and on no allow list: exactly the kind of command that must be asked about.
// The autonomous case asks a third time (`uname -r`), answered in the panel opened from the notification.
function platformScript(goal: string, mode: 'ask' | 'auto'): unknown {
  const finish = { name: 'finish', arguments: { summary: 'Platform checked.' } };
  return {
    turns: [
      // The autonomous case hides the panel before the question comes, so its first reply is held back a little.
      { expect: [goal], delay_ms: mode === 'auto' ? 1500 : 0, tool_calls: [{ name: 'run_command', arguments: { command: 'uname -s' } }] },
      { expect: ['Linux'], tool_calls: [{ name: 'run_command', arguments: { command: 'uname -m' } }] },
      ...(mode === 'ask'
        ? [{ expect: ['declined'], content: 'The second command was declined; stopping.', tool_calls: [finish] }]
        : [{ expect: ['declined'], tool_calls: [{ name: 'run_command', arguments: { command: 'uname -r' } }] },
          { expect: ['Exit code: 0'], tool_calls: [finish] }]),
    ],
  };
}

/** Answers in the notification; returns the question's text. */
async function answerInNotification(command: string, button: string): Promise<string> {
  const messages = await driver.ui<string[]>('notifications', { contains: `wants to run \`${command}\`` });
  await driver.ui('clickNotificationButton', { message: `wants to run \`${command}\``, button });
  return messages.find((m) => m.includes(command)) ?? '';
}

/** Answers in the review panel, where the question stays until answered; returns the question's text. */
async function answerInPanel(command: string, button: '#question-run' | '#question-deny'): Promise<string> {
  await driver.ui('webviewWaitFor', { selector: '#question-command', hasText: command });
  const [question] = await driver.ui<string[]>('webviewTexts', { selector: '#question' });
  await driver.ui('webviewClick', { selector: button });
  return question;
}

describe('command approval', () => {
  before(() => resetWorkspace());

  for (const mode of ['ask', 'auto'] as const) {
    it(`asks before a command outside the allow rules (${mode === 'ask' ? 'review' : 'autonomous'} mode)`, async () => {
      const goal = `Check the platform (${mode})`;
      await setSetting('approval.newTask', mode);
      const host = await patchpilot();
      const serverIndex = await useScriptedModel(platformScript(goal, mode));
      const finished = nextTaskResult(host);
      void host.runCommand('patchpilot.newTask', [goal]);

      if (mode === 'ask') {
        // The panel is in view: it asks, with no notification that could not be closed after the answer.
        const question = await answerInPanel('uname -s', '#question-run');
        assert.match(question, /not on the allow list/, 'the question says why it is asked');
        await driver.ui('terminalText', { contains: 'Linux' });
        await driver.ui('webviewWaitFor', { selector: '#question-command', hasText: 'uname -m' });
        await driver.ui('screenshot', { name: 'command-approval-question' });
        await answerInPanel('uname -m', '#question-deny');
        const toasts = await driver.ui<string[]>('notifications', {});
        assert.ok(!toasts.some((t) => t.includes('wants to run')), `no notification while the panel asks (saw ${toasts.join(' | ')})`);
      } else {
        // The person works in another file: the notification asks, the panel holds the question too, the editor tab stays.
        await waitFor(() => host.panel.isVisible, 'the panel to open');
        const readme = await vscode.workspace.openTextDocument(path.join(workspaceRoot(), 'README.md'));
        await vscode.window.showTextDocument(readme, { viewColumn: vscode.ViewColumn.Active, preview: false });
        const question = await driver.ui<string[]>('notifications', { contains: 'wants to run `uname -s`' });
        assert.ok(question.some((q) => /not on the allow list/.test(q)), `the question says why it is asked (saw ${question.join(' | ')})`);
        assert.equal(host.panel.snapshot.question?.command, 'uname -s', 'the panel holds the question too');
        assert.equal(host.panel.isVisible, false, 'asking did not switch the person\'s editor tab');
        await driver.ui('statusBarTexts', { contains: 'approve a command?' });
        await answerInNotification('uname -s', 'Run Command');
        await driver.ui('terminalText', { contains: 'Linux' });
        await answerInNotification('uname -m', 'Don\'t Run');
        // Show Panel brings the question into view; answered there, the task goes on.
        await answerInNotification('uname -r', 'Show Panel');
        await answerInPanel('uname -r', '#question-run');
      }
      const result = await finished;
      assert.equal(result.status, 'unverified', 'no test command: completed, not verified');
      assert.equal(host.panel.snapshot.question, null, 'an answered question leaves the panel');
      const notes = host.panel.snapshot.timeline.flatMap((entry) => (entry.kind === 'note' ? [entry.text] : []));
      assert.ok(notes.includes('You allowed `uname -s` to run.') && notes.includes('You declined `uname -m`; the model was told.'),
        `the answers are in the timeline (and the journal) (saw ${notes.join(' | ')})`);
      assert.doesNotMatch(host.runner.transcript(), /uname -m/, 'the declined command never reached the terminal');
      if (mode === 'auto') assert.match(host.runner.transcript(), /\$ uname -r/, 'the command answered in the panel opened from the notification ran');
      const { requests, violations } = await driver.scriptedRequests(serverIndex);
      assert.deepEqual(violations, []);
      assert.match(requestText(requests[1]), /Linux/, 'the approved command\'s output reached the model');
      assert.match(requestText(requests[2]), /declined to run this command/, 'the model hears that the person said no');
    });
  }

  it('never asks about a denied command, even when an allow rule names it too', async () => {
    await setSetting('approval.newTask', 'auto');
    await setSetting('commands.allow', ['uname']);
    await setSetting('commands.deny', ['uname -a']);
    const host = await patchpilot();
    const serverIndex = await useScriptedModel({
      turns: [
        { expect: ['Show the kernel'], tool_calls: [{ name: 'run_command', arguments: { command: 'uname -a' } }] },
        { expect: ['Refused by the command policy'], tool_calls: [{ name: 'run_command', arguments: { command: 'uname -s' } }] },
        { expect: ['Linux'], tool_calls: [{ name: 'finish', arguments: { summary: 'Only the allowed form ran.' } }] },
      ],
    });
    const finished = nextTaskResult(host);
    void host.runCommand('patchpilot.newTask', ['Show the kernel']);
    await finished;
    const transcript = host.runner.transcript();
    assert.doesNotMatch(transcript, /uname -a/, 'deny wins over allow');
    assert.match(transcript, /uname -s/, 'the allow rule the person added runs without a question');
    const toasts = await driver.ui<string[]>('notifications', {});
    assert.ok(!toasts.some((t) => t.includes('wants to run')), `no question was asked (saw ${toasts.join(' | ')})`);
    const { violations } = await driver.scriptedRequests(serverIndex);
    assert.deepEqual(violations, []);
  });
});
