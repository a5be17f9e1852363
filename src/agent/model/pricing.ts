// Token prices come from configuration only: a cost is reported when the model's price is known, never guessed.
import type { TokenUsage } from '../ports';

/** USD per million tokens, keyed by model name as configured (e.g. "gpt-4o-mini"). */
export type Pricing = Record<string, { inputPerMTok: number; outputPerMTok: number }>;

// Providers answer with dated snapshots ("gpt-4o-2024-08-06") of the configured alias.
const DATED_SUFFIX = /-(\d{4}-\d{2}-\d{2}|\d{4})$/;

/** The price entry for a model: an exact name, else the same name without a date suffix. Never a prefix guess. */
export function priceFor(model: string, pricing: Pricing | undefined): Pricing[string] | undefined {
  if (!pricing) return undefined;
  if (Object.prototype.hasOwnProperty.call(pricing, model)) return pricing[model];
  const undated = model.replace(DATED_SUFFIX, '');
  return undated !== model && Object.prototype.hasOwnProperty.call(pricing, undated) ? pricing[undated] : undefined;
}

/** USD for one call, or null when the model has no configured price. */
export function costOf(model: string, promptTokens: number, completionTokens: number, pricing: Pricing | undefined): number | null {
  const price = priceFor(model, pricing);
  if (!price) return null;
  return (promptTokens * price.inputPerMTok + completionTokens * price.outputPerMTok) / 1_000_000;
}

export interface UsageTotals {
  promptTokens: number;
  completionTokens: number;
  /** Sum of the costs that are known; null when no call had a known price. A lower bound unless costKnown. */
  costUsd: number | null;
  /** True when every call had a known price (vacuously true with no calls), so costUsd is the whole cost. */
  costKnown: boolean;
  calls: number;
  /** Calls whose token counts were estimated because the server reported none. */
  estimatedCalls: number;
}

/** Accumulates usage over the calls of one task (or any other scope the owner chooses). */
export class UsageTracker {
  private promptTokens = 0;
  private completionTokens = 0;
  private knownCost: number | null = null;
  private unpricedCalls = 0;
  private calls = 0;
  private estimatedCalls = 0;
  private last: TokenUsage | null = null;

  add(usage: TokenUsage): void {
    this.promptTokens += usage.promptTokens;
    this.completionTokens += usage.completionTokens;
    this.calls += 1;
    if (usage.estimated) this.estimatedCalls += 1;
    if (usage.costUsd === null) this.unpricedCalls += 1;
    else this.knownCost = (this.knownCost ?? 0) + usage.costUsd;
    this.last = usage;
  }

  /** The usage of the most recent call, or null before the first. */
  lastCall(): TokenUsage | null {
    return this.last;
  }

  totals(): UsageTotals {
    return {
      promptTokens: this.promptTokens,
      completionTokens: this.completionTokens,
      costUsd: this.knownCost,
      costKnown: this.unpricedCalls === 0,
      calls: this.calls,
      estimatedCalls: this.estimatedCalls,
    };
  }
}
