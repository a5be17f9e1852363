// What the sidebar keeps through VS Code's getState/setState, so a hidden view comes back as it was without waiting
// for the host: the last state it showed, the draft, the attach toggle, whether the history is open, the scroll.
import type { SidebarState } from '../../shared/sidebarProtocol';
import { emptySnapshot } from '../../shared/viewModel';

export interface SidebarPersisted {
  version: 1;
  state: SidebarState | null;
  draft: string;
  attachActiveEditor: boolean;
  historyOpen: boolean;
  scrollTop: number;
  /** Whether the person was following the end of the conversation; then it comes back scrolled to the end. */
  atBottom: boolean;
}

export function defaultPersisted(): SidebarPersisted {
  return { version: 1, state: null, draft: '', attachActiveEditor: false, historyOpen: false, scrollTop: 0, atBottom: true };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads what an earlier page saved. Field by field: a state saved by an older build may lack newer fields, and a
 * field of the wrong type falls back to its default rather than breaking the view.
 */
export function readPersisted(value: unknown): SidebarPersisted {
  const base = defaultPersisted();
  if (!isRecord(value) || value.version !== 1) return base;
  const pick = <K extends keyof SidebarPersisted>(key: K, type: 'string' | 'boolean' | 'number'): SidebarPersisted[K] =>
    (typeof value[key] === type ? value[key] : base[key]) as SidebarPersisted[K];
  return {
    version: 1,
    state: readState(value.state),
    draft: pick('draft', 'string'),
    attachActiveEditor: pick('attachActiveEditor', 'boolean'),
    historyOpen: pick('historyOpen', 'boolean'),
    scrollTop: pick('scrollTop', 'number'),
    atBottom: pick('atBottom', 'boolean'),
  };
}

function readState(value: unknown): SidebarState | null {
  if (!isRecord(value) || !Array.isArray(value.tasks)) return null;
  // Saved by this view from a host message: trusted in shape, completed with the fields newer snapshots added.
  const state = value as unknown as Partial<SidebarState> & Pick<SidebarState, 'tasks'>;
  return { sendMode: 'new', blocked: null, activeEditor: null, ...state, queue: Array.isArray(state.queue) ? state.queue : [],
    queueRunning: state.queueRunning === true, task: state.task ? { ...emptySnapshot(), ...state.task } : null };
}

/**
 * What is worth keeping of a state: the sidebar shows only that a review waits and how many files it has, so the
 * hunks (thousands, in a large change set) are not saved every few hundred milliseconds while a reply streams.
 */
export function stateForSaving(state: SidebarState): SidebarState {
  const review = state.task?.review;
  if (!state.task || !review) return state;
  return { ...state, task: { ...state.task, review: { ...review, files: review.files.map((file) => ({ ...file, hunks: [] })) } } };
}

/**
 * Saves at most every `intervalMs` while changes keep coming (streaming patches arrive every ~30 ms, and a
 * debounce would never fire), and at once when asked or when the page is being hidden.
 */
export class Persistence {
  private current: SidebarPersisted;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly save: (state: SidebarPersisted) => void, initial: SidebarPersisted, private readonly intervalMs = 250) {
    this.current = initial;
    document.addEventListener('visibilitychange', () => this.flush());
    window.addEventListener('pagehide', () => this.flush());
  }

  get value(): Readonly<SidebarPersisted> {
    return this.current;
  }

  update(change: Partial<Omit<SidebarPersisted, 'version'>>, immediate = false): void {
    this.current = { ...this.current, ...change };
    if (immediate) this.flush();
    else if (this.timer === undefined) this.timer = setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.save(this.current);
  }
}
