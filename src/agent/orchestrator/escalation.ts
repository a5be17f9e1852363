// Escalation: the task starts on the cheap model and, when the no-progress guard fires, goes on with the strong one
// instead of stopping — once per task, journaled with the reason. Other stops (budgets, repeated calls) stand.
import type { RoleName } from '../events';
import type { GuardStop } from '../guards';
import type { Journal } from '../journal';
import type { ModelClient } from '../ports';

/** The parts of the loop and its guards an escalation touches. */
export interface EscalationTarget {
  readonly model: ModelClient;
  useModel(model: ModelClient): void;
}

export class EscalationPolicy {
  private escalatedTo: ModelClient | null = null;

  /** `strong`: the model to escalate to (none: never escalate); `alreadyEscalated`: the journal says it happened. */
  constructor(private readonly strong: ModelClient | undefined, private alreadyEscalated = false) {
    if (alreadyEscalated && strong) this.escalatedTo = strong;
  }

  /** The strong model to switch to instead of this stop, or null when the stop stands. Only the coder escalates. */
  decide(stop: GuardStop, role: RoleName | undefined, current: ModelClient): ModelClient | null {
    if (!this.strong || this.alreadyEscalated) return null;
    if (stop.reason !== 'no_progress') return null;
    if (role !== undefined && role !== 'coder') return null;
    if (current === this.strong) return null;
    return this.strong;
  }

  /**
   * Applies the decision: switches the loop's model, journals `escalated` and lets the caller reset the no-progress
   * count. True when it escalated (the stop is dropped), false when the stop stands.
   */
  apply(stop: GuardStop, role: RoleName | undefined, target: EscalationTarget, journal: Journal, step: number, resetGuard: () => void): boolean {
    const strong = this.decide(stop, role, target.model);
    if (!strong) return false;
    journal.append({ type: 'escalated', from: target.model.model, to: strong.model, reason: stop.message, step });
    target.useModel(strong);
    resetGuard();
    this.alreadyEscalated = true;
    this.escalatedTo = strong;
    return true;
  }

  /** The coder's model from now on: the strong one once escalated. */
  coderModel(configured: ModelClient): ModelClient {
    return this.escalatedTo ?? configured;
  }
}
