// Parallel attempts in VS Code: "Fix Failing Tests with Several Attempts" with 3 attempts against one scripted server
// that serves each attempt from its own lane (the X-Patchpilot-Attempt header); only attempt 2 is right. The panel
// ranks them, the chosen attempt's hunks are reviewed and accepted — the person's files untouched until then — and
// the triage (run in the attempts' worktrees) is in the timeline. The unchosen attempts' diffs stay viewable.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AttemptsResult } from '../../../src/agent/orchestrator/attempts';
import { driver } from './driver';
import { nextTaskResult, patchpilot, readWorkspaceFile, resetWorkspace, setSetting, useScriptedModel, waitFor, workspaceRoot } from './helpers';

/** The person's side of the workspace: the file's bytes and mtime, and what git sees (Patchpilot's own .patchpilot is ignored by git). */
function personState(): { math: string; mtimeMs: number; status: string } {
  const file = path.join(workspaceRoot(), 'src/math.js');
  const status = execFileSync('git', ['status', '--porcelain', '--', '.', ':!.vscode'], { cwd: workspaceRoot(), encoding: 'utf8' });
  return { math: fs.readFileSync(file, 'utf8'), mtimeMs: fs.statSync(file).mtimeMs, status };
}

const edit = (search: string, replace: string) => ({ tool_calls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search, replace }] } }] });
const finish = (summary: string) => ({ tool_calls: [{ name: 'finish', arguments: { summary } }] });

const script = {
  turns: [],
  attempts: [
    // Triage ran before the first model call: its findings are in each attempt's first prompt.
    { turns: [{ expect: ['add adds two numbers'], ...edit('  return a - b;', '  return b - a;') }, finish('Swapped the operands.')] },
    { turns: [edit('  return a - b;', '  return a + b;'), finish('add() adds.')] },
    { turns: [edit('  return a * b;', '  return a + b;'), finish('Changed multiply.')] },
  ],
};

