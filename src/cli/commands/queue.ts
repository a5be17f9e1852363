// `patchpilot queue add|list|run|cancel|apply`: tasks queued in the workspace's `.patchpilot/queue/` and run later,
// one after another in the person's tree, or `--parallel N` at once in worktrees whose results stay patches to apply.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensurePatchpilotIgnore } from '../../agent/projectContext';
import { PathPolicy } from '../../agent/policy/pathPolicy';
import { applyProposal, ProposalApplyError } from '../../agent/queue/proposals';
import { runQueue, type QueueEvent, type TaskOutcome, type TaskRun } from '../../agent/queue/runner';
import { QueueError, QueueStore, type QueueEntry } from '../../agent/queue/store';
import { RUN_OPTIONS, runCommand } from './run';
import { UsageError } from '../usage';

/** Flags the queue sets itself for every task it runs. */
const MANAGED_FLAGS = new Set(['cwd', 'goal', 'test', 'task', 'journal-dir', 'report', 'approve']);
/** Flags naming files: kept absolute, since the runner may start from another folder. */
const FILE_FLAGS = new Set(['scripted-model', 'providers', 'mcp-config']);
/** Queue files and proposals are Patchpilot's bookkeeping: no task may rewrite them. */
const QUEUE_PROTECTED = ['--protected=.patchpilot/queue/', '--protected=.patchpilot/proposals/', '--protected=.patchpilot/worktrees/'];

export async function queueCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'add': return queueAdd(rest);
    case 'list': return queueList(rest);
    case 'run': return queueRun(rest);
    case 'cancel': return queueCancel(rest);
    case 'apply': return queueApply(rest);
    default: throw new UsageError(sub ? `unknown queue command "${sub}" (add, list, run, cancel, apply).` : 'queue needs a command: add, list, run, cancel or apply.');
  }
}

async function queueAdd(argv: string[]): Promise<number> {
  const { values, tokens } = parseArgs({ args: argv, options: RUN_OPTIONS, strict: true, allowPositionals: false, tokens: true });
  const root = workspaceOf(values.cwd, true);
  if (!values.goal?.trim()) throw new UsageError('queue add needs --goal TEXT.');
  if (values.approve === 'ask') throw new UsageError('Queued tasks run unattended (--approve auto); review their results with `patchpilot tasks`, `undo` or `queue apply`.');
  for (const flag of ['task', 'journal-dir', 'report'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`queue add sets --${flag} itself: each task is journaled in .patchpilot/tasks and reported in .patchpilot/queue.`);
  }
  const args: string[] = [];
  for (const token of tokens ?? []) {
    if (token.kind !== 'option' || MANAGED_FLAGS.has(token.name)) continue;
    if (token.value === undefined) args.push(`--${token.name}`);
    else args.push(`--${token.name}=${FILE_FLAGS.has(token.name) ? resolve(token.value) : token.value}`);
  }
  const store = new QueueStore(root);
  const entry = store.add({ goal: values.goal, testCommand: values.test ?? null, args });
  process.stdout.write(`${entry.id}\n`);
  return 0;
}

