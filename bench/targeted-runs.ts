// targeted_runs: what one attempt iteration's test run costs with targeted re-runs versus the full suite, on a real
// suite. No package in node_modules ships a suite of several hundred tests, so the suite is Patchpilot's own: 555
// mocha unit tests (edits, testparse, policy, model), copied with the compiled code to a temporary folder, where one
// real line is broken (how the jest parser joins a test's describe path) so that a few tests fail. Then, interleaved:
// the full suite vs the filter `run_tests` would build (TargetedRuns, the same code as in a task), with the same
// verdict checked on every pair (the same failing tests), and again after the line is restored (both pass).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TargetedRuns } from '../src/agent/triage/targeted';
import { selectionRan } from '../src/agent/triage/classify';
import { parseTestOutput } from '../src/tools/testparse';
import { runProcess } from '../src/tools/process/runProcess';
import type { TestRunRecord } from '../src/tools/types';
import { benchMain, repoRoot } from './support/main';
import { interleave, median, round, unmeasured, type BenchEntries } from './support/stats';

const RUNS = 5;
const SUITES = ['edits', 'testparse', 'policy', 'model'].map((dir) => `'out/test/unit/${dir}/**/*.test.js'`).join(' ');
const FULL_COMMAND = `npx mocha --reporter spec --timeout 20000 ${SUITES}`;
const BROKEN_FILE = 'out/src/tools/testparse/parsers/jest.js';
const GOOD_LINE = "test[4].trim()].join(' › ')";
const BROKEN_LINE = "test[4].trim()].join(' / ')";

export async function measureTargetedRuns(): Promise<BenchEntries> {
  if (!fs.existsSync(path.join(repoRoot, BROKEN_FILE))) return { targeted_runs: unmeasured('ratio', `${BROKEN_FILE} is missing: run npm run build first`) };
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'patchpilot-bench-targeted-'));
  try {
    for (const entry of ['out', 'test', 'package.json']) fs.cpSync(path.join(repoRoot, entry), path.join(project, entry), { recursive: true });
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(project, 'node_modules'));
    const source = path.join(project, BROKEN_FILE);
    const good = fs.readFileSync(source, 'utf8');
    if (!good.includes(GOOD_LINE)) return { targeted_runs: unmeasured('ratio', `the line to break is no longer in ${BROKEN_FILE}`) };
    fs.writeFileSync(source, good.replace(GOOD_LINE, BROKEN_LINE));

    const run = async (command: string): Promise<TestRunRecord> => {
      const result = await runProcess({ command, cwd: project, timeoutMs: 300_000, purpose: 'test', env: { PATCHPILOT_SUITE: 'unit' } });
      const parsed = parseTestOutput(result.output, 'auto', { cwd: project });
      return { command, exitCode: result.exitCode, timedOut: result.timedOut, failures: result.exitCode === 0 ? [] : parsed.failures, passed: parsed.passed,
        failed: parsed.failed, skipped: parsed.skipped, todo: parsed.todo, ...(parsed.tests ? { tests: parsed.tests } : {}), output: '', runner: parsed.runner };
    };
    const first = await run(FULL_COMMAND);
    const total = (first.passed ?? 0) + (first.failed ?? 0);
    if (first.exitCode === 0 || first.failures.length === 0) return { targeted_runs: unmeasured('ratio', 'the broken line made no test fail') };
    const targeting = new TargetedRuns({ testCommand: FULL_COMMAND, packageScript: () => null });
    targeting.noteRun(first);
    const plan = targeting.plan();
    if (plan.kind !== 'targeted') return { targeted_runs: unmeasured('ratio', `no targeted run: ${plan.note ?? 'nothing to select'}`) };
    const failingNames = (r: TestRunRecord) => [...new Set(r.failures.map((f) => f.name))].sort().join('\n');
    let disagreements = 0;
    let lastFull = first;
    const { work, baseline } = await interleave(RUNS, async () => {
      const targeted = await run(plan.command);
      if (failingNames(targeted) !== failingNames(lastFull) || targeted.exitCode === 0) disagreements++;
    }, async () => {
      lastFull = await run(FULL_COMMAND);
    });
    // The fix: both must now pass, and the targeted run must really have run the selected tests.
    fs.writeFileSync(source, good);
    const fixedTargeted = await run(plan.command);
    const fixedFull = await run(FULL_COMMAND);
    const sameVerdictFixed = fixedTargeted.exitCode === 0 && selectionRan(fixedTargeted) && fixedFull.exitCode === 0;
    const ratio = median(work) / median(baseline);
    const selected = plan.selected.length;
    return {
      targeted_runs: {
        value: round(ratio, 3), unit: 'ratio', runs: RUNS,
        targetedMs: round(median(work), 0), fullMs: round(median(baseline), 0), suiteTests: total, selectedTests: selected,
        sameVerdict: disagreements === 0 && sameVerdictFixed, command: plan.command.replace(FULL_COMMAND, 'FULL'),
        summary: `one iteration: ${round(median(work), 0)} ms targeted (${selected} of ${total} tests) vs ${round(median(baseline), 0)} ms full suite `
          + `(${round(ratio, 2)}×; goal ≤ 0.2×); same verdict ${disagreements === 0 && sameVerdictFixed ? 'in every run' : `NOT in ${disagreements} run(s)${sameVerdictFixed ? '' : ' and after the fix'}`}; medians of ${RUNS}`,
      },
    };
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
}

benchMain(module, measureTargetedRuns);
