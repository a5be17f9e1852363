// The sidebar's pieces that need no browser: where an @-mention starts, relative times, reading a saved state,
// request/reply with timeouts, and a stylesheet that takes every colour from the theme.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SidebarRequestMessage, SidebarState } from '../../../src/shared/sidebarProtocol';
import { emptySnapshot } from '../../../src/shared/viewModel';
import { relativeTime } from '../../../src/webview/sidebar/history';
import { mentionAt } from '../../../src/webview/sidebar/mentions';
import { createRpc } from '../../../src/webview/sidebar/rpc';
import { defaultPersisted, readPersisted, stateForSaving } from '../../../src/webview/sidebar/state';

const repoRoot = path.resolve(__dirname, '../../../..');

describe('sidebar: mentionAt', () => {
  it('finds an @ at the start or after whitespace, up to the caret', () => {
    assert.deepEqual(mentionAt('@src', 4), { start: 0, query: 'src' });
    assert.deepEqual(mentionAt('look at @ref now', 12), { start: 8, query: 'ref' });
    assert.deepEqual(mentionAt('line\n@', 6), { start: 5, query: '' });
    assert.deepEqual(mentionAt('look at @ref now', 10), { start: 8, query: 'r' }, 'only the part before the caret');
  });

  it('ignores an @ inside a word or a finished mention', () => {
    assert.equal(mentionAt('mail@example.com', 16), null);
    assert.equal(mentionAt('@src/a.ts and more', 18), null);
    assert.equal(mentionAt('@@x', 3), null);
  });
});

describe('sidebar: relativeTime', () => {
  const now = Date.UTC(2026, 11, 1, 12);
  it('says how long ago, coarsely', () => {
    assert.equal(relativeTime(now - 20_000, now), 'just now');
    assert.equal(relativeTime(now - 5 * 60_000, now), '5 min ago');
    assert.equal(relativeTime(now - 3 * 3_600_000, now), '3 h ago');
    assert.equal(relativeTime(now - 30 * 3_600_000, now), 'yesterday');
    assert.equal(relativeTime(now - 4 * 86_400_000, now), '4 days ago');
    assert.match(relativeTime(now - 40 * 86_400_000, now), /2026/);
    assert.equal(relativeTime(now + 60_000, now), 'just now', 'a clock a little ahead is not "in the future"');
  });
});

describe('sidebar: readPersisted', () => {
  it('falls back to the defaults for anything not saved by this view', () => {
    assert.deepEqual(readPersisted(undefined), defaultPersisted());
    assert.deepEqual(readPersisted({ version: 2, draft: 'x' }), defaultPersisted());
  });

  it('keeps the fields of the right type and completes an older task snapshot', () => {
    const saved = readPersisted({ version: 1, draft: 'half', attachActiveEditor: 'yes', historyOpen: true, scrollTop: 40, atBottom: false,
      state: { task: { taskId: 't', title: 'Old', timeline: [] }, tasks: [], sendMode: 'continue', blocked: null, activeEditor: null } });
    assert.equal(saved.draft, 'half');
    assert.equal(saved.attachActiveEditor, false, 'a wrong type falls back');
    assert.equal(saved.historyOpen, true);
    assert.equal(saved.scrollTop, 40);
    assert.equal(saved.state?.task?.streaming, null, 'fields newer than the saved snapshot are filled in');
    assert.equal(saved.state?.task?.title, 'Old');
  });
});

describe('sidebar: stateForSaving', () => {
  it('drops the hunks of a review, which the sidebar never shows, and keeps the rest', () => {
    const task = { ...emptySnapshot(), taskId: 't', review: { reviewId: 'r', title: 'Changes', mode: 'final' as const,
      files: [{ path: 'a.ts', change: 'modified' as const, added: 1, removed: 0, hunks: [{ index: 0, header: '@@', lines: [{ sign: '+', text: 'x' }] }] }] } };
    const state: SidebarState = { task, tasks: [], sendMode: 'continue', blocked: null, activeEditor: null, queue: [], queueRunning: false };
    const saved = stateForSaving(state);
    assert.deepEqual(saved.task?.review?.files, [{ path: 'a.ts', change: 'modified', added: 1, removed: 0, hunks: [] }]);
    assert.equal(task.review.files[0].hunks.length, 1, 'the live state is not changed');
    const noReview: SidebarState = { ...state, task: emptySnapshot() };
    assert.equal(stateForSaving(noReview), noReview);
  });
});

describe('sidebar: rpc', () => {
  it('settles each request by its own reply and drops unknown ids', async () => {
    const posted: SidebarRequestMessage[] = [];
    const rpc = createRpc((m) => posted.push(m), 1000);
    const stop = rpc.request('stop', {});
    const open = rpc.request('openTask', { taskId: 'a' });
    assert.deepEqual(posted.map((m) => [m.id, m.method]), [[1, 'stop'], [2, 'openTask']]);
    rpc.receive({ type: 'reply', id: 99, method: 'stop', ok: true, result: { stopped: false } });
    rpc.receive({ type: 'reply', id: 2, method: 'openTask', ok: true, result: { opened: true } });
    rpc.receive({ type: 'reply', id: 1, method: 'stop', ok: false, error: 'No task runs.' });
    assert.deepEqual(await open, { opened: true });
    await assert.rejects(stop, /No task runs\./);
  });

  it('fails a request whose reply does not come, saying what to do', async () => {
    const rpc = createRpc(() => undefined, 20);
    await assert.rejects(rpc.request('complete', { query: 'x' }), /did not answer \(complete\) within 0\.02 s\. Try again/);
  });
});

describe('sidebar: stylesheet', () => {
  it('takes every colour from VS Code theme variables', () => {
    const css = fs.readFileSync(path.join(repoRoot, 'media/sidebar.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    const literals = css.match(/#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklch|color-mix)\(|:\s*(?:white|black|red|green|blue|gray|grey|yellow|orange)\b/g);
    assert.deepEqual(literals, null);
    assert.ok((css.match(/var\(--vscode-/g) ?? []).length > 50, 'the colours are there, through variables');
  });
});
