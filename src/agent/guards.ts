// Budgets and loop guards: each stops the task with a clear reason, judged from outcomes (same failing tests after
// edits, the same call again with nothing changed in between) as well as from counts.
import type { Budgets, StopReason } from './events';

export const DEFAULT_BUDGETS: Budgets = {
  maxSteps: 40,
  maxTokens: null,
  maxCostUsd: null,
  maxWallMs: 30 * 60 * 1000,
  maxRepeatedCalls: 3,
  maxSameFailures: 3,
};

export interface Spend {
  steps: number;
  totalTokens: number;
  costUsd: number | null;
  elapsedMs: number;
}

export interface GuardStop { reason: StopReason; message: string }

export type CallVerdict = { kind: 'ok' } | { kind: 'warn'; message: string } | { kind: 'stop'; stop: GuardStop };

export class Guards {
  private readonly callCounts = new Map<string, number>();
  private lastFailureSignature: string | null = null;
  private sameFailureCount = 0;
  private editsSinceLastTestRun = 0;

  constructor(readonly budgets: Budgets) {}

  /** Checked before every model call and after every reply. */
  checkBudget(spend: Spend): GuardStop | null {
    const b = this.budgets;
    if (spend.steps >= b.maxSteps) return { reason: 'max_steps', message: `Stopped after ${spend.steps} steps (the limit is ${b.maxSteps}).` };
    if (b.maxTokens !== null && spend.totalTokens >= b.maxTokens) {
      return { reason: 'max_tokens', message: `Stopped: ${spend.totalTokens} tokens used (the limit is ${b.maxTokens}).` };
    }
    if (b.maxCostUsd !== null && spend.costUsd !== null && spend.costUsd >= b.maxCostUsd) {
      return { reason: 'max_cost', message: `Stopped: $${spend.costUsd.toFixed(4)} spent (the limit is $${b.maxCostUsd}).` };
    }
    if (b.maxWallMs !== null && spend.elapsedMs >= b.maxWallMs) {
      return { reason: 'max_time', message: `Stopped after ${Math.round(spend.elapsedMs / 1000)} s (the limit is ${Math.round(b.maxWallMs / 1000)} s).` };
    }
    return null;
  }

  /** An identical call (name + canonical arguments) repeated with no file change in between is a loop. */
  noteCall(name: string, args: unknown): CallVerdict {
    const key = `${name}:${canonicalJson(args)}`;
    const count = (this.callCounts.get(key) ?? 0) + 1;
    this.callCounts.set(key, count);
    if (count >= this.budgets.maxRepeatedCalls) {
      return { kind: 'stop', stop: { reason: 'repeated_call', message: `Stopped: ${name} was called ${count} times with the same arguments and nothing changed in between.` } };
    }
    if (count > 1) {
      return { kind: 'warn', message: `Note: you already made this exact ${name} call and nothing has changed since; its result is the same. Do something different.` };
    }
    return { kind: 'ok' };
  }

  noteFileChanged(): void {
    this.callCounts.clear();
    this.editsSinceLastTestRun++;
  }

  /** Counts failing test runs with the same signature that followed edits; too many means no progress. */
  noteTestRun(signature: string): GuardStop | null {
    const afterEdits = this.editsSinceLastTestRun > 0;
    this.editsSinceLastTestRun = 0;
    // A test run changes what the model knows, so the same read afterwards is not a loop.
    this.callCounts.clear();
    if (signature === 'pass') {
      this.lastFailureSignature = null;
      this.sameFailureCount = 0;
      return null;
    }
    if (signature !== this.lastFailureSignature) {
      this.lastFailureSignature = signature;
      this.sameFailureCount = 1;
      return null;
    }
    if (afterEdits) this.sameFailureCount++;
    if (this.sameFailureCount >= this.budgets.maxSameFailures) {
      return { reason: 'no_progress', message: `Stopped: the same tests failed the same way after ${this.sameFailureCount} attempts with edits in between.` };
    }
    return null;
  }

  get sameFailures(): number {
    return this.sameFailureCount;
  }
}

/** JSON with sorted keys, so argument order does not hide a repeated call. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
