// edit_throughput: the edit engine on a 20,000-line file — 1,000 search/replace edits one call at a time and in one
// call, a 1,000-hunk unified diff, and the closest-candidate search that runs when a search text misses. Baselines in
// the same run: plain indexOf + slice for the search/replace edits, jsdiff's applyPatch for the diff, and an exact
// hit of the same search text for the miss.
import { applyPatch } from 'diff';
import { applyEditText, applySearchReplacePairs, type SearchReplacePair } from '../src/tools/edits';
import { benchMain } from './support/main';
import { interleave, median, round, type BenchEntries } from './support/stats';

const LINES = 20_000;
const EDITS = 1_000;
const RUNS = 3;
const MISS_RUNS = 15;

/** Code-like lines: unique statements between repeated braces and blank lines, as in a real source file. */
function bigFile(): string[] {
  const lines: string[] = [];
  for (let i = 0; lines.length < LINES; i++) {
    lines.push(`export function handler${i}(input: Request): Response {`);
    lines.push(`  const value${i} = compute(input, ${i}, "key-${(i * 7919) % 10007}");`);
    lines.push(`  if (!value${i}) return notFound(${i});`);
    lines.push('  return ok(value' + i + ');');
    lines.push('}');
  }
  return lines.slice(0, LINES);
}

/** Every 20th line gets a changed statement; each search text is two lines so it matches exactly once. */
function pairsFor(lines: string[]): SearchReplacePair[] {
  const pairs: SearchReplacePair[] = [];
  for (let k = 0; k < EDITS; k++) {
    const at = k * (LINES / EDITS) + 1;
    pairs.push({ search: `${lines[at]}\n${lines[at + 1]}\n`, replace: `${lines[at].replace('compute(', 'computeFast(')}\n${lines[at + 1]}\n` });
  }
  return pairs;
}

function naiveReplace(content: string, pair: SearchReplacePair): string {
  const at = content.indexOf(pair.search);
  if (at === -1 || content.indexOf(pair.search, at + 1) !== -1) throw new Error('baseline: search text not unique');
  return content.slice(0, at) + pair.replace + content.slice(at + pair.search.length);
}

/** A unified diff with one 3-context-line hunk per edit. */
function diffFor(lines: string[], path: string): string {
  const out = [`--- a/${path}`, `+++ b/${path}`];
  for (let k = 0; k < EDITS; k++) {
    const changed = k * (LINES / EDITS) + 1;
    const start = Math.max(0, changed - 3);
    const end = Math.min(lines.length, changed + 4);
    out.push(`@@ -${start + 1},${end - start} +${start + 1},${end - start} @@`);
    for (let i = start; i < end; i++) {
      if (i === changed) out.push(`-${lines[i]}`, `+${lines[i].replace('compute(', 'computeFast(')}`);
      else out.push(` ${lines[i]}`);
    }
  }
  return out.join('\n') + '\n';
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`edit_throughput: ${what}`);
}

export async function measureEditThroughput(): Promise<BenchEntries> {
  const lines = bigFile();
  const content = lines.join('\n') + '\n';
  const pairs = pairsFor(lines);
  const path = 'src/big.ts';
  let engineResult = '';
  let naiveResult = '';
  const oneByOne = await interleave(RUNS, () => {
    let current = content;
    for (const pair of pairs) {
      const outcome = applySearchReplacePairs(current, [pair], { path });
      check(outcome.ok, 'a search/replace edit failed');
      if (outcome.ok) current = outcome.content;
    }
    engineResult = current;
  }, () => {
    let current = content;
    for (const pair of pairs) current = naiveReplace(current, pair);
    naiveResult = current;
  });
  check(engineResult === naiveResult, 'engine and baseline disagree on the search/replace result');

  const batch = await interleave(RUNS, () => check(applySearchReplacePairs(content, pairs, { path }).ok, 'the 1,000-pair edit failed'), () => undefined);

  const diff = diffFor(lines, path);
  let diffResult = '';
  const jsdiff: { result: string | false } = { result: false };
  const diffTimes = await interleave(RUNS, () => {
    const outcome = applyEditText(diff, (p) => (p === path ? content : undefined), { format: 'unified-diff', file: path });
    check(outcome.ok, `the 1,000-hunk diff failed: ${outcome.ok ? '' : outcome.error.message}`);
    if (outcome.ok) diffResult = outcome.changes[0].after ?? '';
  }, () => {
    jsdiff.result = applyPatch(content, diff);
  });
  check(diffResult === naiveResult, 'the diff result differs from the search/replace result');
  check(jsdiff.result === diffResult, 'jsdiff and the engine disagree on the diff result');

  // A five-line search with one typo: no exact or loose match, so the engine looks for the closest candidate.
  const at = 10_001;
  const exactSearch = lines.slice(at, at + 5).join('\n') + '\n';
  const missSearch = exactSearch.replace('compute(input', 'compute(inputs');
  const missTimes = await interleave(MISS_RUNS, () => {
    const outcome = applySearchReplacePairs(content, [{ search: missSearch, replace: 'x\n' }], { path });
    check(!outcome.ok && outcome.error.code === 'no_match' && outcome.error.closest?.startLine === at + 1, 'the miss did not point at the right candidate');
  }, () => check(applySearchReplacePairs(content, [{ search: exactSearch, replace: 'x\n' }], { path }).ok, 'the exact hit failed'));

  const perEdit = median(oneByOne.work) / EDITS;
  const missMs = median(missTimes.work);
  return {
    edit_throughput: {
      value: round(perEdit, 3),
      unit: 'ms/edit',
      runs: RUNS,
      file_lines: LINES,
      edits: EDITS,
      search_replace_one_call_per_edit_ms: round(median(oneByOne.work), 1),
      baseline_indexof_slice_ms: round(median(oneByOne.baseline), 1),
      ratio_to_baseline: round(median(oneByOne.work) / median(oneByOne.baseline), 2),
      search_replace_one_call_1000_pairs_ms: round(median(batch.work), 1),
      unified_diff_1000_hunks_ms: round(median(diffTimes.work), 1),
      baseline_jsdiff_apply_patch_ms: round(median(diffTimes.baseline), 1),
      unified_diff_ratio_to_jsdiff: round(median(diffTimes.work) / median(diffTimes.baseline), 2),
      miss_closest_candidate_ms: round(missMs, 1),
      miss_runs: MISS_RUNS,
      baseline_exact_hit_ms: round(median(missTimes.baseline), 2),
      summary: `${LINES.toLocaleString('en-US')}-line file, medians of ${RUNS} runs: ${EDITS} search/replace calls ${round(median(oneByOne.work), 0)} ms (indexOf+slice baseline ${round(median(oneByOne.baseline), 0)} ms); one call with ${EDITS} pairs ${round(median(batch.work), 0)} ms; ${EDITS}-hunk unified diff ${round(median(diffTimes.work), 0)} ms (jsdiff applyPatch ${round(median(diffTimes.baseline), 0)} ms); a miss with closest-candidate search ${round(missMs, 0)} ms (median of ${MISS_RUNS}) vs ${round(median(missTimes.baseline), 1)} ms for an exact hit`,
    },
  };
}

benchMain(module, measureEditThroughput);
