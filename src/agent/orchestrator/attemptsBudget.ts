// How parallel attempts share one task's budget and the machine: each attempt gets its share of the steps, tokens
// and cost (so their sum never exceeds the task's), and of the wall time per wave of attempts that run at once.
import { availableParallelism, cpus } from 'node:os';
import type { Budgets } from '../events';

/**
 * Attempts that run at once: as many as the machine has cores, or the number asked for (`--parallel`, which may exceed
 * the cores: an attempt mostly waits for its model), never more than there are attempts.
 */
export function attemptParallelism(count: number, cap?: number, cores: number = machineCores()): number {
  return Math.max(1, Math.min(count, cap ?? Math.max(1, cores)));
}

function machineCores(): number {
  return typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;
}

/**
 * One attempt's budget out of the task's. Steps, tokens and cost are divided evenly (rounded down, at least one step);
 * wall time is divided by the number of waves (ceil(count / parallel)): attempts of one wave run side by side.
 * The repetition and same-failure guards are per conversation and stay as they are.
 */
export function attemptBudget(total: Budgets, count: number, parallel: number): Budgets {
  const waves = Math.ceil(count / Math.max(1, parallel));
  return {
    ...total,
    maxSteps: Math.max(1, Math.floor(total.maxSteps / count)),
    maxTokens: total.maxTokens === null ? null : Math.max(1, Math.floor(total.maxTokens / count)),
    maxCostUsd: total.maxCostUsd === null ? null : total.maxCostUsd / count,
    maxWallMs: total.maxWallMs === null ? null : Math.max(1, Math.floor(total.maxWallMs / waves)),
  };
}
