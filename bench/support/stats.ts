// Shared helpers of the benchmarks: medians and percentiles, timing, the entry shape of results.json, and the
// table the runner prints. Benchmarks report figures; nothing here ever fails on a timing.
import { performance } from 'node:perf_hooks';

/** One named figure of bench/results.json. `value` is null when the figure could not be measured (say why in `note`). */
export interface BenchEntry {
  value: number | null;
  unit: string;
  /** One line for the printed table: what the value is, the baseline, the run count. */
  summary?: string;
  /** Why a figure is missing or partial. */
  note?: string;
  runs?: number;
  [detail: string]: unknown;
}

export type BenchEntries = Record<string, BenchEntry>;

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank percentile, p in 0..100. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

/** Rounds for the report: enough digits to read, not so many that noise looks like precision. */
export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export async function timeAsync<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: performance.now() - start, result };
}

export function timeSync<T>(work: () => T): { ms: number; result: T } {
  const start = performance.now();
  const result = work();
  return { ms: performance.now() - start, result };
}

/** Runs `work` `runs` times (after `warmup` unrecorded runs) and returns every duration in ms. */
export async function repeat(runs: number, work: () => Promise<unknown> | unknown, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return times;
}

/**
 * Runs the measured work and its baseline alternately, so drift in machine load (2 shared cores) hits both
 * alike; returns the durations of each.
 */
export async function interleave(runs: number, work: () => Promise<unknown> | unknown, baseline: () => Promise<unknown> | unknown): Promise<{ work: number[]; baseline: number[] }> {
  await work();
  await baseline();
  const out = { work: [] as number[], baseline: [] as number[] };
  for (let i = 0; i < runs; i++) {
    out.work.push((await timeAsync(async () => work())).ms);
    out.baseline.push((await timeAsync(async () => baseline())).ms);
  }
  return out;
}

export function unmeasured(unit: string, reason: string): BenchEntry {
  return { value: null, unit, note: `not measured: ${reason}`, summary: `not measured: ${reason}` };
}

export function formatValue(value: number | null): string {
  if (value === null) return '—';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return String(round(value, Math.abs(value) < 1 ? 3 : 2));
}

/** The printed table: name, value, unit, notes; long notes wrap under their row. */
export function formatTable(entries: BenchEntries): string {
  const nameWidth = Math.max(4, ...Object.keys(entries).map((n) => n.length));
  const valueWidth = Math.max(5, ...Object.values(entries).map((e) => formatValue(e.value).length));
  const unitWidth = Math.max(4, ...Object.values(entries).map((e) => e.unit.length));
  const noteWidth = 100;
  const lines = [`${'name'.padEnd(nameWidth)}  ${'value'.padStart(valueWidth)}  ${'unit'.padEnd(unitWidth)}  notes`];
  lines.push('-'.repeat(nameWidth + valueWidth + unitWidth + 6 + noteWidth));
  for (const [name, entry] of Object.entries(entries)) {
    const notes = wrap(entry.summary ?? entry.note ?? '', noteWidth);
    const indent = ' '.repeat(nameWidth + valueWidth + unitWidth + 6);
    lines.push(`${name.padEnd(nameWidth)}  ${formatValue(entry.value).padStart(valueWidth)}  ${entry.unit.padEnd(unitWidth)}  ${notes[0] ?? ''}`);
    for (const more of notes.slice(1)) lines.push(indent + more);
  }
  return lines.join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines;
}