describe('Fix Failing Tests with several attempts', () => {
  before(async () => {
    resetWorkspace();
    await setSetting('testCommand', 'node --test test/', vscode.ConfigurationTarget.Workspace);
    // Two steps per attempt (edit, finish): a wrong attempt stops at its share of the budget instead of going on.
    await setSetting('budgets.maxSteps', 6);
  });
  after(async () => {
    await setSetting('budgets.maxSteps', undefined);
  });

  it('ranks three attempts in the panel, reviews the chosen one per hunk, and writes nothing before it is accepted', async function () {
    this.timeout(180_000);
    const host = await patchpilot();
    const server = await useScriptedModel(script);
    const untouched = personState();
    // The panel part (where terminals show) is closed: an attempt's terminal that took the stage would open it.
    await vscode.commands.executeCommand('workbench.action.closePanel');
    const finished = nextTaskResult(host);
    await driver.ui('runCommand', { title: 'Patchpilot: Fix Failing Tests with Several Attempts' });
    await driver.ui('quickInput', { value: '3 attempts', pick: '3 attempts' });

    // The judge's choice waits for review before anything is written.
    await driver.ui('webviewWaitFor', { selector: '.hunk-row', timeoutMs: 120_000 });
    assert.deepEqual(personState(), untouched, 'the person\'s files are untouched while the attempts run and the review waits');
    assert.deepEqual((await driver.ui<string[]>('webviewTexts', { selector: '.hunk-row .line.add' })).map((t) => t.trim()), ['+   return a + b;']);

    // The Attempts section: ranked, the chosen one marked, the judge's reasons and figures per attempt.
    await driver.ui('webviewWaitFor', { selector: '#attempts .attempt[data-rank="3"]' });
    assert.deepEqual(await driver.ui<string[]>('webviewTexts', { selector: '#attempts .attempt-id' }), ['attempt-2', 'attempt-1', 'attempt-3']);
    assert.deepEqual(await driver.ui<string[]>('webviewTexts', { selector: '#attempts .attempt.chosen .attempt-id' }), ['attempt-2']);
    assert.match((await driver.ui<string[]>('webviewTexts', { selector: '#attempts-headline' }))[0], /^Chosen: attempt-2 \(verified, 0 failing/);
    const rows = await driver.ui<string[]>('webviewTexts', { selector: '#attempts .attempt' });
    assert.match(rows[0], /Verified/);
    assert.match(rows[0], /attempt-2 over attempt-1 by verified: verified vs not verified\./);
    assert.match(rows[1], /1 failing · 0 regressions · 2 changed lines/);
    assert.match(rows[2], /2 failing · 1 regression · 2 changed lines/);
    assert.match(rows[2], /attempt-1 over attempt-3 by failing tests: 1 failing vs 2 failing\./);

    // Triage ran (in the attempts' worktrees) and says what fails, readably.
    const notes = (await driver.ui<string[]>('webviewTexts', { selector: '.entry.note' })).join('\n');
    assert.match(notes, /Triage before the first model call: 1 failing, 0 flaky/);
    assert.match(notes, /Failing: add adds two numbers \(test\/math\.test\.js:\d+\) — failed by itself/);
    assert.match(notes, /3 attempts \(\d at once; models: scripted, scripted, scripted\), each in its own git worktree/);

    // Cost per role and per attempt under the meter.
    const costs = (await driver.ui<string[]>('webviewTexts', { selector: '#costs .cost-chip' })).join(' | ');
    assert.match(costs, /Coder scripted · 6 calls · [\d.k]+ tokens/);
    for (const id of ['attempt-1', 'attempt-2', 'attempt-3']) assert.match(costs, new RegExp(`${id} [\\d.k]+ tokens`));
    await driver.ui('screenshot', { name: 'attempts-review' });

    // An unchosen attempt's change opens read-only in the diff editor.
    await driver.ui('webviewClick', { selector: '#attempts .attempt[data-attempt="attempt-3"] .attempt-diff' });
    const diffTab = await waitFor(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((tab) => tab.input instanceof vscode.TabInputTextDiff
      && tab.input.modified.scheme === 'patchpilot-proposed' && tab.input.modified.query.includes('attempt-3')), 'the diff of attempt-3');
    const modified = await vscode.workspace.openTextDocument((diffTab.input as vscode.TabInputTextDiff).modified);
    assert.match(modified.getText(), /function multiply\(a, b\) {\n {2}return a \+ b;/, 'attempt-3\'s own content, not the chosen one');
    assert.match(modified.getText(), /return a - b;/, 'attempt-3 left add() as it was');
    assert.equal(diffTab.label, 'math.js (original ↔ attempt-3)');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the diff editor paints, for the screenshot only
    await driver.ui('screenshot', { name: 'attempts-diff' });

    // The attempts' commands ran in terminals of their own, none of which came forward.
    const names = vscode.window.terminals.map((t) => t.name);
    for (const label of ['attempt-1', 'attempt-2', 'attempt-3', 'baseline']) assert.ok(names.includes(`Patchpilot (${label})`), `a terminal for ${label}: ${names.join(', ')}`);
    assert.equal(await driver.ui<boolean>('workbenchVisible', { selector: '.part.panel' }), false, 'no attempt terminal opened the panel part');
    assert.deepEqual(personState(), untouched, 'opening a diff writes nothing');

    await driver.ui('webviewClick', { selector: '#accept-rest' });
    await driver.ui('webviewClick', { selector: '#submit-review' });
    const result = await finished as AttemptsResult;
    assert.equal(result.status, 'verified', result.summary);
    assert.equal(result.chosenAttempt, 'attempt-2');
    assert.deepEqual(result.judge.ranking, ['attempt-2', 'attempt-1', 'attempt-3']);
    assert.match(readWorkspaceFile('src/math.js'), /return a \+ b;[\s\S]*return a \* b;/);
    execFileSync('node', ['--test', 'test/'], { cwd: workspaceRoot(), stdio: 'pipe' });

    // Every attempt was served from its own lane; the task's meter counts them all, and the verified fix's cost shows.
    const { requests } = await driver.scriptedRequests(server);
    assert.deepEqual([1, 2, 3].map((k) => requests.filter((r) => r.attempt === k).length), [2, 2, 2]);
    await driver.ui('webviewWaitFor', { selector: '#per-verified-fix' });
    assert.equal(await driver.ui<number>('webviewWaitFor', { selector: '#attempts .attempt' }), 3, 'the attempts stay listed after the review');
    await driver.ui('screenshot', { name: 'attempts-accepted' });
  });
});
