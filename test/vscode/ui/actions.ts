// What the in-host tests can ask the runner to do in the workbench with Playwright, the way a person would.
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';

export interface ActionContext {
  page: Page;
  artifactsDir: string;
  scenario: string;
  lap(message: string): void;
}

type Args = Record<string, unknown>;

function text(args: Args, key: string): string {
  const value = args[key];
  if (typeof value !== 'string') throw new Error(`UI action needs a string "${key}"`);
  return value;
}

function optionalNumber(args: Args, key: string, fallback: number): number {
  const value = args[key];
  return typeof value === 'number' ? value : fallback;
}

// Webview views (the chat) load with purpose=webviewView; editor webviews (the review and history panels) without it.
// Of several editor webviews only the one in view is visible.
const PANEL_FRAME = 'iframe.webview.ready:not([src*="purpose=webviewView"]):visible';
const CHAT_FRAME = 'iframe.webview.ready[src*="purpose=webviewView"]';

function panel(page: Page): FrameLocator {
  return page.frameLocator(PANEL_FRAME).first().frameLocator('#active-frame');
}

function chat(page: Page): FrameLocator {
  return page.frameLocator(CHAT_FRAME).first().frameLocator('#active-frame');
}

function locate(frame: FrameLocator, args: Args): Locator {
  const base = frame.locator(text(args, 'selector'));
  const hasText = args.hasText;
  return typeof hasText === 'string' ? base.filter({ hasText }) : base;
}

/**
 * The element in the webview that has it. Several editor panels can be visible at once (Task History opens beside
 * a pending review, a background task has a panel of its own): the first panel frame that holds a match wins, so
 * a test never waits on the wrong panel because of the order VS Code happened to create them in.
 */
async function inPanel(page: Page, args: Args): Promise<Locator> {
  if (args.view === 'chat') return locate(chat(page), args);
  const frames = await page.locator(PANEL_FRAME).count();
  for (let i = 0; i < frames; i++) {
    const candidate = locate(page.frameLocator(PANEL_FRAME).nth(i).frameLocator('#active-frame'), args);
    if ((await candidate.count().catch(() => 0)) > 0) return candidate;
  }
  return locate(panel(page), args);
}

async function workbenchReady(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
}

export async function screenshot(ctx: ActionContext, args: Args): Promise<string> {
  const file = path.join(ctx.artifactsDir, `${ctx.scenario}-${text(args, 'name')}.png`);
  await ctx.page.screenshot({ path: file });
  ctx.lap(`screenshot ${path.basename(file)}`);
  return file;
}

export async function runCommand(ctx: ActionContext, args: Args): Promise<void> {
  const { page } = ctx;
  await workbenchReady(page);
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${text(args, 'title')}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text(args, 'title') }).first();
  await row.waitFor({ state: 'visible', timeout: 15000 });
  await input.press('Enter');
  ctx.lap(`palette: ${text(args, 'title')}`);
}

export async function paletteItems(ctx: ActionContext, args: Args): Promise<string[]> {
  const { page } = ctx;
  await workbenchReady(page);
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.fill(`>${text(args, 'query')}`);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: 15000 });
  const labels = await page.locator('.quick-input-list .monaco-list-row .label-name').allTextContents();
  await page.keyboard.press('Escape');
  return labels.map((label) => label.replace(/\s+/g, ' ').trim());
}

/** Answers an open input box or quick pick: types the value and presses Enter. */
export async function quickInput(ctx: ActionContext, args: Args): Promise<void> {
  const input = ctx.page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  await input.fill(text(args, 'value'));
  if (typeof args.pick === 'string') {
    await ctx.page.locator('.quick-input-list .monaco-list-row', { hasText: args.pick }).first().waitFor({ state: 'visible', timeout: 15000 });
  }
  await input.press('Enter');
}

