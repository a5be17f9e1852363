// The panel as a person uses it at a 900×700 window: every hunk reachable and in view by Tab alone, decided with
// the keyboard and the contributed keybindings; Task History during a pending review opens beside it and never
// replaces it; Stop during a test run leaves nothing "running…".
import * as assert from 'node:assert/strict';
import { driver } from './driver';
import { nextTaskResult, patchpilot, readWorkspaceFile, resetWorkspace, setSetting, useScriptedModel, waitFor } from './helpers';

const edits = {
  turns: [
    { expect: ['Tidy the helpers'], tool_calls: [
      { name: 'edit_file', arguments: { path: 'src/text.js', edits: [
        { search: 'return text.toUpperCase();', replace: "return text.toUpperCase() + '!';" },
        { search: 'return text.toLowerCase();', replace: "return text.toLowerCase() + '…';" },
      ] } },
      { name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: 'return a * b;', replace: 'return b * a;' }] } },
    ] },
    { tool_calls: [{ name: 'finish', arguments: { summary: 'Tidied.' } }] },
  ],
};

describe('panel at a small window, by keyboard', () => {
  before(async () => {
    resetWorkspace();
    await driver.ui('setViewport', { width: 900, height: 700 });
  });
  after(() => driver.ui('setViewport', { width: 1440, height: 900 }));

  it('reaches every hunk with Tab, in view, decides them by keys; history opens beside the pending review', async () => {
    const host = await patchpilot();
    // A past task for the history first.
    await useScriptedModel({ turns: [{ tool_calls: [{ name: 'finish', arguments: { summary: 'Looked.' } }] }] });
    const past = nextTaskResult(host);
    void host.runCommand('patchpilot.newTask', ['Look around first']);
    const pastTask = await past;

    await setSetting('approval.newTask', 'ask');
    await useScriptedModel(edits);
    const finished = nextTaskResult(host);
    void host.runCommand('patchpilot.newTask', ['Tidy the helpers']);
    // Two edit calls: the first change set (two hunks in text.js) is reviewed first.
    assert.equal(await driver.ui<number>('webviewWaitFor', { selector: '.hunk-row' }), 2);
    await driver.ui('screenshot', { name: 'panel-900x700' });

    // History of the earlier task, while this review waits: it opens in its own panel, the review stays.
    void host.runCommand('patchpilot.taskHistory', [pastTask.taskId]);
    await driver.ui('webviewWaitFor', { selector: '#read-only' });
    assert.ok(host.panel.snapshot.review, 'the live review is still pending');
    assert.equal(host.panel.snapshot.title, 'Tidy the helpers');
    await host.runCommand('patchpilot.reviewChanges', []);
    await driver.ui('webviewWaitFor', { selector: '.hunk-row' });

    // Keyboard only: Tab into the first hunk, decide with `a`, Tab past its buttons to the next hunk, which is in view.
    await driver.ui('webviewPress', { selector: '.hunk-row[data-hunk="0"]', key: 'a' });
    for (let i = 0; i < 3 && (await driver.ui<{ key: string | null }>('webviewFocus', {})).key !== 'src/text.js#1'; i++) {
      await driver.ui('pressKeys', { keys: 'Tab' });
    }
    assert.equal((await driver.ui<{ key: string | null }>('webviewFocus', {})).key, 'src/text.js#1', 'Tab reached the second hunk');
    assert.equal(await driver.ui<boolean>('webviewInView', { selector: '.hunk-row[data-hunk="1"]' }), true, 'and it is on screen');
    // The contributed keybinding rejects the focused hunk and puts the keyboard in its reason box.
    await driver.ui('pressKeys', { keys: 'Alt+r' });
    await driver.ui('webviewWaitFor', { selector: '.hunk-row[data-hunk="1"] textarea.reason' });
    await driver.ui('typeText', { text: 'Keep whisper as it is' });
    const counts = await driver.ui<string[]>('webviewTexts', { selector: '#review-counts' });
    assert.equal(counts[0], '1 accepted · 1 rejected · 0 undecided');
    assert.equal(await driver.ui<boolean>('webviewInView', { selector: '#submit-review' }), true, 'the submit button is on screen at 900×700');
    // Submitted from the keyboard too: focus the button, Enter.
    await driver.ui('webviewPress', { selector: '#submit-review', key: 'Enter' });

    await driver.ui('webviewWaitFor', { selector: '.hunk-row[data-path="src/math.js"]' });
    await driver.ui('pressKeys', { keys: 'Alt+a' });
    await driver.ui('webviewPress', { selector: '#submit-review', key: 'Enter' });
    const result = await finished;
    assert.equal(result.status, 'unverified');
    assert.match(readWorkspaceFile('src/text.js'), /toUpperCase\(\) \+ '!'/);
    assert.doesNotMatch(readWorkspaceFile('src/text.js'), /…/);
    assert.match(readWorkspaceFile('src/math.js'), /return b \* a;/);
    // Nothing stale once it is over: the progress notification goes, the mid-task review banner goes.
    await waitFor(async () => !(await driver.ui<string[]>('notifications', {})).some((t) => /Waiting for the model|Running/.test(t)), 'the progress notification to close', 10_000);
    assert.equal((await driver.ui<string[]>('webviewTexts', { selector: '#banner:not([hidden])' })).length, 0, 'no banner left from the review');
    await driver.ui('screenshot', { name: 'panel-900x700-decided' });
  });

  it('Stop during a test run leaves no tool "running" and says stopped', async () => {
    const host = await patchpilot();
    await setSetting('testCommand', 'node -e "setTimeout(() => {}, 120000)"');
    // The model's own run_tests is what this stops; triage's first run (before any model call) would hang first.
    await setSetting('triage.enabled', false);
    await useScriptedModel({ turns: [{ tool_calls: [{ name: 'run_tests', arguments: {} }] }] });
    const finished = nextTaskResult(host);
    void host.runCommand('patchpilot.fixFailingTests', []);
    await waitFor(() => host.panel.snapshot.timeline.some((entry) => entry.kind === 'tool' && entry.name === 'run_tests' && entry.state === 'running'), 'the test run to start');
    await host.runCommand('patchpilot.stop', []);
    const result = await finished;
    assert.equal(result.status, 'stopped');
    const tools = host.panel.snapshot.timeline.filter((entry) => entry.kind === 'tool');
    assert.ok(tools.every((entry) => entry.kind === 'tool' && entry.state !== 'running'), `nothing left running: ${JSON.stringify(tools)}`);
    await driver.ui('webviewWaitFor', { selector: '#status', hasText: 'Stopped' });
    assert.doesNotMatch((await driver.ui<string[]>('webviewTexts', { selector: '.entry.tool' })).join(' '), /running…/);
    await setSetting('triage.enabled', undefined);
  });
});
