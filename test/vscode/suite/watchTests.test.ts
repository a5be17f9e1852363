// Patchpilot: Watch Tests in a real VS Code: the tests run (sandboxed, in their own terminal, without taking focus)
// and the status bar says "passing"; a change made by the test breaks a test, the fix is proposed in a worktree and
// announced by a notification with "Review"; the review in the panel shows the fix against the person's file, which
// stays untouched until the hunk is accepted; then the tests pass again, and Stop Watching stops it all.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WatchEvent } from '../../../src/agent/watch/testWatch';
import { driver } from './driver';
import { patchpilot, readWorkspaceFile, resetWorkspace, setSetting, useScriptedModel, waitFor, workspaceRoot } from './helpers';

const GREEN = 'function add(a, b) {\n  return a + b;\n}';
const BROKEN = 'function add(a, b) {\n  return a * b;\n}';

const script = {
  turns: [
    { expect: ['Make the failing tests pass', 'add adds two numbers'], tool_calls: [{ name: 'read_file', arguments: { path: 'src/math.js' } }] },
    { expect: ['return a * b'], tool_calls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: '  return a * b;\n}\n\nfunction multiply', replace: '  return a + b;\n}\n\nfunction multiply' }] } }] },
    { tool_calls: [{ name: 'finish', arguments: { summary: 'add() multiplied; it adds again.' } }] },
  ],
};

function writeMath(body: string): void {
  const file = path.join(workspaceRoot(), 'src/math.js');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/function add\(a, b\) \{\n {2}return a [-+*] b;\n\}/, body));
}

describe('watch tests', () => {
  before(async () => {
    resetWorkspace();
    await setSetting('testCommand', 'node --test test/');
    await setSetting('watch.debounceMs', 200);
    await setSetting('watch.proposalMaxSteps', 6);
  });
  after(async () => {
    const host = await patchpilot();
    await host.watch.stop();
    await setSetting('testCommand', undefined);
    await setSetting('watch.debounceMs', undefined);
    await setSetting('watch.proposalMaxSteps', undefined);
    resetWorkspace();
  });

  it('runs the tests after changes, proposes a fix when they turn red, reviews it against the person\'s file, and stops', async () => {
    const host = await patchpilot();
    const serverIndex = await useScriptedModel(script);
    writeMath(GREEN);
    const events: WatchEvent[] = [];
    const listener = host.watch.onDidEvent((event) => events.push(event));
    // The person is in an editor; watching must leave the keyboard there.
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(path.join(workspaceRoot(), 'README.md')));
    try {
      await host.runCommand('patchpilot.watchTests', []);
      assert.equal(host.watch.isWatching, true);
      await driver.ui('statusBarTexts', { contains: 'Watching tests: passing', timeoutMs: 30000 });
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString(), 'the watch terminal does not take focus');
      assert.match(host.watch.transcript(), /sandbox: workspace-write/, 'the test run is sandboxed');

      // The test's own change breaks add(): the tests turn red and a fix is proposed in a worktree.
      writeMath(BROKEN);
      await driver.ui('statusBarTexts', { contains: 'Watching tests: failing', timeoutMs: 30000 });
      await driver.ui('notifications', { contains: 'your tests broke after a change', timeoutMs: 60000 });
      const proposal = host.watch.proposals[0];
      assert.ok(proposal, 'the proposal is a background task');
      await proposal.whenReviewReady();
      assert.match(readWorkspaceFile('src/math.js'), /return a \* b;/, 'the person\'s file is untouched while the proposal waits');
      const review = proposal.panel.snapshot.review;
      assert.ok(review, 'the proposal waits for review in its panel');
      assert.deepEqual(review.files.map((file) => file.path), ['src/math.js']);
      assert.ok(review.files[0].hunks[0].lines.some((line) => line.sign === '-' && line.text === '  return a * b;'), 'shown against the person\'s current file');
      const finished = events.find((event) => event.type === 'proposal_finished');
      assert.equal(finished?.type === 'proposal_finished' && finished.result.status, 'verified');

      await driver.ui('clickNotificationButton', { message: 'your tests broke after a change', button: 'Review' });
      await driver.ui('webviewWaitFor', { selector: '.hunk-row[data-hunk="0"]' });
      await driver.ui('screenshot', { name: 'watch-proposal-review' });
      assert.match(readWorkspaceFile('src/math.js'), /return a \* b;/, 'still untouched until accepted');
      await driver.ui('webviewClick', { selector: '.hunk-row[data-hunk="0"] button.accept' });
      await driver.ui('webviewClick', { selector: '#submit-review' });
      await waitFor(() => /return a \+ b;/.test(readWorkspaceFile('src/math.js')), 'the accepted fix in the person\'s file');
      await driver.ui('statusBarTexts', { contains: 'Watching tests: passing', timeoutMs: 30000 });
      await driver.ui('screenshot', { name: 'watch-passing-again' });
      const { violations } = await driver.scriptedRequests(serverIndex);
      assert.deepEqual(violations, []);

      await host.runCommand('patchpilot.stopWatching', []);
      assert.equal(host.watch.isWatching, false);
      assert.equal(events[events.length - 1]?.type, 'stopped');
      const runsBefore = events.filter((event) => event.type === 'tests_started').length;
      writeMath(BROKEN);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(events.filter((event) => event.type === 'tests_started').length, runsBefore, 'no test run after Stop Watching');
      const items = await driver.ui<string[]>('statusBarTexts', {});
      assert.equal(items.some((text) => text.includes('Watching tests')), false, items.join(' | '));
    } finally {
      listener.dispose();
    }
  });
});