export async function webviewWaitFor(ctx: ActionContext, args: Args): Promise<number> {
  const deadline = Date.now() + optionalNumber(args, 'timeoutMs', 30000);
  // Polled across the visible panels: the one that will hold it may not have it yet.
  for (;;) {
    const locator = await inPanel(ctx.page, args);
    const remaining = Math.max(0, deadline - Date.now());
    try {
      await locator.first().waitFor({ state: 'visible', timeout: Math.min(remaining, 1000) });
      return locator.count();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
  }
}

export async function webviewClick(ctx: ActionContext, args: Args): Promise<void> {
  await (await inPanel(ctx.page, args)).first().click({ timeout: optionalNumber(args, 'timeoutMs', 15000) });
}

export async function webviewFill(ctx: ActionContext, args: Args): Promise<void> {
  await (await inPanel(ctx.page, args)).first().fill(text(args, 'value'), { timeout: 15000 });
}

export async function webviewPress(ctx: ActionContext, args: Args): Promise<void> {
  await (await inPanel(ctx.page, args)).first().press(text(args, 'key'), { timeout: 15000 });
}

export async function webviewTexts(ctx: ActionContext, args: Args): Promise<string[]> {
  return (await inPanel(ctx.page, args)).allTextContents();
}

export async function webviewAttribute(ctx: ActionContext, args: Args): Promise<string | null> {
  return (await inPanel(ctx.page, args)).first().getAttribute(text(args, 'name'), { timeout: 15000 });
}

/** The text of the visible terminal (DOM renderer), waiting until it contains `contains` when given. */
export async function terminalText(ctx: ActionContext, args: Args): Promise<string> {
  const rows = ctx.page.locator('.terminal-wrapper.active .xterm-rows, .xterm-rows').first();
  await rows.waitFor({ state: 'visible', timeout: 30000 });
  if (typeof args.contains === 'string') {
    await rows.filter({ hasText: args.contains }).waitFor({ timeout: optionalNumber(args, 'timeoutMs', 30000) });
  }
  return (await rows.innerText()).replace(/\u00a0/g, ' ');
}

export async function notifications(ctx: ActionContext, args: Args): Promise<string[]> {
  const toasts = ctx.page.locator('.notification-toast .notification-list-item-message');
  if (typeof args.contains === 'string') {
    const timeout = optionalNumber(args, 'timeoutMs', 20000);
    try {
      await toasts.filter({ hasText: args.contains }).first().waitFor({ state: 'visible', timeout: timeout / 2 });
    } catch (error) {
      // VS Code toasts only a few notifications at once and folds the rest into the notification centre: a
      // notification that was shown but not toasted is found there (the centre is closed again afterwards).
      const inCentre = ctx.page.locator('.notifications-center .notification-list-item-message').filter({ hasText: args.contains }).first();
      await runCommand(ctx, { title: 'Notifications: Show Notifications' });
      try {
        await inCentre.waitFor({ state: 'visible', timeout: timeout / 2 });
      } catch {
        throw error;
      } finally {
        await runCommand(ctx, { title: 'Notifications: Hide Notifications' }).catch(() => undefined);
      }
      return [...await toasts.allTextContents(), ...await ctx.page.locator('.notifications-center .notification-list-item-message').allTextContents()];
    }
  }
  return toasts.allTextContents();
}

export async function clickNotificationButton(ctx: ActionContext, args: Args): Promise<void> {
  const toast = ctx.page.locator('.notification-toast', { hasText: text(args, 'message') }).first();
  await toast.locator('.monaco-button', { hasText: text(args, 'button') }).first().click({ timeout: 20000 });
}

export async function dialogButton(ctx: ActionContext, args: Args): Promise<string> {
  const dialog = ctx.page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: optionalNumber(args, 'timeoutMs', 20000) });
  const message = await dialog.locator('.dialog-message-text, .dialog-message').first().innerText();
  await dialog.locator('.monaco-button', { hasText: text(args, 'button') }).first().click();
  return message;
}

export async function pressKeys(ctx: ActionContext, args: Args): Promise<void> {
  for (const key of text(args, 'keys').split(' ')) await ctx.page.keyboard.press(key);
}

/** Types text where the keyboard focus is, a key at a time (as a person would, so input events fire). */
export async function typeText(ctx: ActionContext, args: Args): Promise<void> {
  await ctx.page.keyboard.type(text(args, 'text'), { delay: optionalNumber(args, 'delayMs', 5) });
}

/** Resizes the browser window's viewport (e.g. 900×700). */
export async function setViewport(ctx: ActionContext, args: Args): Promise<void> {
  await ctx.page.setViewportSize({ width: optionalNumber(args, 'width', 1440), height: optionalNumber(args, 'height', 900) });
}

/** Whether an element's top is on screen (a tall hunk may reach below the fold; its start must be visible). */
export async function webviewInView(ctx: ActionContext, args: Args): Promise<boolean> {
  const element = (await inPanel(ctx.page, args)).first();
  await element.waitFor({ state: 'attached', timeout: 15000 });
  return element.evaluate((node) => {
    const rect = node.getBoundingClientRect();
    return rect.height > 0 && rect.top >= 0 && rect.top < window.innerHeight - 16;
  });
}

/** What has the keyboard focus inside a webview: the focused element's data-key, id and class names. */
export async function webviewFocus(ctx: ActionContext, args: Args): Promise<{ key: string | null; id: string; className: string }> {
  const frame = args.view === 'chat' ? chat(ctx.page) : panel(ctx.page);
  return frame.locator('body').evaluate(() => {
    const active = document.activeElement as HTMLElement | null;
    return { key: active?.getAttribute('data-key') ?? null, id: active?.id ?? '', className: active?.className ?? '' };
  });
}

/** The open quick pick: its placeholder and item labels, once an item with `contains` (or any item) is listed. */
export async function quickPickState(ctx: ActionContext, args: Args): Promise<{ placeholder: string; labels: string[] }> {
  const input = ctx.page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  const rows = ctx.page.locator('.quick-input-list .monaco-list-row');
  const wanted = typeof args.contains === 'string' ? rows.filter({ hasText: args.contains }) : rows;
  await wanted.first().waitFor({ state: 'visible', timeout: optionalNumber(args, 'timeoutMs', 15000) });
  if (typeof args.placeholderContains === 'string') {
    const expected = args.placeholderContains;
    await ctx.page.waitForFunction((needle) => {
      const field = document.querySelector<HTMLInputElement>('.quick-input-widget input');
      return field !== null && field.placeholder.includes(needle);
    }, expected, { timeout: 15000 });
  }
  const labels = await ctx.page.locator('.quick-input-list .monaco-list-row .label-name').allTextContents();
  return { placeholder: (await input.getAttribute('placeholder')) ?? '', labels: labels.map((l) => l.replace(/\s+/g, ' ').trim()) };
}

/** The status bar items' texts, once one contains `contains` (when given). */
export async function statusBarTexts(ctx: ActionContext, args: Args): Promise<string[]> {
  const items = ctx.page.locator('.statusbar-item');
  if (typeof args.contains === 'string') {
    await items.filter({ hasText: args.contains }).first().waitFor({ state: 'visible', timeout: optionalNumber(args, 'timeoutMs', 15000) });
  }
  return (await items.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

/** Whether an element of the workbench itself (not a webview) is on screen, e.g. the panel part with the terminals. */
export async function workbenchVisible(ctx: ActionContext, args: Args): Promise<boolean> {
  return ctx.page.locator(text(args, 'selector')).first().isVisible();
}
