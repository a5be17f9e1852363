// Drives the sidebar bundle in Chromium for the browser tests: plays the host (posts messages, waits for the
// view's requests and replies to them), and reads what the fake VS Code API recorded.
import type { Page } from 'playwright-core';
import type { HostToSidebarMessage, SidebarMethod, SidebarParams, SidebarRequestMessage, SidebarResult, SidebarToHostMessage } from '../../../src/shared/sidebarProtocol';
import type { Chromium, FakeHostWindow } from '../../../bench/sidebar/page';

export interface OpenOptions {
  /** What getState returns on load (a view coming back after being hidden). */
  persisted?: unknown;
  width?: number;
  height?: number;
}

type RequestOf<M extends SidebarMethod> = Extract<SidebarRequestMessage, { method: M }>;

export class SidebarPage {
  readonly errors: string[] = [];
  private readonly answered = new Set<number>();

  private constructor(readonly page: Page) {
    page.on('pageerror', (error) => this.errors.push(error.message));
  }

  static async open(chromium: Chromium, file: string, options: OpenOptions = {}): Promise<SidebarPage> {
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width: options.width ?? 300, height: options.height ?? 800 });
    const view = new SidebarPage(page);
    if (options.persisted !== undefined) {
      await page.addInitScript((state) => { (window as unknown as FakeHostWindow).__initialState = state; }, options.persisted);
    }
    await page.goto(`file://${file}`);
    await page.waitForFunction(() => (window as unknown as FakeHostWindow).__posted.some((m) => (m as { type?: string }).type === 'ready'));
    return view;
  }

  async post(message: HostToSidebarMessage): Promise<void> {
    await this.page.evaluate((m) => window.postMessage(m, '*'), message);
  }

  /** Posts a message and waits for the frame after it, so the DOM shows it. */
  async postAndSettle(message: HostToSidebarMessage): Promise<void> {
    await this.post(message);
    await this.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
  }

  async posted(): Promise<SidebarToHostMessage[]> {
    return (await this.page.evaluate(() => (window as unknown as FakeHostWindow).__posted)) as SidebarToHostMessage[];
  }

  async requests<M extends SidebarMethod>(method: M): Promise<RequestOf<M>[]> {
    return (await this.posted()).filter((m): m is RequestOf<M> => m.type === 'request' && m.method === method);
  }

  /** The first request of `method` not answered yet (with these params, if given), waiting for it to be posted. */
  async nextRequest<M extends SidebarMethod>(method: M, params?: Partial<SidebarParams<M>>, timeoutMs = 5000): Promise<RequestOf<M>> {
    const handle = await this.page.waitForFunction(([wanted, where, skip]) => (window as unknown as FakeHostWindow).__posted
      .find((m) => {
        const r = m as { type?: string; method?: string; id?: number; params?: Record<string, unknown> };
        return r.type === 'request' && r.method === wanted && !skip.includes(r.id ?? -1)
          && Object.entries(where).every(([key, value]) => r.params?.[key] === value);
      }), [method, (params ?? {}) as Record<string, unknown>, [...this.answered]] as const, { timeout: timeoutMs });
    const request = (await handle.jsonValue()) as RequestOf<M>;
    this.answered.add(request.id);
    return request;
  }

  async reply<M extends SidebarMethod>(request: RequestOf<M>, result: SidebarResult<M>): Promise<void> {
    // Built as the host would: the reply names the method and id of the request it answers.
    const reply = { type: 'reply', id: request.id, method: request.method, ok: true, result } as HostToSidebarMessage;
    await this.post(reply);
  }

  async saved(): Promise<unknown> {
    return this.page.evaluate(() => (window as unknown as FakeHostWindow).__saved);
  }

  async cspViolations(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as FakeHostWindow).__cspViolations);
  }

  async text(selector: string): Promise<string> {
    return (await this.page.locator(selector).textContent()) ?? '';
  }

  close(): Promise<void> {
    return this.page.close();
  }
}
