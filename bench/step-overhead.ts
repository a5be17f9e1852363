// step_overhead_ms: what the harness itself costs per agent step over a 200-step scripted task — wall time of the
// run minus the time inside ModelClient.complete() (HTTP to the scripted server) minus tool time (tool_started to
// tool_finished). The model round trip to the instant scripted server is the baseline in the same run.
import { median, percentile, round, sum, type BenchEntries } from './support/stats';
import { benchMain } from './support/main';
import { runScriptedTask, type TaskShape } from './support/scripted-task';

const RUNS = 3;
const SHAPE: TaskShape = { steps: 200, editEvery: 5, linesPerFile: 60 };
/** The product default: condensing happens in this task, as it would in a real long one. */
const WINDOW_TOKENS = 128_000;

export async function measureStepOverhead(): Promise<BenchEntries> {
  const perRun: { harness: number; model: number; tool: number; early: number; late: number; p95: number; wall: number }[] = [];
  for (let run = 0; run < RUNS; run++) {
    const task = await runScriptedTask({ shape: SHAPE, windowTokens: WINDOW_TOKENS });
    const steps = task.result.steps;
    const harness = task.runMs - sum(task.modelMs) - sum(task.toolMs);
    perRun.push({
      harness: harness / steps,
      model: median(task.modelMs),
      tool: median(task.toolMs),
      early: median(task.gapMs.slice(0, 20)),
      late: median(task.gapMs.slice(-20)),
      p95: percentile(task.gapMs, 95),
      wall: task.runMs,
    });
  }
  const pick = (key: keyof (typeof perRun)[number]): number => round(median(perRun.map((r) => r[key])), 3);
  const value = pick('harness');
  const model = pick('model');
  return {
    step_overhead_ms: {
      value,
      unit: 'ms/step',
      runs: RUNS,
      steps: SHAPE.steps,
      task: `${SHAPE.steps} steps: read_file of a new ${SHAPE.linesPerFile}-line file, edit_file every ${SHAPE.editEvery}th step, finish; window ${WINDOW_TOKENS} tokens`,
      per_run_ms_per_step: perRun.map((r) => round(r.harness, 3)),
      baseline_model_call_ms: model,
      ratio_to_model_call: round(value / model, 3),
      tool_ms_median: pick('tool'),
      gap_first20_ms: pick('early'),
      gap_last20_ms: pick('late'),
      gap_p95_ms: pick('p95'),
      task_wall_ms: pick('wall'),
      summary: `median of ${RUNS} runs of a ${SHAPE.steps}-step scripted task; harness between calls ${pick('early')} ms early vs ${pick('late')} ms in the last 20 steps; baseline: one scripted-model call (HTTP + streaming) ${model} ms, ratio ${round(value / model, 2)}; tool median ${pick('tool')} ms`,
    },
  };
}

benchMain(module, measureStepOverhead);
