// The GitHub Action (action.yml → dist/action.js): reads the inputs, runs the bundled CLI (dist/cli.js beside this
// file) on the checked-out repository with --approve auto, then writes the outputs, the job summary and annotations.
// It never commits or pushes: the fix stays in the working tree and as a patch file for a later step to use.
// PATCHPILOT_SCRIPTED_MODEL (an environment variable, not an input) points the CLI at a scripted model: test-only.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { failureAnnotations, summaryMarkdown, type ActionReport } from './summary';
import { ActionInputError, appendSummary, errorAnnotation, getBooleanInput, getInput, maskCommand, setOutput } from './workflowCommands';

export const FIX_TESTS_GOAL = 'make the failing tests pass';

interface Plan {
  cwd: string;
  goal: string;
  args: string[];
  apiKey: string;
}

export function planFromInputs(env: NodeJS.ProcessEnv, reportPath: string): Plan {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const cwd = resolve(workspace, getInput('working-directory', env) || '.');
  const fixTests = getBooleanInput('fix-tests', env);
  const goal = getInput('goal', env);
  const test = getInput('test', env);
  if (!fixTests && !goal) throw new ActionInputError('Give the action a `goal`, or set `fix-tests: true` (with a `test` command).');
  if (fixTests && !test) throw new ActionInputError('`fix-tests: true` needs the `test` command that shows the failures.');
  const args = [fixTests ? 'fix-tests' : 'run', `--cwd=${cwd}`, '--approve=auto', `--report=${reportPath}`];
  if (goal) args.push(`--goal=${goal}`);
  if (test) args.push(`--test=${test}`);
  const flags: [string, string][] = [['base-url', 'base-url'], ['model', 'model'], ['max-cost', 'max-cost'], ['max-steps', 'max-steps'], ['sandbox', 'sandbox'], ['attempts', 'attempts']];
  for (const [input, flag] of flags) {
    const value = getInput(input, env);
    if (value) args.push(`--${flag}=${value}`);
  }
  if (env.PATCHPILOT_SCRIPTED_MODEL) args.push(`--scripted-model=${env.PATCHPILOT_SCRIPTED_MODEL}`);
  return { cwd, goal: goal || FIX_TESTS_GOAL, args, apiKey: getInput('api-key', env) };
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const temp = env.RUNNER_TEMP || tmpdir();
  const stamp = Date.now().toString(36);
  const reportPath = join(temp, `patchpilot-report-${stamp}.json`);
  const patchPath = join(temp, `patchpilot-${stamp}.patch`);
  let plan: Plan;
  try {
    plan = planFromInputs(env, reportPath);
  } catch (error) {
    if (!(error instanceof ActionInputError)) throw error;
    process.stdout.write(errorAnnotation(error.message, { title: 'Patchpilot inputs' }));
    setOutput('status', 'failed', env);
    return 1;
  }
  if (plan.apiKey) process.stdout.write(maskCommand(plan.apiKey));
  const code = await runCli(plan, env);
  if (!existsSync(reportPath)) {
    process.stdout.write(errorAnnotation(`Patchpilot ended (exit ${code}) without a report; see the log above.`, { title: 'Patchpilot' }));
    setOutput('status', 'failed', env);
    return code === 0 ? 1 : code;
  }
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as ActionReport;
  writeFileSync(patchPath, report.changes.map((change) => change.diff).join(''));
  setOutput('status', report.status, env);
  setOutput('report', reportPath, env);
  setOutput('patch', patchPath, env);
  appendSummary(summaryMarkdown(report, plan.goal), env);
  for (const line of failureAnnotations(report, plan.cwd, env.GITHUB_WORKSPACE || plan.cwd)) process.stdout.write(line);
  return code;
}

function runCli(plan: Plan, env: NodeJS.ProcessEnv): Promise<number> {
  // The inputs stay with the action: the CLI gets the key under its own name (which it masks and keeps from commands).
  const childEnv: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('INPUT_')));
  if (plan.apiKey) childEnv.PATCHPILOT_API_KEY = plan.apiKey;
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [join(__dirname, 'cli.js'), ...plan.args], { cwd: plan.cwd, env: childEnv, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (error) => {
      process.stdout.write(errorAnnotation(`Could not start Patchpilot: ${error.message}`));
      resolvePromise(1);
    });
    child.on('close', (code) => resolvePromise(code ?? 1));
  });
}

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  }, (error: unknown) => {
    process.stdout.write(errorAnnotation(`Patchpilot failed: ${error instanceof Error ? error.message : String(error)}`));
    process.exitCode = 1;
  });
}
