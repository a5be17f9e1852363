// After Fix Failing Tests, the person rejects the fix with a reason: the hunk is restored, the tests run again and
// fail, the model is told why the person rejected it and fixes it another way — and the panel never claims
// "Verified" for a tree whose tests fail.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { driver } from './driver';
import { nextTaskResult, patchpilot, readWorkspaceFile, requestText, resetWorkspace, setSetting, useScriptedModel, waitFor, workspaceRoot } from './helpers';

const REASON = 'Keep the operands in order; write it as a + b';
const fix = (search: string, replace: string) => ({ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search, replace }] } });

const script = {
  turns: [
    { expect: ['Make the failing tests pass'], tool_calls: [{ name: 'read_file', arguments: { path: 'src/math.js' } }] },
    { tool_calls: [fix('return a - b;', 'return b + a;')] },
    { tool_calls: [{ name: 'finish', arguments: { summary: 'add() adds.' } }] },
    // After the rejection: the person's reason and the failing test both reach the model.
    { expect: [REASON, 'add adds two numbers', 'Verification failed'], tool_calls: [{ name: 'read_file', arguments: { path: 'src/math.js' } }] },
    { expect: ['return a - b;'], tool_calls: [fix('return a - b;', 'return a + b;')] },
    { tool_calls: [{ name: 'finish', arguments: { summary: 'add() adds, operands in order.' } }] },
  ],
};

describe('review after an autonomous fix', () => {
  before(async () => {
    resetWorkspace();
  });

  it('re-runs the tests after a rejected hunk, and the reason reaches the model', async () => {
    await setSetting('testCommand', 'node --test test/');
    const host = await patchpilot();
    const serverIndex = await useScriptedModel(script);
    const first = nextTaskResult(host);
    void host.runCommand('patchpilot.fixFailingTests', []);
    assert.equal((await first).status, 'verified');

    await driver.ui('webviewWaitFor', { selector: '.hunk-row' });
    await driver.ui('webviewClick', { selector: '.hunk-row[data-hunk="0"] button.reject' });
    await driver.ui('webviewFill', { selector: '.hunk-row[data-hunk="0"] textarea.reason', value: REASON });
    const second = nextTaskResult(host);
    await driver.ui('webviewClick', { selector: '#submit-review' });

    // While the tests run again the panel must not say Verified.
    await waitFor(() => host.panel.snapshot.status === 'running' || host.panel.snapshot.status === 'review', 'the task to reopen');
    const result = await second;
    assert.equal(result.status, 'verified', result.summary);
    const { requests } = await driver.scriptedRequests(serverIndex);
    assert.equal(requests.length, 6);
    assert.ok(requestText(requests[3]).includes(REASON), 'the reason reached the model');
    assert.match(requestText(requests[3]), /return a - b;|add adds two numbers/);
    await driver.ui('webviewWaitFor', { selector: '.entry.note', hasText: 'the tests run again' });

    await driver.ui('webviewWaitFor', { selector: '.hunk-row' });
    await driver.ui('webviewClick', { selector: '#accept-rest' });
    await driver.ui('webviewClick', { selector: '#submit-review' });
    await driver.ui('webviewWaitFor', { selector: '.changes-toolbar .empty' });
    assert.match(readWorkspaceFile('src/math.js'), /return a \+ b;/);
    execFileSync('node', ['--test', 'test/'], { cwd: workspaceRoot(), stdio: 'pipe' });
  });

  it('shows "Completed — not verified" when there is no test command', async () => {
    await setSetting('approval.newTask', 'auto');
    const host = await patchpilot();
    await useScriptedModel({ turns: [{ tool_calls: [{ name: 'finish', arguments: { summary: 'Nothing to change.' } }] }] });
    const finished = nextTaskResult(host);
    void host.runCommand('patchpilot.newTask', ['Look at the code']);
    const result = await finished;
    assert.equal(result.status, 'unverified');
    await driver.ui('webviewWaitFor', { selector: '.badge', hasText: 'Completed — not verified' });
  });
});