async function queueList(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { cwd: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
  const store = new QueueStore(workspaceOf(values.cwd, false));
  const { entries, damaged } = store.list();
  if (values.json) {
    process.stdout.write(`${JSON.stringify(entries.map((entry) => ({ ...entry, runnerAlive: store.holder(entry.id) !== null })), null, 2)}\n`);
  } else if (entries.length === 0) {
    process.stdout.write(`No queued tasks in ${store.dir}.\n`);
  } else {
    for (const entry of entries) process.stdout.write(`${describeEntry(entry, store)}\n`);
  }
  for (const file of damaged) process.stderr.write(`patchpilot: ${file} is not a readable queue entry (left as it is).\n`);
  return 0;
}

function describeEntry(entry: QueueEntry, store: QueueStore): string {
  const state = entry.state === 'done' ? `done (${entry.status})`
    : entry.state === 'running' && store.holder(entry.id) === null ? 'running (runner gone: `queue run` resumes it)' : entry.state;
  const parts = [entry.id, state.padEnd(14), JSON.stringify(entry.goal)];
  if (entry.taskId) parts.push(`task ${entry.taskId}`);
  if (entry.proposal) parts.push(`patch ${entry.proposal}${entry.appliedAt ? ' (applied)' : ''}`);
  if (entry.error) parts.push(`error: ${entry.error}`);
  return parts.join('  ');
}

async function queueRun(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { cwd: { type: 'string' }, parallel: { type: 'string' }, quiet: { type: 'boolean' } }, strict: true });
  const root = workspaceOf(values.cwd, true);
  const parallel = values.parallel === undefined ? undefined : positiveInt(values.parallel, '--parallel');
  await ensurePatchpilotIgnore(root);
  const store = new QueueStore(root);
  const policy = new PathPolicy(root);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const say = (text: string) => {
    if (!values.quiet) process.stdout.write(`[queue] ${text}\n`);
  };
  let finished: QueueEntry[];
  try {
    finished = await runQueue(store, {
      parallel, journalDir: join(root, '.patchpilot', 'tasks'), signal: controller.signal,
      isProtected: (relative) => policy.isProtectedRelative(relative),
      execute: (run) => executeWithCli(run, values.quiet === true || run.concurrent),
      onEvent: (event) => say(describeEvent(event)),
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  if (finished.length === 0) say(`nothing to run in ${store.dir}.`);
  const failed = finished.filter((entry) => entry.state === 'failed' || (entry.state === 'done' && entry.status !== 'verified' && entry.status !== 'unverified'));
  return failed.length === 0 ? 0 : 1;
}

function describeEvent(event: QueueEvent): string {
  const entry = event.entry;
  switch (event.type) {
    case 'started':
      return `${event.resumed ? 'resuming' : 'starting'} ${entry.id} (task ${entry.taskId}${entry.worktree ? `, worktree ${entry.worktree.path}` : ''}): ${entry.goal}`;
    case 'skipped':
      return `skipped ${entry.id}: ${event.why}`;
    case 'finished': {
      const what = entry.state === 'done' ? `${entry.status}${entry.reason ? ` (${entry.reason})` : ''}` : entry.state;
      const patch = entry.proposal ? ` — patch ${entry.proposal}; apply it with \`patchpilot queue apply ${entry.id} --cwd ${entry.cwd}\`` : '';
      return `${entry.id} ${what}${entry.error ? `: ${entry.error}` : ''}${patch}`;
    }
  }
}

/** Runs the entry's task with the same code as `patchpilot run` / `resume`, in this process. */
async function executeWithCli(run: TaskRun, quiet: boolean): Promise<TaskOutcome> {
  const entry = run.entry;
  const common = [...entry.args, ...QUEUE_PROTECTED, '--approve=auto', `--journal-dir=${run.journalDir}`, `--report=${run.reportPath}`, ...(quiet ? ['--quiet'] : [])];
  const hooks = {
    taskId: run.taskId,
    onSession: (session: { cancel(): void }) => {
      if (run.signal.aborted) session.cancel();
      else run.signal.addEventListener('abort', () => session.cancel(), { once: true });
    },
  };
  const argv = run.fresh
    ? [`--cwd=${run.cwd}`, `--goal=${entry.goal}`, ...(entry.testCommand ? [`--test=${entry.testCommand}`] : []), ...common]
    : [`--cwd=${run.cwd}`, `--task=${run.taskId}`, ...common];
  await runCommand(run.fresh ? 'run' : 'resume', argv, hooks);
  if (!existsSync(run.reportPath)) throw new Error('The task ended without a report.');
  const report = JSON.parse(readFileSync(run.reportPath, 'utf8')) as { status: TaskOutcome['status']; reason: string | null; summary: string; taskId: string };
  if (report.taskId !== run.taskId) throw new Error(`The report is of task ${report.taskId}, not ${run.taskId}.`);
  return { status: report.status, reason: report.reason, summary: report.summary };
}

async function queueCancel(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { cwd: { type: 'string' } }, strict: true, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('queue cancel takes one ID (see `patchpilot queue list`).');
  const store = new QueueStore(workspaceOf(values.cwd, false));
  try {
    const { entry, pending } = store.cancel(positionals[0]);
    process.stdout.write(pending ? `${entry.id}: asked its runner to stop it; it ends as cancelled.\n` : `${entry.id}: cancelled.\n`);
    return 0;
  } catch (error) {
    if (error instanceof QueueError) {
      process.stderr.write(`patchpilot: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function queueApply(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { cwd: { type: 'string' } }, strict: true, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('queue apply takes one ID (see `patchpilot queue list`).');
  const store = new QueueStore(workspaceOf(values.cwd, false));
  try {
    const entry = store.resolve(positionals[0]);
    if (!entry.proposal) throw new QueueError(`${entry.id} has no patch to apply (${entry.state}${entry.mode === 'in-place' ? ': it ran in place, its changes are already in your files' : ''}).`);
    if (entry.appliedAt) throw new QueueError(`${entry.id}'s patch was applied already, at ${entry.appliedAt}.`);
    const files = await applyProposal(store.root, join(store.root, entry.proposal));
    store.update(entry.id, { appliedAt: new Date().toISOString() });
    process.stdout.write(`${entry.id}: applied ${entry.proposal} (${files.join(', ')}).\n`);
    return 0;
  } catch (error) {
    if (error instanceof QueueError || error instanceof ProposalApplyError) {
      process.stderr.write(`patchpilot: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function workspaceOf(cwd: string | undefined, mustExist: boolean): string {
  const root = resolve(cwd ?? process.cwd());
  if (mustExist || cwd !== undefined) {
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`--cwd ${root} is not a folder.`);
  }
  return root;
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} takes a positive whole number, not "${text}".`);
  return n;
}
