// Fix Failing Tests from the palette on a git workspace with a real failing test: terminal, plan, reflection, final
// diff, acceptance — and the tests green on disk afterwards.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import { driver } from './driver';
import { nextTaskResult, patchpilot, readWorkspaceFile, resetWorkspace, setSetting, useScriptedModel, workspaceRoot } from './helpers';

const plan = (statuses: string[]) => ({
  items: ['Run the tests and read the failure', 'Fix add() in src/math.js', 'Verify with the test suite'].map((title, i) => ({ title, status: statuses[i] })),
});

const script = {
  turns: [
    { expect: ['Make the failing tests pass', 'node --test test/'], content: 'Let me plan and run the tests first.',
      tool_calls: [{ name: 'update_plan', arguments: plan(['in_progress', 'pending', 'pending']) }, { name: 'run_tests', arguments: {} }] },
    { expect: ['add adds two numbers'], tool_calls: [{ name: 'read_file', arguments: { path: 'src/math.js' } }] },
    { expect: ['return a - b;'], content: 'add() returns the wrong value; swapping the operands should do.',
      tool_calls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: 'return a - b;', replace: 'return b - a;' }] } }] },
    { tool_calls: [{ name: 'finish', arguments: { summary: 'Swapped the operands of add().' } }] },
    { expect: ['add adds two numbers'],
      content: 'Reflection: swapping the operands still subtracts (3 - 2 = 1, not 5). The bug is the operator itself: add must use +.',
      tool_calls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: 'return b - a;', replace: 'return a + b;' }] } },
        { name: 'update_plan', arguments: plan(['done', 'done', 'in_progress']) }] },
    { tool_calls: [{ name: 'finish', arguments: { summary: 'add() now adds with +.' } }] },
  ],
};

describe('Fix Failing Tests (autonomous loop)', () => {
  before(async () => {
    resetWorkspace();
    await setSetting('testCommand', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('runs from the palette, shows terminal, plan, reflection and final diff; accepting leaves the tests green', async () => {
    const host = await patchpilot();
    await useScriptedModel(script);
    const finished = nextTaskResult(host);
    await driver.ui('runCommand', { title: 'Patchpilot: Fix Failing Tests' });
    // Asked once for the test command, then remembered in the workspace settings.
    await driver.ui('quickInput', { value: 'node --test test/' });
    const result = await finished;
    assert.equal(result.status, 'verified', result.summary);
    assert.equal(vscode.workspace.getConfiguration('patchpilot').inspect('testCommand')?.workspaceValue, 'node --test test/');

    // The terminal on screen shows the end of the last (green) run; the transcript is everything it was sent.
    const terminal = await driver.ui<string>('terminalText', { contains: 'exit code 0' });
    assert.match(terminal, /# pass 2/);
    const transcript = host.runner.transcript();
    assert.match(transcript, /\$ node --test test\//);
    assert.match(transcript, /not ok \d+ - add adds two numbers/);
    assert.match(transcript, /\[exit code 1\]/, 'the failing run went through the terminal');

    await driver.ui('webviewWaitFor', { selector: '.plan-item' });
    const planItems = await driver.ui<string[]>('webviewTexts', { selector: '.plan-item' });
    assert.equal(planItems.length, 3);
    const reflection = await driver.ui<string[]>('webviewTexts', { selector: '.entry.reflection' });
    assert.equal(reflection.length, 1);
    assert.match(reflection[0], /the operator itself/);
    // Fix Failing Tests triages first (patchpilot.triage.enabled, default true), and the timeline says what it found.
    const notes = (await driver.ui<string[]>('webviewTexts', { selector: '.entry.note' })).join('\n');
    assert.match(notes, /Triage before the first model call: 1 failing, 0 flaky \(\d+ test runs/);
    assert.match(notes, /Failing: add adds two numbers \(test\/math\.test\.js:\d+\) — failed by itself/);
    const failures = await driver.ui<string[]>('webviewTexts', { selector: '.failure-name' });
    assert.ok(failures.some((f) => f.includes('add adds two numbers')), `structured failure shown (saw ${failures.join(', ')})`);

    await driver.ui('webviewWaitFor', { selector: '.hunk-row' });
    const hunkText = await driver.ui<string[]>('webviewTexts', { selector: '.hunk-row .line.add' });
    assert.deepEqual(hunkText.map((t) => t.trim()), ['+   return a + b;']);
    await driver.ui('screenshot', { name: 'fix-tests-final-review' });

    await driver.ui('webviewClick', { selector: '#accept-rest' });
    await driver.ui('webviewClick', { selector: '#submit-review' });
    await driver.ui('webviewWaitFor', { selector: '.changes-toolbar .empty' });
    await driver.ui('screenshot', { name: 'fix-tests-accepted' });
    assert.match(readWorkspaceFile('src/math.js'), /return a \+ b;/);
    // The fix on disk makes the real test suite pass.
    execFileSync('node', ['--test', 'test/'], { cwd: workspaceRoot(), stdio: 'pipe' });
  });
});
