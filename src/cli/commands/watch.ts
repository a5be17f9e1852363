// `patchpilot watch`: runs the tests after every change to the workspace, and when a change turns them red, proposes a
// fix made in a worktree (a patch under .patchpilot/proposals/, never a write to the person's files). Ctrl+C or
// SIGTERM stops it cleanly: the test run and the proposal in progress are stopped, their worktree removed, exit 0.
import { join, relative, resolve } from 'node:path';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ensurePatchpilotIgnore, spillDirFor } from '../../agent/projectContext';
import { PathPolicy } from '../../agent/policy/pathPolicy';
import { newTaskId } from '../../agent/sessionSupport';
import { watchWorkspace } from '../../agent/watch/fileWatcher';
import { proposalGoal, proposeInWorktree, type ProposalTask } from '../../agent/watch/proposer';
import { SandboxedTestRunner } from '../../agent/watch/sandboxedTests';
import { TestWatch, type WatchEvent } from '../../agent/watch/testWatch';
import { NodeCommandRunner } from '../../tools/process/runProcess';
import { SANDBOX_MODES, type SandboxMode } from '../../tools/process/sandbox';
import { RUN_OPTIONS, runCommand, FIX_TESTS_GOAL } from './run';
import { UsageError } from '../usage';

const WATCH_OPTIONS = {
  debounce: { type: 'string' }, 'max-proposals': { type: 'string' }, 'proposal-max-steps': { type: 'string' },
  'proposal-max-cost': { type: 'string' }, 'max-failed-proposals': { type: 'string' }, backoff: { type: 'string' },
  'propose-on-start': { type: 'boolean' },
} as const;
/** Set by watch itself for each proposal task, or meaningless for it. */
const NOT_PASSED_ON = new Set(['cwd', 'goal', 'test', 'task', 'journal-dir', 'report', 'approve', 'max-steps', 'max-cost', 'quiet', ...Object.keys(WATCH_OPTIONS)]);
const FILE_FLAGS = new Set(['scripted-model', 'providers', 'mcp-config']);

export async function watchCommand(argv: string[]): Promise<number> {
  const { values, tokens } = parseArgs({ args: argv, options: { ...RUN_OPTIONS, ...WATCH_OPTIONS }, strict: true, allowPositionals: false, tokens: true });
  if (!values.cwd) throw new UsageError('watch needs --cwd DIR.');
  if (!values.test) throw new UsageError('watch needs --test CMD: the command whose result it watches.');
  const root = resolve(values.cwd);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`--cwd ${root} is not a folder.`);
  if (values.approve === 'ask') throw new UsageError('watch never writes your files: its proposals are patches, so there is nothing to approve (--approve ask does not apply).');
  const testCommand = values.test;
  const passOn: string[] = [];
  for (const token of tokens ?? []) {
    if (token.kind !== 'option' || NOT_PASSED_ON.has(token.name)) continue;
    passOn.push(token.value === undefined ? `--${token.name}` : `--${token.name}=${FILE_FLAGS.has(token.name) ? resolve(token.value) : token.value}`);
  }
  const proposalMaxSteps = positiveInt(values['proposal-max-steps'] ?? '15', '--proposal-max-steps');
  const proposalMaxCost = values['proposal-max-cost'];
  if (proposalMaxCost !== undefined && !(Number(proposalMaxCost) >= 0)) throw new UsageError(`--proposal-max-cost takes a number ≥ 0, not "${proposalMaxCost}".`);
  const testTimeoutMs = positiveInt(values['test-timeout'] ?? '300', '--test-timeout') * 1000;
  await ensurePatchpilotIgnore(root);
  const policy = new PathPolicy(root, { extraProtected: values.protected, unprotected: values.unprotect });
  const journalDir = join(root, '.patchpilot', 'tasks');

  const task: ProposalTask = async (worktree, request, signal) => {
    const taskId = newTaskId(Date.now());
    mkdirSync(spillDirFor(root), { recursive: true });
    const reportPath = join(spillDirFor(root), `watch-${taskId}.report.json`);
    await runCommand('fix-tests', [
      `--cwd=${worktree.path}`, `--test=${testCommand}`, `--goal=${proposalGoal(FIX_TESTS_GOAL, request)}`, '--approve=auto', '--quiet',
      `--journal-dir=${journalDir}`, `--report=${reportPath}`, `--max-steps=${proposalMaxSteps}`,
      ...(proposalMaxCost !== undefined ? [`--max-cost=${proposalMaxCost}`] : []), ...passOn,
    ], {
      taskId,
      onSession: (session) => {
        if (signal.aborted) session.cancel();
        else signal.addEventListener('abort', () => session.cancel(), { once: true });
      },
    });
    if (!existsSync(reportPath)) throw new Error('The proposal task ended without a report.');
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as { status: 'verified' | 'unverified' | 'failed' | 'stopped'; summary: string };
    return { status: report.status, summary: report.summary, taskId };
  };

  const say = (text: string) => process.stdout.write(`[watch] ${text}\n`);
  // Watch's own test runs are confined like a session's (the same --sandbox, --allow-host and --pass-env).
  const tests = await SandboxedTestRunner.create({
    root, testCommand, runner: new NodeCommandRunner({ spillDir: spillDirFor(root) }), pathPolicy: policy, timeoutMs: testTimeoutMs,
    sandbox: sandboxMode(values.sandbox), allowHosts: values['allow-host'], passEnv: values['pass-env'],
  });
  const watch = new TestWatch({
    runTests: (signal) => tests.run(signal),
    propose: (request, signal) => proposeInWorktree({ root, task, isProtected: (rel) => policy.isProtectedRelative(rel) }, request, signal),
    watch: (onChange) => watchWorkspace(root, onChange, (error) => say(`cannot watch a folder: ${error.message}`)),
  }, {
    debounceMs: nonNegativeInt(values.debounce ?? '500', '--debounce'),
    proposeOnStart: values['propose-on-start'] ?? false,
    policy: {
      maxProposals: positiveInt(values['max-proposals'] ?? '5', '--max-proposals'),
      maxFailedInARow: positiveInt(values['max-failed-proposals'] ?? '3', '--max-failed-proposals'),
      backoffMs: nonNegativeInt(values.backoff ?? '60000', '--backoff'),
    },
  }, (event) => say(describe(event, root)));

  let stopping: Promise<void> | null = null;
  let stopped = () => undefined as void;
  const done = new Promise<void>((resolveDone) => (stopped = resolveDone));
  const stop = () => {
    stopping ??= watch.stop().then(stopped);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    say(`watching ${root} — tests: ${testCommand}; Ctrl+C to stop`);
    say(tests.note);
    await watch.start();
    await done;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await tests.close();
  }
  return 0;
}

