// A background task in VS Code: it runs in its own worktree (its commands run there, in a terminal of its own) while
// the test edits the person's files — another file, and the same file at other lines and at the task's lines. Its
// command question and its review arrive as notifications; the review shows the task's hunks against the person's
// current file, the one on lines the person changed marked as a conflict that cannot be accepted, and applying writes
// the rest into the person's files without touching their edits. The worktree is gone afterwards.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { driver } from './driver';
import { patchpilot, readWorkspaceFile, resetWorkspace, useScriptedModel, waitFor, workspaceRoot } from './helpers';

const GOAL = 'Fix add() and document multiply()';

const script = {
  turns: [
    { expect: [GOAL], tool_calls: [
      { name: 'read_file', arguments: { path: 'src/math.js' } },
      { name: 'run_command', arguments: { command: 'pwd' } },
    ] },
    { expect: ['patchpilot-worktrees'], tool_calls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [
      { search: '  return a - b;', replace: '  return a + b;' },
      { search: '  return a * b;', replace: '  return a * b; // the product' },
    ] } }] },
    // Not on the allow list: the background task asks, by notification, and waits while the person edits.
    { tool_calls: [{ name: 'run_command', arguments: { command: 'uname -s' } }] },
    { expect: ['Linux'], tool_calls: [{ name: 'finish', arguments: { summary: 'add() fixed.' } }] },
  ],
};

function edit(relative: string, change: (text: string) => string): void {
  const full = path.join(workspaceRoot(), relative);
  fs.writeFileSync(full, change(fs.readFileSync(full, 'utf8')));
}

describe('background task', () => {
  before(() => resetWorkspace());

  it('runs in its own worktree while the person edits, asks by notification, and reviews against the person\'s current files', async () => {
    const host = await patchpilot();
    const serverIndex = await useScriptedModel(script);
    const originalText = readWorkspaceFile('src/text.js');
    await host.runCommand('patchpilot.newBackgroundTask', [GOAL]);
    const task = await waitFor(() => host.background.list()[0] && host.background.find(host.background.list()[0].taskId), 'the background task');
    const worktree = task.worktreePath;
    assert.ok(fs.existsSync(worktree), 'the worktree exists while the task runs');
    assert.ok(!worktree.startsWith(workspaceRoot()), 'the worktree is outside the person\'s folder');

    // The command question comes as a notification while the person works elsewhere.
    const asked = await driver.ui<string[]>('notifications', { contains: 'wants to run `uname -s`' });
    assert.ok(asked.some((m) => m.includes('uname -s')), asked.join(' | '));
    assert.equal(readWorkspaceFile('src/math.js').includes('a + b'), false, 'the task\'s edit is in its worktree, not in the person\'s file');
    assert.match(fs.readFileSync(path.join(worktree, 'src/math.js'), 'utf8'), /return a \+ b;/);

    // Meanwhile the person edits: another file, a line at the top of math.js, and the very line the task changed last.
    edit('src/text.js', (text) => `// edited by the person\n${text}`);
    edit('src/math.js', (text) => `// person's header\n${text.replace('  return a * b;', '  return b * a;')}`);
    await driver.ui('clickNotificationButton', { message: 'wants to run `uname -s`', button: 'Run Command' });

    // The review waits; a notification says so, and its button opens the task's panel.
    await driver.ui('notifications', { contains: 'is waiting for your review' });
    await task.whenReviewReady();
    const review = task.panel.snapshot.review;
    assert.ok(review, 'the review is pending in the background task\'s panel');
    const math = review.files.find((file) => file.path === 'src/math.js');
    assert.ok(math, review.files.map((f) => f.path).join(', '));
    assert.equal(math.hunks.length, 2);
    assert.equal(math.hunks[0].conflict, undefined, 'add() still applies, moved by the person\'s header line');
    assert.ok(math.hunks[0].lines.some((line) => line.sign === ' ' && line.text === '// person\'s header'), 'the hunk is shown against the person\'s file');
    assert.match(math.hunks[1].conflict ?? '', /You changed line 7/);
    assert.equal(review.files.some((file) => file.path === 'src/text.js'), false, 'the person\'s own edit is not part of the task\'s changes');

    await driver.ui('clickNotificationButton', { message: 'is waiting for your review', button: 'Review Changes' });
    await driver.ui('webviewWaitFor', { selector: '.hunk-row[data-conflict="true"]' });
    const reasons = await driver.ui<string[]>('webviewTexts', { selector: '.conflict-reason' });
    assert.match(reasons[0] ?? '', /You changed line 7/);
    assert.equal(await driver.ui<string | null>('webviewAttribute', { selector: '.hunk-row[data-conflict="true"] button.accept', name: 'disabled' }), '',
      'a conflict cannot be accepted');
    await driver.ui('screenshot', { name: 'background-review-conflict' });
    await driver.ui('webviewClick', { selector: '.hunk-row[data-hunk="0"] button.accept' });
    await driver.ui('webviewClick', { selector: '#submit-review' });

    await waitFor(() => !fs.existsSync(worktree), 'the worktree to be removed after the review');
    const math2 = readWorkspaceFile('src/math.js');
    assert.match(math2, /^\/\/ person's header\n/);
    assert.match(math2, /return a \+ b;/, 'the accepted hunk is in the person\'s file');
    assert.match(math2, /return b \* a;/, 'the person\'s line is kept');
    assert.doesNotMatch(math2, /the product/, 'the conflicting hunk was not forced');
    assert.equal(readWorkspaceFile('src/text.js'), `// edited by the person\n${originalText}`);
    const { violations } = await driver.scriptedRequests(serverIndex);
    assert.deepEqual(violations, []);
    // The chat view's task list shows it as a background task with its state from taskState; choosing it opens its panel.
    await host.runCommand('patchpilot.focusChat', []);
    // The list's open state is the person's (kept across views): open it only when it is closed.
    if (await driver.ui<string | null>('webviewAttribute', { view: 'chat', selector: '#history-toggle', name: 'aria-expanded' }) !== 'true') {
      await driver.ui('webviewClick', { view: 'chat', selector: '#history-toggle' });
    }
    await driver.ui('webviewWaitFor', { view: 'chat', selector: '.history-item.background', hasText: 'background' });
    const [item] = await driver.ui<string[]>('webviewTexts', { view: 'chat', selector: '.history-item.background' });
    assert.match(item, /Fix add\(\) and document multiply\(\)/);
    assert.match(item, /not verified/, `the state after the review: ${item}`);
  });
});
