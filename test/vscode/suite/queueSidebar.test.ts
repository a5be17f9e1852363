// The task queue in the chat view: two tasks added from the composer with "Add to Queue", run one after another in the
// workspace by "Run Queue", both done and listed with their state, and on disk in .patchpilot/queue (so a reload keeps
// them). Then with patchpilot.queue.parallel a queued task runs in a worktree: the person's file stays as it is, and
// "Review" in the list opens its proposal in a panel; accepting writes it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { driver } from './driver';
import { patchpilot, readWorkspaceFile, resetWorkspace, setSetting, useScriptedModel, waitFor, workspaceRoot } from './helpers';

const edit = (search: string, replace: string) => ({ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search, replace }] } });
const finish = (summary: string) => ({ name: 'finish', arguments: { summary } });

function entriesOnDisk(): { id: string; testCommand: string | null; summary: string | null; state: string; status: string | null; goal: string; proposal: string | null; appliedAt: string | null }[] {
  const dir = path.join(workspaceRoot(), '.patchpilot', 'queue');
  return fs.readdirSync(dir).filter((name) => /^q-.*\.json$/.test(name)).sort()
    .map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')));
}

async function openChat(): Promise<void> {
  const host = await patchpilot();
  await host.runCommand('patchpilot.focusChat', []);
  await driver.ui('webviewWaitFor', { view: 'chat', selector: '#composer-input' });
}

async function addFromComposer(text: string, expected: number): Promise<void> {
  await driver.ui('webviewFill', { view: 'chat', selector: '#composer-input', value: text });
  await driver.ui('webviewClick', { view: 'chat', selector: '#add-to-queue' });
  await waitFor(async () => (await driver.ui<number>('webviewWaitFor', { view: 'chat', selector: '#queue-list li' })) === expected, `${expected} queue entries in the list`);
}

describe('queue in the sidebar', () => {
  before(() => resetWorkspace());
  // Settings are cleared between tests (helpers.settle): each test sets its own.
  beforeEach(() => setSetting('testCommand', 'node --test test/'));
  after(async () => {
    await setSetting('testCommand', undefined);
    await setSetting('queue.parallel', undefined);
    resetWorkspace();
  });

  it('adds two tasks from the composer, runs them one after another, and lists both as done', async () => {
    const host = await patchpilot();
    const serverIndex = await useScriptedModel({ turns: [
      { expect: ['Fix add()'], tool_calls: [edit('  return a - b;', '  return a + b;')] },
      { tool_calls: [finish('add() adds.')] },
      { expect: ['Document multiply()'], tool_calls: [edit('  return a * b;', '  return a * b; // the product')] },
      { tool_calls: [finish('multiply() documented.')] },
    ] });
    await openChat();
    await addFromComposer('Fix add()', 1);
    await addFromComposer('Document multiply()', 2);
    assert.deepEqual(entriesOnDisk().map((entry) => [entry.goal, entry.state]), [['Fix add()', 'queued'], ['Document multiply()', 'queued']]);
    await driver.ui('screenshot', { name: 'queue-two-queued' });

    await driver.ui('webviewClick', { view: 'chat', selector: '#run-queue' });
    await waitFor(() => entriesOnDisk().every((entry) => entry.state === 'done'), 'both entries done', 90000);
    await waitFor(() => !host.queue.isRunning, 'the runner to end');
    assert.deepEqual(entriesOnDisk().map((entry) => entry.status), ['verified', 'verified']);
    await driver.ui('webviewWaitFor', { view: 'chat', selector: '#queue-list li[data-state="done"]', hasText: 'Document multiply()' });
    const items = await driver.ui<string[]>('webviewTexts', { view: 'chat', selector: '#queue-list li' });
    assert.equal(items.length, 2);
    for (const item of items) assert.match(item, /done: verified/, item);
    assert.match(readWorkspaceFile('src/math.js'), /return a \+ b;[\s\S]*return a \* b; \/\/ the product/, 'in place, one after the other');
    await driver.ui('screenshot', { name: 'queue-two-done' });
    const { violations } = await driver.scriptedRequests(serverIndex);
    assert.deepEqual(violations, []);
  });

  it('with patchpilot.queue.parallel runs in a worktree and offers the result for review; the file changes only when accepted', async () => {
    const host = await patchpilot();
    resetWorkspace();
    await setSetting('queue.parallel', 1);
    await useScriptedModel({ turns: [
      { expect: ['Fix add() in a worktree'], tool_calls: [edit('  return a - b;', '  return a + b;')] },
      { tool_calls: [finish('add() adds.')] },
    ] });
    await openChat();
    // The entries of the first test are still there (done): the queue keeps its history on disk.
    await addFromComposer('Fix add() in a worktree', entriesOnDisk().length + 1);
    await host.runCommand('patchpilot.runQueue', []);
    const entry = entriesOnDisk().find((e) => e.goal === 'Fix add() in a worktree');
    assert.ok(entry);
    assert.equal(entry.testCommand, 'node --test test/');
    assert.equal(entry.state, 'done');
    assert.equal(entry.status, 'verified', entry.summary ?? '');
    assert.ok(entry.proposal, 'the result is a proposal');
    assert.match(readWorkspaceFile('src/math.js'), /return a - b;/, 'the person\'s file is untouched');
    await driver.ui('webviewClick', { view: 'chat', selector: '.queue-review' });
    await driver.ui('webviewWaitFor', { selector: '.hunk-row[data-hunk="0"]' });
    await driver.ui('screenshot', { name: 'queue-proposal-review' });
    await driver.ui('webviewClick', { selector: '.hunk-row[data-hunk="0"] button.accept' });
    await driver.ui('webviewClick', { selector: '#submit-review' });
    await waitFor(() => /return a \+ b;/.test(readWorkspaceFile('src/math.js')), 'the accepted hunk in the person\'s file');
    await waitFor(() => entriesOnDisk().find((e) => e.id === entry.id)?.appliedAt, 'the entry marked applied');
    await driver.ui('webviewWaitFor', { view: 'chat', selector: '#queue-list li', hasText: 'applied' });
    await driver.ui('screenshot', { name: 'queue-applied' });
  });
});
