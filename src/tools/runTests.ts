// run_tests: run the task's test command and get the failures as structured data.
import { formatTestRun } from './testReport';
import { defineTool, failure } from './tool';

export const runTestsTool = defineTool<Record<string, never>>({
  name: 'run_tests',
  description: 'Run the task\'s test command. Returns the exit code, each failing test (name, file, line, message) and the tail of the output.',
  parameters: { type: 'object', properties: {}, additionalProperties: false },
  readOnly: false,
  async run(_args, context) {
    const run = await context.tests.runTests(false);
    if (!run) return failure('no_test_command', 'This task has no test command. Use run_command to run tests you know of.');
    return { ok: true, output: formatTestRun(run), data: { exitCode: run.exitCode, failures: run.failures } };
  },
});
