// Restricted Mode (untrusted workspace): no commands run, every change waits for review, and the extension says so.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { driver } from './driver';
import { nextTaskResult, patchpilot, resetWorkspace, setSetting, treeDigest, useScriptedModel } from './helpers';

const script = {
  turns: [
    { expect: ['Make the tests pass'], tool_calls: [{ name: 'run_command', arguments: { command: 'npm test' } }] },
    { expect: ['not trusted'], tool_calls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: 'return a - b;', replace: 'return a + b;' }] } }] },
    { content: 'The edit was rejected; stopping.', tool_calls: [{ name: 'finish', arguments: { summary: 'Nothing changed (restricted).' } }] },
  ],
};

describe('Restricted Mode', () => {
  before(async () => {
    resetWorkspace();
    // Even with the autonomous mode configured, an untrusted workspace gets a review before every write.
    await setSetting('approval.newTask', 'auto');
  });

  it('runs in an untrusted workspace', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('explains why Fix Failing Tests cannot run instead of failing', async () => {
    await driver.ui('runCommand', { title: 'Patchpilot: Fix Failing Tests' });
    const messages = await driver.ui<string[]>('notifications', { contains: 'Restricted Mode' });
    assert.ok(messages.some((m) => /Trust this workspace/.test(m)), `says what to do next (saw ${messages.join(' | ')})`);
    await driver.ui('screenshot', { name: 'restricted-fix-tests' });
  });

  it('refuses commands and asks before writing, even in autonomous mode', async () => {
    const host = await patchpilot();
    const before = treeDigest();
    await useScriptedModel(script);
    const finished = nextTaskResult(host);
    void host.runCommand('patchpilot.newTask', ['Make the tests pass']);
    await driver.ui('webviewWaitFor', { selector: '.hunk-row' });
    assert.equal(treeDigest(), before, 'nothing written without review');
    const chips = await driver.ui<string[]>('webviewTexts', { selector: '.entry.tool.error .code-chip' });
    assert.deepEqual(chips, ['read_only_mode']);
    const badges = await driver.ui<string[]>('webviewTexts', { selector: '.badge.restricted' });
    assert.deepEqual(badges, ['Restricted Mode']);
    await driver.ui('screenshot', { name: 'restricted-review' });
    await driver.ui('runCommand', { title: 'Patchpilot: Reject All' });
    await finished;
    assert.equal(treeDigest(), before);
    assert.doesNotMatch(host.runner.transcript(), /npm test/, 'the command never reached the terminal');
  });
});
