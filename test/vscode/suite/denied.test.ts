// Command rules: a denied command is refused with a visible reason, and the model is told why.
import * as assert from 'node:assert/strict';
import { driver } from './driver';
import { nextTaskResult, patchpilot, requestText, resetWorkspace, setSetting, useScriptedModel } from './helpers';

const script = {
  turns: [
    { expect: ['Publish the package'], tool_calls: [{ name: 'run_command', arguments: { command: 'npm publish --access public' } }] },
    { expect: ['Refused by the command policy'], tool_calls: [{ name: 'run_command', arguments: { command: 'git push --force origin main' } }] },
    { expect: ['force-pushes'], content: 'Both commands are refused here; nothing was published.', tool_calls: [{ name: 'finish', arguments: { summary: 'Not published: denied by policy.' } }] },
  ],
};

describe('command rules', () => {
  before(async () => {
    resetWorkspace();
    await setSetting('commands.deny', ['npm publish*']);
  });
  after(() => setSetting('commands.deny', undefined));

  it('refuses denied commands and shows the reason in the panel', async () => {
    const host = await patchpilot();
    const serverIndex = await useScriptedModel(script);
    const finished = nextTaskResult(host);
    void host.runCommand('patchpilot.newTask', ['Publish the package']);
    await finished;
    await driver.ui('webviewWaitFor', { selector: '.entry.tool.error .code-chip', hasText: 'command_denied' });
    const chips = await driver.ui<string[]>('webviewTexts', { selector: '.entry.tool.error .code-chip' });
    assert.deepEqual(chips, ['command_denied', 'command_denied']);
    const reasons = await driver.ui<string[]>('webviewTexts', { selector: '.entry.tool.error .tool-error' });
    assert.equal(reasons.length, 2);
    assert.match(reasons[0], /^Refused by the command policy: .*npm publish/, 'the matching deny rule is named');
    assert.match(reasons[1], /force-pushes/, 'the built-in rule says why');
    assert.doesNotMatch(host.runner.transcript(), /npm publish|git push/, 'neither command reached the terminal');
    const { requests } = await driver.scriptedRequests(serverIndex);
    assert.match(requestText(requests[2]), /force-pushes/);
    await driver.ui('screenshot', { name: 'denied-command' });
  });
});
