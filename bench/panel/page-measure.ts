// Runs inside the headless browser page (passed to page.evaluate, so each function must be self-contained: no
// imports, no closures over Node values). Posts the snapshot the way the host does, then times the first frame that shows the
// change set, time to interactive (no long task for a quiet window) and frame times while scrolling.

export interface PageFigures {
  firstPaintMs: number;
  interactiveMs: number;
  rowsInDom: number;
  clickToFrameMs: number;
  scrollFrameMs: number[];
  dragFrameMs: number[];
}

export interface PageInput {
  /** The HostToPanelMessage to post, or, for the baseline page, the review whose hunks it renders itself. */
  message: unknown;
  /** 'panel': the real bundle renders it. 'naive': every hunk line becomes a DOM node at once (the baseline). */
  mode: 'panel' | 'naive';
  scrollFrames: number;
  scrollStepPx: number;
  dragFrames: number;
  quietMs: number;
}

interface NaiveReview { files: { path: string; hunks: { header: string; lines: { sign: string; text: string }[] }[] }[] }

/** Evaluated first on the baseline page: the naive renderer measureInPage calls, every hunk line a DOM node. */
export function installNaiveRenderer(): void {
  const renderNaive = (review: NaiveReview): HTMLElement => {
    const scroller = document.createElement('div');
    scroller.id = 'changes';
    scroller.style.cssText = 'height:100vh;overflow:auto;font-family:monospace;font-size:13px';
    for (const file of review.files) {
      const head = document.createElement('div');
      head.className = 'file-row';
      head.textContent = file.path;
      scroller.appendChild(head);
      for (const hunk of file.hunks) {
        const box = document.createElement('div');
        box.className = 'hunk-row';
        const title = document.createElement('div');
        title.textContent = hunk.header;
        const accept = document.createElement('button');
        accept.className = 'accept';
        accept.textContent = 'Accept';
        accept.onclick = () => { accept.textContent = '✓ Accepted'; };
        box.append(title, accept);
        for (const line of hunk.lines) {
          const div = document.createElement('div');
          div.textContent = `${line.sign} ${line.text}`;
          box.appendChild(div);
        }
        scroller.appendChild(box);
      }
    }
    return scroller;
  };

  (window as unknown as { __renderNaive: typeof renderNaive }).__renderNaive = renderNaive;
}

export async function measureInPage(input: PageInput): Promise<PageFigures> {
  const w = window as unknown as { __longTasks: { start: number; end: number }[] };
  const nextFrame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)));
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  await nextFrame();
  const t0 = performance.now();
  if (input.mode === 'panel') {
    window.postMessage(input.message, '*');
  } else {
    // The same structured clone a posted message costs, then a full render.
    const cloned = structuredClone(input.message) as { state: { review: NaiveReview } };
    const renderNaive = (window as unknown as { __renderNaive: (review: NaiveReview) => HTMLElement }).__renderNaive;
    document.body.replaceChildren(renderNaive(cloned.state.review));
  }
  let paintedAt = await nextFrame();
  for (let i = 0; i < 600 && !document.querySelector('.hunk-row'); i++) paintedAt = await nextFrame();
  const firstPaintMs = paintedAt - t0;

  // Interactive: the main thread has been free of long tasks (> 50 ms) for a quiet window after the first paint.
  let lastLongTaskEnd = paintedAt;
  for (let waited = 0; waited < 10_000; waited += 50) {
    const after = w.__longTasks.filter((task) => task.end > t0);
    lastLongTaskEnd = Math.max(paintedAt, ...after.map((task) => task.end));
    if (performance.now() - lastLongTaskEnd >= input.quietMs) break;
    await sleep(50);
  }
  const interactiveMs = lastLongTaskEnd - t0;
  const rowsInDom = document.querySelectorAll('.hunk-row').length;

  const button = document.querySelector<HTMLButtonElement>('.hunk-row button.accept');
  const clickStart = performance.now();
  button?.click();
  const clickToFrameMs = (await nextFrame()) - clickStart;

  const scroller = document.getElementById('changes') as HTMLElement;
  const frameTimes = async (frames: number, step: number): Promise<number[]> => {
    const times: number[] = [];
    let previous = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
    for (let i = 0; i < frames; i++) {
      scroller.scrollTop += step;
      const now = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
      times.push(now - previous);
      previous = now;
    }
    return times;
  };
  scroller.scrollTop = 0;
  const scrollFrameMs = await frameTimes(input.scrollFrames, input.scrollStepPx);
  scroller.scrollTop = 0;
  const dragFrameMs = await frameTimes(input.dragFrames, Math.ceil(scroller.scrollHeight / input.dragFrames));
  return { firstPaintMs, interactiveMs, rowsInDom, clickToFrameMs, scrollFrameMs, dragFrameMs };
}
