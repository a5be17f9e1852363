// Roles in VS Code: with patchpilot.roles.enabled and a model name per role, Fix Failing Tests runs planner → coder →
// verifier through the extension's own session options; the result says each role's model and calls, and the
// panel's timeline marks each phase. One scripted server serves every role (same provider), in the order they call.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { driver } from './driver';
import { nextTaskResult, patchpilot, resetWorkspace, setSetting, useScriptedModel } from './helpers';

const script = {
  turns: [
    { expect: ['You are the planner'], tool_calls: [{ name: 'read_file', arguments: { path: 'src/math.js' } }] },
    { expect: ['return a - b;'], tool_calls: [{ name: 'submit_plan', arguments: { steps: ['Make add() in src/math.js use +'], acceptance_criteria: ['add(2, 3) is 5'] } }] },
    { expect: ['The planner read the code', 'add(2, 3) is 5'], tool_calls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: 'return a - b;', replace: 'return a + b;' }] } }] },
    { tool_calls: [{ name: 'finish', arguments: { summary: 'add() adds.' } }] },
    { expect: ['You are the verifier', '+  return a + b;'], tool_calls: [{ name: 'submit_verdict', arguments: { decision: 'agree' } }] },
  ],
};

describe('Roles (planner, coder, verifier) from the settings', () => {
  before(async () => {
    resetWorkspace();
    await setSetting('testCommand', 'node --test test/', vscode.ConfigurationTarget.Workspace);
    await setSetting('roles.enabled', true);
    await setSetting('roles.plannerModel', 'plan-m');
    await setSetting('roles.verifierModel', 'verify-m');
  });
  after(async () => {
    for (const key of ['roles.enabled', 'roles.plannerModel', 'roles.verifierModel']) await setSetting(key, undefined);
  });

  it('runs each role on its configured model; the result and the timeline say which role acted', async () => {
    const host = await patchpilot();
    await useScriptedModel(script);
    const finished = nextTaskResult(host);
    await driver.ui('runCommand', { title: 'Patchpilot: Fix Failing Tests' });
    const result = await finished;
    assert.equal(result.status, 'verified', result.summary);
    assert.match(result.summary, /The verifier agreed\./);
    assert.deepEqual(Object.fromEntries(Object.entries(result.roles).map(([role, share]) => [role, `${share!.model}×${share!.modelCalls}`])),
      { planner: 'plan-m×2', coder: 'scripted×2', verifier: 'verify-m×1' });
    assert.deepEqual(result.usagePerVerifiedFix, result.usage);
    await driver.ui('webviewWaitFor', { selector: '.entry.note' });
    const notes = (await driver.ui<string[]>('webviewTexts', { selector: '.entry.note' })).join('\n');
    assert.match(notes, /The planner plans the task and writes the acceptance criteria\. Model: plan-m\./);
    assert.match(notes, /Acceptance criteria: add\(2, 3\) is 5/);
    assert.match(notes, /The verifier judges the change .* Model: verify-m\./);
    assert.match(notes, /The verifier agreed with the change\./);
    // The cumulative change set waits for review as after any Fix Failing Tests; accept it so the workspace is settled.
    await driver.ui('webviewWaitFor', { selector: '.hunk-row' });
    await driver.ui('webviewClick', { selector: '#accept-rest' });
    await driver.ui('webviewClick', { selector: '#submit-review' });
    await driver.ui('webviewWaitFor', { selector: '.changes-toolbar .empty' });
  });
});
