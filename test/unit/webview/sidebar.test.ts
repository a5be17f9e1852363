// The sidebar conversation view in a real Chromium: the bundle under the host's CSP with a fake host that answers
// its requests. Skips (saying why) without Chromium or the bundle, unless PATCHPILOT_REQUIRE_BROWSER is set.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MentionItem } from '../../../src/shared/sidebarProtocol';
import type { TimelineEntry } from '../../../src/shared/viewModel';
import { conversationSnapshot, sidebarState, timelineEntry } from '../../../bench/sidebar/fixtures';
import { chromiumPath, launchChromium, sidebarUnavailable, writeSidebarPage, type Chromium } from '../../../bench/sidebar/page';
import { SidebarPage } from './sidebarPage';

const MENTIONS: MentionItem[] = [
  { kind: 'file', label: 'refresh.ts', detail: 'src/auth/refresh.ts', insert: '@src/auth/refresh.ts' },
  { kind: 'file', label: 'refresh.test.ts', detail: 'test/auth/refresh.test.ts', insert: '@test/auth/refresh.test.ts' },
  { kind: 'problems', label: 'Problems', detail: '3 errors', insert: '@problems' },
];

describe('sidebar view (Chromium)', function () {
  this.timeout(30_000);
  let chromium: Chromium | undefined;
  let pages: { dark: string; light: string };
  let view: SidebarPage;
  const opened: SidebarPage[] = [];
  const artifacts = path.resolve(__dirname, '../../../../test-artifacts/sidebar');

  before(async function () {
    const missing = sidebarUnavailable(chromiumPath());
    if (missing) {
      if (process.env.PATCHPILOT_REQUIRE_BROWSER) throw new Error(`PATCHPILOT_REQUIRE_BROWSER is set but ${missing}`);
      console.log(`      skipped: ${missing}`);
      this.skip();
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-sidebar-page-'));
    pages = { dark: writeSidebarPage(dir, 'dark'), light: writeSidebarPage(dir, 'light') };
    chromium = await launchChromium();
  });

  after(async () => {
    await chromium?.close();
  });

  async function open(options: Parameters<typeof SidebarPage.open>[2] & { theme?: 'dark' | 'light' } = {}): Promise<SidebarPage> {
    if (!chromium) throw new Error('Chromium did not start');
    view = await SidebarPage.open(chromium, pages[options.theme ?? 'dark'], options);
    opened.push(view);
    return view;
  }

  /** A view showing a running task of `entries` timeline entries. */
  async function openWithTask(entries = 6, options: Parameters<typeof open>[0] = {}): Promise<SidebarPage> {
    const opened = await open(options);
    await opened.postAndSettle({ type: 'state', state: sidebarState(conversationSnapshot(entries)) });
    return opened;
  }

  afterEach(async function () {
    for (const page of opened.splice(0)) {
      const violations = await page.cspViolations();
      await page.close();
      // Every test doubles as a check that the view breaks neither the CSP nor itself.
      if (this.currentTest?.state === 'passed') {
        assert.deepEqual(violations, [], 'no Content-Security-Policy violations');
        assert.deepEqual(page.errors, [], 'no page errors');
      }
    }
  });

  it('sends ready once, first, then renders the state the host answers with', async () => {
    await open();
    assert.deepEqual(await view.posted(), [{ type: 'ready' }]);
    assert.equal(await view.page.locator('#welcome').isVisible(), true, 'a welcome before any task');
    await view.postAndSettle({ type: 'state', state: sidebarState(conversationSnapshot(6)) });
    assert.equal(await view.text('#goal'), 'Make the token refresh retry once on a 401, and keep the tests green.');
    assert.match((await view.page.locator('#goal').getAttribute('title')) ?? '', /expanded mentions/, 'the expanded prompt in the tooltip');
    assert.equal(await view.text('#status'), 'Running');
    assert.equal(await view.page.locator('#timeline > li').count(), 6);
    assert.equal(await view.page.locator('#welcome').isVisible(), false);
    assert.equal((await view.posted()).filter((m) => m.type === 'ready').length, 1);
  });

  it('Enter sends the text, Shift+Enter breaks the line, and an accepted send clears the draft', async () => {
    await open();
    await view.postAndSettle({ type: 'state', state: sidebarState(null, { activeEditor: null }) });
    await view.page.locator('#composer-input').click();
    await view.page.keyboard.type('first line');
    await view.page.keyboard.press('Shift+Enter');
    await view.page.keyboard.type('second line');
    assert.deepEqual(await view.requests('send'), [], 'Shift+Enter did not send');
    assert.equal(await view.page.locator('#composer-input').inputValue(), 'first line\nsecond line');
    await view.page.keyboard.press('Enter');
    const send = await view.nextRequest('send');
    assert.deepEqual(send.params, { text: 'first line\nsecond line', attachActiveEditor: false, fixTests: false });
    await view.reply(send, { accepted: true, message: 'Started' });
    await view.page.waitForFunction(() => (document.getElementById('composer-input') as HTMLTextAreaElement).value === '');
    assert.equal(await view.page.locator('#composer-error').isVisible(), false);
  });

  it('grows the composer with its text up to a few lines, then scrolls; focusComposer puts the keyboard there', async () => {
    await openWithTask();
    const input = view.page.locator('#composer-input');
    const height = () => input.evaluate((e) => e.getBoundingClientRect().height);
    const empty = await height();
    await view.post({ type: 'focusComposer' });
    await view.page.waitForFunction(() => document.activeElement?.id === 'composer-input');
    await view.page.keyboard.type('one');
    for (const line of ['two', 'three', 'four']) {
      await view.page.keyboard.press('Shift+Enter');
      await view.page.keyboard.type(line);
    }
    const four = await height();
    assert.ok(four > empty + 20, `four lines are taller (${empty} → ${four} px)`);
    for (let i = 0; i < 12; i++) await view.page.keyboard.press('Shift+Enter');
    const many = await height();
    assert.ok(many < 260 && many > four, `capped (${many} px)`);
    assert.ok(await input.evaluate((e) => e.scrollHeight > e.clientHeight), 'the rest scrolls inside the box');
  });

  it('keeps the text and shows the reason when the host does not accept a message', async () => {
    await openWithTask();
    await view.page.locator('#composer-input').fill('please also update the docs');
    await view.page.locator('#send').click();
    const send = await view.nextRequest('send');
    await view.reply(send, { accepted: false, message: 'The task is waiting for your review; decide the changes first.' });
    await view.page.locator('#composer-error').waitFor({ state: 'visible' });
    assert.equal(await view.text('#composer-error'), 'The task is waiting for your review; decide the changes first.');
    assert.equal(await view.page.locator('#composer-input').inputValue(), 'please also update the docs');
  });

  it('labels Send by the send mode and offers Fix failing tests only for a new task', async () => {
    await open();
    await view.postAndSettle({ type: 'state', state: sidebarState(null) });
    assert.equal(await view.text('#send'), 'Start task');
    assert.equal(await view.page.locator('#fix-tests').isVisible(), true);
    assert.equal(await view.page.locator('#new-conversation').isVisible(), false, 'no conversation to leave yet');
    await view.postAndSettle({ type: 'state', state: sidebarState(conversationSnapshot(2), { sendMode: 'new' }) });
    assert.equal(await view.page.locator('#new-conversation').isVisible(), true, 'a conversation to leave');
    await view.postAndSettle({ type: 'sidebarPatch', patch: { sendMode: 'steer' } });
    assert.equal(await view.text('#send'), 'Send to the running task');
    assert.equal(await view.page.locator('#fix-tests').isVisible(), false);
    await view.postAndSettle({ type: 'sidebarPatch', patch: { sendMode: 'continue' } });
    assert.equal(await view.text('#send'), 'Continue this task');
    await view.page.locator('#new-conversation').click();
    const request = await view.nextRequest('newConversation');
    assert.deepEqual(request.params, {});
  });

  it('sends Fix failing tests with the attach chip toggled on', async () => {
    await open();
    await view.postAndSettle({ type: 'state', state: sidebarState(null) });
    const chip = view.page.locator('#attach-editor');
    assert.equal(await chip.textContent(), 'Attach refreshTokenRotationHandler.ts');
    assert.equal(await chip.getAttribute('aria-pressed'), 'false');
    await chip.click();
    assert.equal(await chip.getAttribute('aria-pressed'), 'true');
    await view.page.locator('#fix-tests').click();
    const send = await view.nextRequest('send');
    assert.deepEqual(send.params, { text: '', attachActiveEditor: true, fixTests: true });
  });

  it('disables the composer with the reason while sending is blocked', async () => {
    await open();
    await view.postAndSettle({ type: 'state', state: sidebarState(null, { blocked: 'Open a folder to start a task.' }) });
    assert.equal(await view.page.locator('#composer-input').isDisabled(), true);
    assert.equal(await view.page.locator('#send').isDisabled(), true);
    assert.equal(await view.text('#composer-blocked'), 'Open a folder to start a task.');
    await view.postAndSettle({ type: 'sidebarPatch', patch: { blocked: null } });
    assert.equal(await view.page.locator('#composer-input').isDisabled(), false);
    assert.equal(await view.page.locator('#composer-blocked').isVisible(), false);
  });

  it('completes an @-mention from the host: one debounced request, arrows move, Enter inserts', async () => {
    await openWithTask();
    const input = view.page.locator('#composer-input');
    await input.click();
    await view.page.keyboard.type('look at @ref');
    const complete = await view.nextRequest('complete');
    assert.deepEqual(complete.params, { query: 'ref' });
    assert.equal((await view.requests('complete')).length, 1, 'keystrokes within the debounce make one request');
    assert.equal(await input.getAttribute('aria-expanded'), 'true');
    await view.reply(complete, { items: MENTIONS });
    await view.page.locator('#mention-option-2').waitFor();
    assert.equal(await view.page.locator('#mention-list').getAttribute('role'), 'listbox');
    assert.equal(await view.page.locator('#mention-list [role=option]').count(), 3);
    assert.equal(await input.getAttribute('aria-activedescendant'), 'mention-option-0');
    await view.page.keyboard.press('ArrowDown');
    assert.equal(await input.getAttribute('aria-activedescendant'), 'mention-option-1');
    assert.equal(await view.page.locator('#mention-option-1').getAttribute('aria-selected'), 'true');
    await view.page.keyboard.press('ArrowUp');
    await view.page.keyboard.press('ArrowUp');
    assert.equal(await input.getAttribute('aria-activedescendant'), 'mention-option-2', 'ArrowUp wraps to the end');
    await view.page.keyboard.press('ArrowDown');
    await view.page.keyboard.press('ArrowDown');
    await view.page.keyboard.press('Enter');
    assert.equal(await input.inputValue(), 'look at @test/auth/refresh.test.ts ');
    assert.equal(await view.page.locator('#mention-popup').isVisible(), false);
    assert.equal(await input.getAttribute('aria-expanded'), 'false');
    assert.equal(await input.getAttribute('aria-activedescendant'), null);
    assert.deepEqual(await view.requests('send'), [], 'Enter picked the mention and did not send');
  });

  it('inserts with Tab and with the mouse, closes with Escape, and opens only at a word start', async () => {
    await openWithTask();
    const input = view.page.locator('#composer-input');
    await input.click();
    await view.page.keyboard.type('mail@example');
    await view.page.waitForTimeout(150);
    assert.equal(await input.getAttribute('aria-expanded'), 'false', 'an @ inside a word is not a mention');
    await view.page.keyboard.type(' @');
    await view.reply(await view.nextRequest('complete', { query: '' }), { items: MENTIONS });
    await view.page.locator('#mention-option-0').waitFor();
    await view.page.keyboard.press('Tab');
    assert.equal(await input.inputValue(), 'mail@example @src/auth/refresh.ts ');
    assert.equal(await view.page.evaluate(() => document.activeElement?.id), 'composer-input', 'Tab inserted and kept the focus');
    await view.page.keyboard.type('@pro');
    await view.reply(await view.nextRequest('complete', { query: 'pro' }), { items: MENTIONS });
    await view.page.locator('#mention-option-2').click();
    assert.equal(await input.inputValue(), 'mail@example @src/auth/refresh.ts @problems ');
    await view.page.keyboard.type('@');
    await view.reply(await view.nextRequest('complete', { query: '' }), { items: MENTIONS });
    await view.page.locator('#mention-option-0').waitFor();
    await view.page.keyboard.press('Escape');
    assert.equal(await view.page.locator('#mention-popup').isVisible(), false);
    await view.page.keyboard.press('Enter');
    const send = await view.nextRequest('send');
    assert.equal(send.params.text, 'mail@example @src/auth/refresh.ts @problems @', 'after Escape, Enter sends again');
  });

  it('ignores a completion reply that arrives after a newer query', async () => {
    await openWithTask();
    await view.page.locator('#composer-input').click();
    await view.page.keyboard.type('@a');
    const first = await view.nextRequest('complete', { query: 'a' });
    await view.page.keyboard.type('b');
    const second = await view.nextRequest('complete', { query: 'ab' });
    await view.reply(second, { items: [{ kind: 'file', label: 'ab.ts', insert: '@ab.ts' }] });
    await view.page.locator('#mention-option-0').waitFor();
    await view.reply(first, { items: [{ kind: 'file', label: 'a.ts', insert: '@a.ts' }, { kind: 'file', label: 'a2.ts', insert: '@a2.ts' }] });
    await view.page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));
    assert.deepEqual(await view.page.locator('#mention-list .mention-label').allTextContents(), ['ab.ts']);
  });

  it('shows the streaming reply before it ends, updating its text in place, then the finished entry instead', async () => {
    await openWithTask(6);
    await view.page.evaluate(() => { (window as unknown as { firstEntry: Element | null }).firstEntry = document.querySelector('#timeline > li'); });
    await view.postAndSettle({ type: 'taskPatch', patch: { streaming: { step: 4, text: 'The retry now', calls: [] } } });
    assert.equal(await view.page.locator('#streaming').isVisible(), true);
    assert.equal(await view.text('#streaming-text'), 'The retry now');
    await view.page.evaluate(() => { (window as unknown as { textNode: Node | null }).textNode = document.getElementById('streaming-text')?.firstChild ?? null; });
    await view.postAndSettle({ type: 'taskPatch', patch: { streaming: { step: 4, text: 'The retry now stores the token first.', calls: [{ name: 'edit_file', argsText: '{"path": "src/au' }] } } });
    assert.equal(await view.text('#streaming-text'), 'The retry now stores the token first.');
    assert.equal(await view.text('#streaming .stream-call pre'), '{"path": "src/au');
    assert.equal(await view.page.evaluate(() => document.getElementById('streaming-text')?.firstChild === (window as unknown as { textNode: Node }).textNode), true,
      'the same text node, updated in place');
    const final: TimelineEntry = { kind: 'model', step: 4, text: 'The retry now stores the token first.' };
    await view.postAndSettle({ type: 'taskPatch', patch: { streaming: null, timelineAppend: [final] } });
    assert.equal(await view.page.locator('#streaming').isVisible(), false);
    assert.equal(await view.page.locator('#timeline > li').count(), 7);
    assert.equal(await view.text('#timeline > li:last-child .prose'), 'The retry now stores the token first.');
    assert.equal(await view.page.evaluate(() => document.querySelector('#timeline > li') === (window as unknown as { firstEntry: Element }).firstEntry), true,
      'earlier entries are kept, not re-rendered');
  });

  it('appends a follow-up as a user bubble and keeps the end in view', async () => {
    await openWithTask(120);
    const atEnd = () => view.page.evaluate(() => {
      const c = document.getElementById('conversation') as HTMLElement;
      return c.scrollHeight - c.scrollTop - c.clientHeight < 2;
    });
    assert.equal(await atEnd(), true, 'a conversation opens at its end');
    await view.postAndSettle({ type: 'taskPatch', patch: { timelineAppend: [{ kind: 'user', text: 'Also log the retry.', followUp: true }] } });
    const last = view.page.locator('#timeline > li:last-child .entry.user.follow-up');
    assert.equal(await last.locator('.prose').textContent(), 'Also log the retry.');
    assert.equal(await last.locator('.entry-head').textContent(), 'You (follow-up)');
    await view.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
    assert.equal(await atEnd(), true, 'followed the new bubble');
    await view.page.locator('#conversation').evaluate((c) => { c.scrollTop = 0; });
    await view.page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));
    await view.postAndSettle({ type: 'taskPatch', patch: { timelineAppend: [{ kind: 'note', level: 'info', text: 'More.' }] } });
    assert.equal(await view.page.locator('#conversation').evaluate((c) => c.scrollTop), 0, 'a person reading further up is not pulled down');
  });

  it('lists the history; choosing another task calls openTask, by click and by Enter', async () => {
    await openWithTask();
    const toggle = view.page.locator('#history-toggle');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await toggle.textContent(), 'Tasks (3)');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const live = view.page.locator('#history-list [aria-current=true]');
    assert.match((await live.textContent()) ?? '', /current.*running.*3 min ago/);
    assert.equal(await view.page.locator('#history-list button.history-item').count(), 2, 'the live task is no button');
    await view.page.locator('button.history-item[data-task-id="task-old-1"]').click();
    assert.deepEqual((await view.nextRequest('openTask')).params, { taskId: 'task-old-1' });
    await view.page.locator('button.history-item[data-task-id="task-old-2"]').focus();
    await view.page.keyboard.press('Enter');
    assert.deepEqual((await view.nextRequest('openTask')).params, { taskId: 'task-old-2' });
    assert.match(await view.text('button.history-item[data-task-id="task-old-1"] .history-time'), /^5 h ago$/);
  });

  it('answers the command question, stops the task and opens the review', async () => {
    await openWithTask();
    await view.postAndSettle({ type: 'taskPatch', patch: { question: { questionId: 'q-7', command: 'npm install left-pad', reason: 'Not in the allow rules.' } } });
    assert.equal(await view.text('#question-command'), 'npm install left-pad');
    await view.page.locator('#question-run').click();
    assert.deepEqual((await view.nextRequest('answerCommand')).params, { questionId: 'q-7', run: true });
    await view.page.locator('#question-deny').click();
    assert.deepEqual((await view.nextRequest('answerCommand')).params, { questionId: 'q-7', run: false });
    await view.page.locator('#stop').click();
    assert.deepEqual((await view.nextRequest('stop')).params, {});
    assert.equal(await view.page.locator('#open-review').count(), 0, 'no review button without a review');
    await view.postAndSettle({ type: 'taskPatch', patch: { status: 'review', question: null,
      review: { reviewId: 'r1', title: 'Changes', mode: 'final', files: [{ path: 'src/a.ts', change: 'modified', added: 1, removed: 1, hunks: [] }] } } });
    assert.equal(await view.text('#open-review'), 'Review changes (1 file)');
    await view.page.locator('#open-review').click();
    assert.deepEqual((await view.nextRequest('openReview')).params, {});
    await view.postAndSettle({ type: 'taskPatch', patch: { status: 'verified', review: null } });
    assert.equal(await view.page.locator('#stop').isVisible(), false, 'no Stop once the task is over');
  });

  it('offers nothing to act on in a read-only task', async () => {
    await open();
    const task = conversationSnapshot(4, { readOnly: true, status: 'review', question: { questionId: 'q', command: 'npm test', reason: 'Asked.' },
      review: { reviewId: 'r', title: 'Changes', mode: 'ask', files: [] } });
    await view.postAndSettle({ type: 'state', state: sidebarState(task) });
    assert.equal(await view.page.locator('#conversation button:enabled').count(), 0, 'no question, stop or review to act on');
    assert.equal(await view.page.locator('#open-review').isDisabled(), true);
    assert.equal(await view.page.locator('#stop').isVisible(), false);
  });

  it('comes back as it was from getState: conversation, draft, attach toggle, history and scroll', async () => {
    const persisted = {
      version: 1, state: sidebarState(conversationSnapshot(80)), draft: 'half-typed\nthought', attachActiveEditor: true,
      historyOpen: true, scrollTop: 300, atBottom: false,
    };
    await open({ persisted });
    await view.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
    assert.equal(await view.page.locator('#timeline > li').count(), 80, 'rendered before the host answers');
    assert.equal(await view.page.locator('#composer-input').inputValue(), 'half-typed\nthought');
    assert.equal(await view.page.locator('#attach-editor').getAttribute('aria-pressed'), 'true');
    assert.equal(await view.page.locator('#history-list').isVisible(), true);
    assert.equal(await view.page.locator('#conversation').evaluate((c) => c.scrollTop), 300);
    // The host's answer to `ready` repeats the task with one more entry: the restored view is updated, not rebuilt.
    await view.page.evaluate(() => { (window as unknown as { firstEntry: Element | null }).firstEntry = document.querySelector('#timeline > li'); });
    await view.postAndSettle({ type: 'state', state: sidebarState(conversationSnapshot(81)) });
    assert.equal(await view.page.locator('#timeline > li').count(), 81);
    assert.equal(await view.page.evaluate(() => document.querySelector('#timeline > li') === (window as unknown as { firstEntry: Element }).firstEntry), true);
    assert.equal(await view.page.locator('#conversation').evaluate((c) => c.scrollTop), 300, 'still where the person left it');
    await view.page.locator('#composer-input').fill('changed');
    await view.page.waitForFunction(() => (window as unknown as { __saved?: { draft?: string } }).__saved?.draft === 'changed');
    const saved = (await view.saved()) as { attachActiveEditor: boolean; historyOpen: boolean; state: { task: { timeline: unknown[] } } };
    assert.equal(saved.attachActiveEditor, true);
    assert.equal(saved.historyOpen, true);
    assert.equal(saved.state.task.timeline.length, 81);
  });

  it('fits 300 px: no horizontal overflow with long paths, commands and open tool output', async () => {
    await openWithTask(40);
    await view.postAndSettle({ type: 'taskPatch', patch: { question: { questionId: 'q', command: `node ${'very/long/path/'.repeat(12)}script.js --flag`, reason: 'Outside the allow rules.' } } });
    await view.page.locator('#history-toggle').click();
    await view.page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    await view.page.locator('#composer-input').click();
    await view.page.keyboard.type('@');
    await view.reply(await view.nextRequest('complete'), { items: [{ kind: 'file', label: 'x'.repeat(80), detail: 'y/'.repeat(80), insert: '@x' }] });
    await view.page.locator('#mention-option-0').waitFor();
    const overflow = await view.page.evaluate(() => {
      const conversation = document.getElementById('conversation') as HTMLElement;
      const wide = Array.from(document.querySelectorAll<HTMLElement>('#app *'))
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !e.closest('pre'))
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
      return { page: document.documentElement.scrollWidth, conversation: conversation.scrollWidth - conversation.clientWidth, wide: wide.slice(0, 5) };
    });
    assert.deepEqual(overflow, { page: 300, conversation: 0, wide: [] });
  });

  it('reaches every control with Tab, in reading order, with a visible focus ring', async () => {
    await openWithTask(3);
    await view.postAndSettle({ type: 'taskPatch', patch: { review: { reviewId: 'r', title: 'Changes', mode: 'final', files: [] } } });
    // Send is enabled only with something to send.
    // Typed in from the page, so the keyboard's starting point stays at the top.
    await view.page.evaluate(() => {
      const input = document.getElementById('composer-input') as HTMLTextAreaElement;
      input.value = 'a message';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const order: string[] = [];
    const outlines: string[] = [];
    for (let i = 0; i < 30 && !order.includes('send'); i++) {
      await view.page.keyboard.press('Tab');
      const focused = await view.page.evaluate(() => {
        const e = document.activeElement as HTMLElement;
        return { id: e.id || e.tagName.toLowerCase(), outline: getComputedStyle(e).outlineStyle };
      });
      order.push(focused.id);
      outlines.push(focused.outline);
    }
    const wanted = ['history-toggle', 'stop', 'open-review', 'attach-editor', 'composer-input', 'new-conversation', 'send'];
    assert.deepEqual(order.filter((id) => wanted.includes(id)), wanted);
    assert.ok(order.includes('summary'), 'folded tool calls are reachable');
    assert.deepEqual(outlines.filter((o) => o === 'none'), [], 'every focused control shows an outline');
  });

  for (const theme of ['dark', 'light'] as const) {
    it(`renders with the ${theme} theme's variables (screenshot in test-artifacts/sidebar)`, async () => {
      // A conversation short enough to show header, plan, entries, the streaming reply and the composer in one screen.
      await open({ theme });
      await view.postAndSettle({ type: 'state', state: sidebarState(conversationSnapshot(0, { timeline: [0, 1, 3, 4].map(timelineEntry) })) });
      await view.postAndSettle({ type: 'taskPatch', patch: { streaming: { step: 3, text: 'The retry runs before the new token is stored. Moving the store first', calls: [] } } });
      await view.page.locator('#composer-input').fill('Also add a test for a second 401 in a row');
      const colours = await view.page.evaluate(() => ({
        body: getComputedStyle(document.body).backgroundColor,
        send: getComputedStyle(document.getElementById('send') as HTMLElement).backgroundColor,
      }));
      const expected = theme === 'dark' ? { body: 'rgb(24, 24, 24)', send: 'rgb(0, 120, 212)' } : { body: 'rgb(248, 248, 248)', send: 'rgb(0, 95, 184)' };
      assert.deepEqual(colours, expected);
      fs.mkdirSync(artifacts, { recursive: true });
      await view.page.screenshot({ path: path.join(artifacts, `sidebar-${theme}.png`) });
    });
  }
});
