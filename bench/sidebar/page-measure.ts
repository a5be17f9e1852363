// Runs inside the headless browser page (passed to page.evaluate, so it must be self-contained: no imports, no
// closures over Node values). Posts the sidebar's `state` the way the host does and times the first frame that
// shows the whole conversation; then posts streaming `taskPatch` deltas 22–38 ms apart and times each from the post
// to the end of the first animation frame whose DOM holds the new text.

export interface StreamDelta {
  /** The HostToSidebarMessage to post. */
  message: unknown;
  /** Where the new text shows, and the text it must end with once the delta is on screen. */
  selector: string;
  tail: string;
}

export interface SidebarPageInput {
  /** The `state` message, or null on the floor page (which has no conversation to paint). */
  state: unknown;
  entries: number;
  deltas: StreamDelta[];
  /** Pause between posts, one per delta: jittered, so posts land at every phase of the frame clock as tokens do. */
  intervalsMs: number[];
  quietMs: number;
}

export interface SidebarPageFigures {
  firstPaintMs: number;
  deltaMs: number[];
  /** Nodes added to or removed from the timeline while streaming: 0 when only text nodes change. */
  timelineMutations: number;
  /** Deltas whose text never showed within 60 frames (their time is then meaningless). */
  missed: number;
}

export async function measureSidebarInPage(input: SidebarPageInput): Promise<SidebarPageFigures> {
  const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  // After the rAF callbacks the frame's style, layout and paint run; a zero timeout lands after them.
  const afterFrame = (): Promise<number> => new Promise((resolve) => setTimeout(() => resolve(performance.now()), 0));
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  let firstPaintMs = 0;
  if (input.state !== null) {
    await frame();
    const t0 = performance.now();
    window.postMessage(input.state, '*');
    for (let i = 0; i < 600; i++) {
      await frame();
      if (document.querySelectorAll('#timeline > li').length >= input.entries) break;
    }
    firstPaintMs = (await afterFrame()) - t0;
    await sleep(input.quietMs);
  }

  let timelineMutations = 0;
  const timeline = document.getElementById('timeline');
  const observer = new MutationObserver((records) => { for (const r of records) timelineMutations += r.addedNodes.length + r.removedNodes.length; });
  if (timeline) observer.observe(timeline, { childList: true, subtree: true });

  const deltaMs: number[] = [];
  let missed = 0;
  for (const [index, delta] of input.deltas.entries()) {
    const t0 = performance.now();
    window.postMessage(delta.message, '*');
    let shown = false;
    for (let i = 0; i < 60 && !shown; i++) {
      await frame();
      shown = (document.querySelector(delta.selector)?.textContent ?? '').endsWith(delta.tail);
    }
    if (!shown) missed++;
    const shownAt = await afterFrame();
    deltaMs.push(shownAt - t0);
    const wait = t0 + (input.intervalsMs[index] ?? 30) - performance.now();
    if (wait > 0) await sleep(wait);
  }
  observer.disconnect();
  return { firstPaintMs, deltaMs, timelineMutations, missed };
}
