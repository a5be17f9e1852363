// memory_mb: heap and RSS growth of the core over a 500-step scripted task. Needs `node --expose-gc`: a full GC runs
// before every sample, so the figures are live memory, not garbage waiting to be collected. The scripted server runs
// in its own process and is not counted.
import { benchMain } from './support/main';
import { median, round, type BenchEntries, unmeasured } from './support/stats';
import { runScriptedTask, type TaskShape } from './support/scripted-task';

const RUNS = 3;
const SHAPE: TaskShape = { steps: 500, editEvery: 5, linesPerFile: 60 };
const WINDOW_TOKENS = 128_000;
const SAMPLE_EVERY = 100;
const MB = 1024 * 1024;

interface Sample { heapMb: number; rssMb: number }

function sample(collect: () => void): Sample {
  collect();
  collect();
  const usage = process.memoryUsage();
  return { heapMb: usage.heapUsed / MB, rssMb: usage.rss / MB };
}

interface RunMemory {
  heapGrowth: number;
  rssGrowth: number;
  retainedAfter: number;
  curve: number[];
}

async function oneRun(collect: () => void): Promise<RunMemory> {
  const before = sample(collect);
  const curve: number[] = [];
  let last: Sample = before;
  const task = await runScriptedTask({
    shape: SHAPE,
    windowTokens: WINDOW_TOKENS,
    beforeModelCall: (index) => {
      if (index % SAMPLE_EVERY === 0 || index === SHAPE.steps - 1) {
        last = sample(collect);
        curve.push(round(last.heapMb - before.heapMb, 2));
      }
    },
  });
  if (task.result.steps !== SHAPE.steps) throw new Error(`the task ran ${task.result.steps} steps`);
  // The session is out of scope now: what is still held after a GC is what a finished task leaks.
  const after = sample(collect);
  return {
    heapGrowth: last.heapMb - before.heapMb,
    rssGrowth: last.rssMb - before.rssMb,
    retainedAfter: after.heapMb - before.heapMb,
    curve,
  };
}

export async function measureMemory(): Promise<BenchEntries> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return { memory_mb: unmeasured('MB', 'run with node --expose-gc (npm run bench does)') };
  const runs: RunMemory[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await oneRun(gc));
  const heap = round(median(runs.map((r) => r.heapGrowth)), 2);
  const rss = round(median(runs.map((r) => r.rssGrowth)), 2);
  const retained = round(median(runs.map((r) => r.retainedAfter)), 2);
  return {
    memory_mb: {
      value: heap,
      unit: 'MB heap growth',
      runs: RUNS,
      steps: SHAPE.steps,
      heap_growth_mb: heap,
      rss_growth_mb: rss,
      heap_retained_after_task_mb: retained,
      heap_growth_curve_mb: runs[runs.length - 1].curve,
      curve_steps: `sampled before model call 1, then every ${SAMPLE_EVERY} calls and before the last`,
      summary: `median of ${RUNS} runs of a ${SHAPE.steps}-step scripted task (window ${WINDOW_TOKENS.toLocaleString('en-US')}), gc before each sample: heap +${heap} MB, RSS +${rss} MB before the last step; ${retained} MB still held once the task is over; heap growth every ${SAMPLE_EVERY} steps: ${runs[runs.length - 1].curve.join(', ')} MB`,
    },
  };
}

benchMain(module, measureMemory);