function describe(event: WatchEvent, root: string): string {
  switch (event.type) {
    case 'tests_started':
      return event.trigger === 'start' ? 'running the tests' : `running the tests (changed: ${event.changed.slice(0, 5).join(', ')}${event.changed.length > 5 ? ', …' : ''})`;
    case 'tests_finished': {
      const v = event.verdict;
      if (v.passed) return event.previouslyPassed === false ? 'tests pass again' : 'tests pass';
      const names = v.failures.slice(0, 3).map((failure) => failure.name).join('; ');
      return `tests fail (exit ${v.exitCode}${names ? `: ${names}` : ''})${event.previouslyPassed === true ? ' — they passed before this change' : ''}`;
    }
    case 'proposal_started':
      return `proposing a fix (#${event.request.number}, ${event.request.trigger.replace('_', ' ')}) in a worktree; your files are not touched`;
    case 'proposal_finished': {
      const r = event.result;
      if (r.patchPath) return `proposal: ${relative(root, r.patchPath)} (${r.files.join(', ')}) — ${r.summary}\n[watch]   apply it with: git apply ${relative(root, r.patchPath)}`;
      return `no fix proposed (${r.status}): ${r.summary}${r.taskId ? ` — journal: patchpilot tasks --cwd ${root} (task ${r.taskId})` : ''}`;
    }
    case 'proposal_failed':
      return `the proposal could not run: ${event.error}`;
    case 'proposal_held':
      return `not proposing: ${event.decision.text}`;
    case 'stopped':
      return 'stopped';
  }
}

function sandboxMode(value: string | undefined): SandboxMode {
  if (value === undefined) return 'workspace-write';
  const mode = SANDBOX_MODES.find((candidate) => candidate === value);
  if (!mode) throw new UsageError(`--sandbox takes ${SANDBOX_MODES.join(', ')}, not "${value}".`);
  return mode;
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} takes a positive whole number, not "${text}".`);
  return n;
}

function nonNegativeInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} takes a whole number ≥ 0, not "${text}".`);
  return n;
}
