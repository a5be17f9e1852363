// `npm run bench`: runs every benchmark in its own Node process (separate heaps; memory needs --expose-gc), prints
// one table and writes bench/results.json ({name: {value, unit, ...}}). A benchmark that breaks gets null entries
// with the reason; nothing here ever fails on a timing. `node out/bench/run.js --only search,memory` runs a subset.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from './support/main';
import { formatTable, round, unmeasured, type BenchEntries } from './support/stats';

interface Benchmark {
  file: string;
  entries: string[];
  nodeArgs?: string[];
  timeoutMs: number;
}

const BENCHMARKS: Benchmark[] = [
  { file: 'accuracy', entries: ['edit_accuracy', 'testlog_accuracy'], timeoutMs: 120_000 },
  { file: 'bundle-size', entries: ['bundle_bytes'], timeoutMs: 240_000 },
  { file: 'activation', entries: ['activation_ms'], timeoutMs: 420_000 },
  { file: 'step-overhead', entries: ['step_overhead_ms'], timeoutMs: 300_000 },
  { file: 'journal-throughput', entries: ['events_per_s'], timeoutMs: 120_000 },
  { file: 'context-growth', entries: ['context_growth', 'context_small_window'], timeoutMs: 300_000 },
  { file: 'edit-throughput', entries: ['edit_throughput'], timeoutMs: 300_000 },
  { file: 'search', entries: ['search_ms'], timeoutMs: 300_000 },
  { file: 'attempts', entries: ['attempts_ms', 'worktree_create_ms'], timeoutMs: 600_000 },
  { file: 'panel-render', entries: ['panel_render_ms'], timeoutMs: 300_000 },
  { file: 'sidebar-render', entries: ['sidebar_render_ms'], timeoutMs: 300_000 },
  { file: 'sandbox-cost', entries: ['sandbox_cost'], timeoutMs: 300_000 },
  { file: 'prompt-overhead', entries: ['prompt_overhead_tokens'], timeoutMs: 60_000 },
  { file: 'targeted-runs', entries: ['targeted_runs'], timeoutMs: 300_000 },
  { file: 'memory', entries: ['memory_mb'], nodeArgs: ['--expose-gc'], timeoutMs: 300_000 },
];

function runOne(bench: Benchmark, scratch: string): Promise<{ entries: BenchEntries; seconds: number }> {
  const out = path.join(scratch, `${bench.file}.json`);
  const script = path.join(__dirname, `${bench.file}.js`);
  const start = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(bench.nodeArgs ?? []), script, '--out', out], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      process.stderr.write(chunk);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), bench.timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const seconds = round((performance.now() - start) / 1000, 1);
      if (code === 0 && fs.existsSync(out)) {
        resolve({ entries: JSON.parse(fs.readFileSync(out, 'utf8')) as BenchEntries, seconds });
        return;
      }
      const why = signal === 'SIGKILL' ? `timed out after ${bench.timeoutMs / 1000} s` : `the benchmark failed: ${lastLine(stderr) || `exit ${code}`}`;
      resolve({ entries: Object.fromEntries(bench.entries.map((name) => [name, unmeasured('', why)])), seconds });
    });
  });
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const error = lines.find((l) => /Error/.test(l));
  return (error ?? lines[lines.length - 1] ?? '').slice(0, 300);
}

async function main(): Promise<void> {
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex >= 0 ? new Set(process.argv[onlyIndex + 1].split(',')) : null;
  const selected = BENCHMARKS.filter((b) => !only || only.has(b.file) || b.entries.some((e) => only.has(e)));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'patchpilot-bench-'));
  const resultsPath = path.join(repoRoot, 'bench', 'results.json');
  // A partial run (--only) updates its entries and keeps the others from the last full run.
  const results: BenchEntries = only && fs.existsSync(resultsPath) ? (JSON.parse(fs.readFileSync(resultsPath, 'utf8')) as BenchEntries) : {};
  const started = performance.now();
  for (const bench of selected) {
    process.stdout.write(`bench: ${bench.file} …\n`);
    const { entries, seconds } = await runOne(bench, scratch);
    for (const [name, entry] of Object.entries(entries)) results[name] = { ...entry, bench_seconds: seconds };
    process.stdout.write(`bench: ${bench.file} done in ${seconds} s\n`);
  }
  const wall = round((performance.now() - started) / 1000, 1);
  results.bench_run = {
    value: wall,
    unit: 's',
    when: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? 'unknown',
    platform: `${os.platform()} ${os.release()}`,
    benchmarks: selected.map((b) => b.file),
    summary: `wall time of the benchmarks (after the build), ${os.cpus().length} CPUs, Node ${process.version}${only ? `; partial run: ${[...only].join(', ')}` : ''}`,
  };
  fs.writeFileSync(resultsPath, JSON.stringify(results, null, 2) + '\n');
  fs.rmSync(scratch, { recursive: true, force: true });
  console.log('\n' + formatTable(results));
  console.log(`\nWrote ${path.relative(process.cwd(), resultsPath)}`);
}

main().catch((error: unknown) => {
  // A broken runner still should not turn a benchmark run into a failed build step.
  console.error(error);
});
