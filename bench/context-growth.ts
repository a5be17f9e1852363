// context_growth: prompt tokens of every request over a 200-step scripted task that reads many files, once with
// condensing at a configured window and once with a keep-everything baseline (a window too large to ever condense),
// in the same run. Token counts are the scripted server's (characters / 4) and deterministic, so one run each.
import { benchMain } from './support/main';
import { round, sum, type BenchEntries } from './support/stats';
import { runScriptedTask, type TaskShape } from './support/scripted-task';

const SHAPE: TaskShape = { steps: 200, editEvery: 5, linesPerFile: 60 };
const WINDOW_TOKENS = 32_000;
const CHECKPOINTS = [1, 50, 100, 150, 200];
/** The small-window case: a 4,000-token window, and a 1 MB command output every third step. */
const SMALL_SHAPE: TaskShape = { steps: 40, editEvery: 5, linesPerFile: 60, largeOutputs: { every: 3, bytes: 1024 * 1024 } };
const SMALL_WINDOW = 4_000;

interface Growth {
  maxRequest: number;
  total: number;
  at: Record<string, number>;
  condensations: number;
}

async function growth(windowTokens: number, shape: TaskShape = SHAPE): Promise<Growth> {
  const task = await runScriptedTask({ shape, windowTokens });
  const tokens = task.promptTokens;
  const at: Record<string, number> = {};
  for (const step of CHECKPOINTS) at[`step_${step}`] = tokens[Math.min(step, tokens.length) - 1];
  return { maxRequest: Math.max(...tokens), total: sum(tokens), at, condensations: task.condensations };
}

export async function measureContextGrowth(): Promise<BenchEntries> {
  const condensed = await growth(WINDOW_TOKENS);
  const naive = await growth(Number.MAX_SAFE_INTEGER);
  const small = await growth(SMALL_WINDOW, SMALL_SHAPE);
  const share = condensed.maxRequest / WINDOW_TOKENS;
  return {
    context_small_window: {
      value: small.maxRequest,
      unit: 'tokens (max request)',
      runs: 1,
      window_tokens: SMALL_WINDOW,
      under_window: small.maxRequest <= SMALL_WINDOW,
      max_request_share_of_window: round(small.maxRequest / SMALL_WINDOW, 3),
      condensations: small.condensations,
      task: `${SMALL_SHAPE.steps} steps, a 1 MB command output every ${SMALL_SHAPE.largeOutputs?.every}rd step, the rest reading files`,
      summary: `largest request ${small.maxRequest.toLocaleString('en-US')} tokens (tool schemas included) = ${round(100 * small.maxRequest / SMALL_WINDOW, 1)}% of a ${SMALL_WINDOW.toLocaleString('en-US')}-token window, with 1 MB outputs every ${SMALL_SHAPE.largeOutputs?.every}rd of ${SMALL_SHAPE.steps} steps; deterministic counts`,
    },
    context_growth: {
      value: condensed.maxRequest,
      unit: 'tokens (max request)',
      runs: 1,
      window_tokens: WINDOW_TOKENS,
      max_request_share_of_window: round(share, 3),
      under_window: condensed.maxRequest <= WINDOW_TOKENS,
      condensed: { max_request_tokens: condensed.maxRequest, total_prompt_tokens: condensed.total, condensations: condensed.condensations, prompt_tokens_at: condensed.at },
      baseline_keep_everything: { max_request_tokens: naive.maxRequest, total_prompt_tokens: naive.total, prompt_tokens_at: naive.at },
      total_tokens_ratio_to_baseline: round(condensed.total / naive.total, 3),
      task: `${SHAPE.steps} steps reading a new ${SHAPE.linesPerFile}-line file each (edit every ${SHAPE.editEvery}th step)`,
      summary: `largest request ${condensed.maxRequest.toLocaleString('en-US')} tokens = ${round(100 * share, 1)}% of the ${WINDOW_TOKENS.toLocaleString('en-US')}-token window (baseline keep-everything: ${naive.maxRequest.toLocaleString('en-US')}); total prompt tokens over ${SHAPE.steps} requests ${condensed.total.toLocaleString('en-US')} vs ${naive.total.toLocaleString('en-US')} (${round(condensed.total / naive.total, 2)}x); per request at step 50/100/200: ${condensed.at.step_50}/${condensed.at.step_100}/${condensed.at.step_200} vs ${naive.at.step_50}/${naive.at.step_100}/${naive.at.step_200}; deterministic counts, 1 run each`,
    },
  };
}

benchMain(module, measureContextGrowth);
