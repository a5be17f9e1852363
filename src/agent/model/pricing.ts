// Token prices: the person's own (a profile, --price-input/--price-output, the extension's settings) first, then the
// small dated table in prices.json. A cost is reported when the model's price is known, never guessed from a prefix.
import type { TokenUsage } from '../ports';
import table from './prices.json';

/** USD per million tokens, keyed by model name as configured (e.g. "gpt-4o-mini"). */
export type Pricing = Record<string, { inputPerMTok: number; outputPerMTok: number }>;

// Providers answer with dated snapshots ("gpt-4o-2024-08-06") of the configured alias.
const DATED_SUFFIX = /-(\d{4}-\d{2}-\d{2}|\d{4})$/;

/** The price entry for a model: an exact name, else the same name without a date suffix. Never a prefix guess. */
export function priceFor(model: string, pricing: Pricing | undefined): Pricing[string] | undefined {
  if (!pricing) return undefined;
  // Gemini's OpenAI endpoint names its models "models/gemini-2.5-pro".
  for (const name of new Set([model, model.replace(/^models\//, '')])) {
    if (Object.prototype.hasOwnProperty.call(pricing, name)) return pricing[name];
    const undated = name.replace(DATED_SUFFIX, '');
    if (undated !== name && Object.prototype.hasOwnProperty.call(pricing, undated)) return pricing[undated];
  }
  return undefined;
}

/** USD for one call, or null when the model has no configured price. */
export function costOf(model: string, promptTokens: number, completionTokens: number, pricing: Pricing | undefined): number | null {
  const price = priceFor(model, pricing);
  if (!price) return null;
  return (promptTokens * price.inputPerMTok + completionTokens * price.outputPerMTok) / 1_000_000;
}

/** The date of the built-in price table. */
export const DEFAULT_PRICES_DATE: string = table.asOf;

/** The built-in table (prices.json): common models, each with its source. */
export const DEFAULT_PRICES: Pricing = Object.fromEntries(
  Object.entries(table.models).map(([model, entry]) => [model, { inputPerMTok: entry.inputPerMillion, outputPerMTok: entry.outputPerMillion }]),
);

/** Where a model's price comes from: the person's own prices, the built-in table, or nowhere. */
export type PriceBasis = { kind: 'configured' } | { kind: 'default'; asOf: string } | { kind: 'unknown' };

export function priceBasis(model: string, configured: Pricing | undefined, useDefaults = true): PriceBasis {
  if (priceFor(model, configured)) return { kind: 'configured' };
  if (useDefaults && priceFor(model, DEFAULT_PRICES)) return { kind: 'default', asOf: DEFAULT_PRICES_DATE };
  return { kind: 'unknown' };
}

/** The person's prices over the built-in table (or only theirs when the table is off). */
export function effectivePricing(configured: Pricing | undefined, useDefaults = true): Pricing {
  return useDefaults ? { ...DEFAULT_PRICES, ...configured } : { ...configured };
}

/** How a cost should be labelled: "estimate (prices of 2026-12-01)", "your prices", or "price unknown". */
export function describePriceBasis(basis: PriceBasis): string {
  switch (basis.kind) {
    case 'configured': return 'estimate (your prices)';
    case 'default': return `estimate (prices of ${basis.asOf})`;
    default: return 'price unknown';
  }
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
