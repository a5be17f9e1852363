// run_tests: run the task's test command and get the failures as structured data. While tests fail, the session may
// run only those (a targeted run); the result says so, and what was selected, because it proves nothing else.
import { formatTestRun } from './testReport';
import { defineTool, failure } from './tool';
import type { TestRunRecord } from './types';

export const runTestsTool = defineTool<Record<string, never>>({
  name: 'run_tests',
  description: 'Run the task\'s test command. Returns the exit code, each failing test (name, file, line, message) and the tail of the output. While tests fail, only the tests that failed in the last full run may be re-run (the result says so); finish always runs the full suite.',
  parameters: { type: 'object', properties: {}, additionalProperties: false },
  readOnly: false,
  async run(_args, context) {
    const run = await context.tests.runTests(false);
    if (!run) return failure('no_test_command', 'This task has no test command. Use run_command to run tests you know of.');
    return { ok: true, output: [targetedPreface(run), formatTestRun(run)].filter(Boolean).join('\n'),
      data: { exitCode: run.exitCode, failures: run.failures, ...(run.targeted ? { targeted: run.targeted.selected } : {}) } };
  },
});

function targetedPreface(run: TestRunRecord): string {
  if (run.targeted) {
    const names = run.targeted.selected;
    const shown = names.slice(0, 10).map((n) => `\`${n}\``).join(', ') + (names.length > 10 ? ` and ${names.length - 10} more` : '');
    return `Targeted run: only the ${names.length} test(s) that failed in the last full run were selected (${shown}). It does not verify the task: finish runs the full suite, and the next run_tests runs it too once these pass.`;
  }
  return run.note ?? '';
}
