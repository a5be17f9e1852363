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

/** Malformed or schema-invalid calls in a row before the task stops; text-only replies likewise. */
export const MAX_INVALID_CALLS_IN_A_ROW = 3;
export const MAX_TEXT_ONLY_REPLIES_IN_A_ROW = 3;

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
  private sameFailureCount = 0;
  private editsSinceLastTestRun = 0;
  private invalidInARow = 0;
  private textOnlyInARow = 0;

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

  /**
   * Judges a test run by its outcome against the previous one (the ledger's `progress`): the same failures, new
   * failures in place of fixed ones, or a return to an earlier failure (A→B→A) after edits is no progress; too many
   * in a row stops the task. A run with nothing named and a signature never seen before is given the benefit of doubt.
   */
  noteTestRun(progress: boolean | null, passed: boolean): GuardStop | null {
    const afterEdits = this.editsSinceLastTestRun > 0;
    this.editsSinceLastTestRun = 0;
    // A test run changes what the model knows, so the same read afterwards is not a loop.
    this.callCounts.clear();
    if (passed) {
      this.sameFailureCount = 0;
      return null;
    }
    // A failing run that moved forward (or the first one) starts a new count: this state, seen once.
    if (progress !== false) {
      this.sameFailureCount = 1;
      return null;
    }
    if (afterEdits) this.sameFailureCount++;
    if (this.sameFailureCount >= this.budgets.maxSameFailures) {
      return { reason: 'no_progress', message: `Stopped: ${this.sameFailureCount} test runs in a row after edits made no progress (the same failures, new failures in place of fixed ones, or a return to an earlier failure).` };
    }
    return null;
  }

  /** A call that could not even be run (malformed JSON, arguments against the schema, an unknown tool). */
  noteInvalidCall(error: string): GuardStop | null {
    this.invalidInARow++;
    if (this.invalidInARow < MAX_INVALID_CALLS_IN_A_ROW) return null;
    return { reason: 'invalid_calls', message: `Stopped: ${this.invalidInARow} tool calls in a row could not be run. The last error: ${error}` };
  }

  noteValidCall(): void {
    this.invalidInARow = 0;
    this.textOnlyInARow = 0;
  }

  /** A reply with text but no tool call and no finish. */
  noteTextOnlyReply(): GuardStop | null {
    this.textOnlyInARow++;
    if (this.textOnlyInARow < MAX_TEXT_ONLY_REPLIES_IN_A_ROW) return null;
    return { reason: 'no_tool_calls', message: `Stopped: ${this.textOnlyInARow} replies in a row had no tool call; the model did not act or call finish.` };
  }

  /** A fresh start for the no-progress count: a stronger model took over, and gets its own runs before a stop. */
  resetNoProgress(): void {
    this.sameFailureCount = 0;
    this.editsSinceLastTestRun = 0;
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
