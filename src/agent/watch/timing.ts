// The timing rules of watch mode, kept pure so they are tested without waiting: a debouncer that fires once after
// the changes stop, and the proposal policy (a cap on proposals, a doubling delay after a failed one, giving up on a
// failure after N failed proposals in a row).

/** The timer functions, injected so tests drive time by hand. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Calls `fire` once, `delayMs` after the last poke: a burst of file changes (a save, a checkout) is one test run. */
export class Debouncer {
  private handle: unknown = null;

  constructor(private readonly delayMs: number, private readonly fire: () => void, private readonly timers: Timers = realTimers) {}

  poke(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = this.timers.setTimeout(() => {
      this.handle = null;
      this.fire();
    }, this.delayMs);
  }

  get pending(): boolean {
    return this.handle !== null;
  }

  cancel(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
  }
}

export interface ProposalPolicyOptions {
  /** Most proposals in one watch session. */
  maxProposals: number;
  /** Failed proposals in a row for the same failure after which it is given up. */
  maxFailedInARow: number;
  /** Wait after the first failed proposal for a failure; doubled after each further one. */
  backoffMs: number;
  /** The longest wait (default one hour). */
  backoffMaxMs?: number;
}

export type ProposalDecision =
  | { propose: true }
  | { propose: false; why: 'limit_reached' | 'gave_up' | 'backing_off' | 'already_proposed'; retryAt?: number; text: string };

interface FailureRecord {
  failedInARow: number;
  nextAllowedAt: number;
  /** A proposal that made the tests pass is waiting for the person: not proposed again until the tests were green. */
  proposed: boolean;
}

export class ProposalPolicy {
  private readonly failures = new Map<string, FailureRecord>();
  private made = 0;

  constructor(private readonly options: ProposalPolicyOptions) {}

  get proposalsMade(): number {
    return this.made;
  }

  decide(signature: string, now: number): ProposalDecision {
    if (this.made >= this.options.maxProposals) {
      return { propose: false, why: 'limit_reached', text: `${this.made} proposals made, the most this session makes (--max-proposals ${this.options.maxProposals})` };
    }
    const record = this.failures.get(signature);
    if (!record) return { propose: true };
    if (record.proposed) return { propose: false, why: 'already_proposed', text: 'a proposal for this failure is waiting for review' };
    if (record.failedInARow >= this.options.maxFailedInARow) {
      return { propose: false, why: 'gave_up', text: `${record.failedInARow} proposals in a row did not fix this failure; no more for it` };
    }
    if (now < record.nextAllowedAt) {
      return { propose: false, why: 'backing_off', retryAt: record.nextAllowedAt,
        text: `backing off after ${record.failedInARow} failed proposal${record.failedInARow === 1 ? '' : 's'}: next one no sooner than in ${Math.ceil((record.nextAllowedAt - now) / 1000)} s` };
    }
    return { propose: true };
  }

  started(): void {
    this.made++;
  }

  finished(signature: string, fixed: boolean, now: number): void {
    const record = this.failures.get(signature) ?? { failedInARow: 0, nextAllowedAt: 0, proposed: false };
    if (fixed) {
      record.proposed = true;
      record.failedInARow = 0;
      record.nextAllowedAt = 0;
    } else {
      record.failedInARow++;
      const delay = this.options.backoffMs * 2 ** (record.failedInARow - 1);
      record.nextAllowedAt = now + Math.min(delay, this.options.backoffMaxMs ?? 3_600_000);
    }
    this.failures.set(signature, record);
  }

  /** The tests passed: a failure seen again later may get a new proposal (failed-in-a-row counts are kept). */
  testsPassed(): void {
    for (const record of this.failures.values()) record.proposed = false;
  }
}
