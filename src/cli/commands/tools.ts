// `apply-edit`, `parse-test-output`, `tasks` and `undo`: the engines of the agent, callable one at a time.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { listTasks } from '../../agent/journal';
import { PathPolicy } from '../../agent/policy/pathPolicy';
import { undoTask } from '../../agent/undo';
import { applyEditText } from '../../tools/edits';
import type { EditFormat } from '../../tools/edits/types';
import { policyLookup, writableChanges } from '../../tools/editSupport';
import { parseTestOutput } from '../../tools/testparse';
import type { TestRunner } from '../../tools/testparse/types';
import { NodeWorkspace } from '../../tools/workspace/nodeWorkspace';
import { WorkspaceError } from '../../tools/workspace/types';
import { UsageError } from '../usage';

const FORMATS: readonly EditFormat[] = ['auto', 'search-replace', 'unified-diff', 'apply-patch', 'editblock', 'edit-json'];
const RUNNERS = ['auto', 'mocha', 'jest', 'vitest', 'node', 'pytest', 'go', 'cargo', 'tap', 'junit', 'ava'] as const;

export async function applyEditCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { cwd: { type: 'string' }, edit: { type: 'string' }, file: { type: 'string' }, format: { type: 'string' } } });
  if (!values.cwd || !values.edit) throw new UsageError('apply-edit needs --cwd DIR and --edit FILE.');
  const format = (values.format ?? 'auto') as EditFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format takes one of ${FORMATS.join(', ')}.`);
  const cwd = resolve(values.cwd);
  const text = values.edit === '-' ? readFileSync(0, 'utf8') : readFileSync(values.edit, 'utf8');
  const workspace = new NodeWorkspace(cwd, new PathPolicy(cwd));
  try {
    const { lookup, throwIfRefused } = policyLookup(workspace);
    const outcome = applyEditText(text, lookup, { format, file: values.file });
    throwIfRefused();
    if (!outcome.ok) {
      // The engine's message already names the closest candidate and its lines.
      process.stderr.write(`patchpilot: edit rejected [${outcome.error.code}]: ${outcome.error.message}\nNothing was written.\n`);
      return 1;
    }
    for (const change of writableChanges(workspace, outcome.changes)) {
      if (change.after === null) await workspace.deleteFile(change.path);
      else await workspace.writeFileAtomic(change.path, change.after);
      process.stdout.write(`${change.before === null ? 'created' : change.after === null ? 'deleted' : 'edited'} ${change.path}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof WorkspaceError) {
      process.stderr.write(`patchpilot: edit rejected [${error.code}]: ${error.message}\nNothing was written.\n`);
      return 1;
    }
    throw error;
  }
}

export async function parseTestOutputCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { runner: { type: 'string' } }, allowPositionals: true });
  const runner = values.runner ?? 'auto';
  if (!(RUNNERS as readonly string[]).includes(runner)) throw new UsageError(`--runner takes one of ${RUNNERS.join(', ')}.`);
  if (positionals.length > 1) throw new UsageError('parse-test-output takes one FILE (or - for standard input).');
  const source = positionals[0] ?? '-';
  const text = source === '-' ? readFileSync(0, 'utf8') : readFileSync(source, 'utf8');
  const parsed = parseTestOutput(text, runner as TestRunner | 'auto');
  const output = {
    runner: parsed.runner, failures: parsed.failures.map(({ name, file, line, message }) => ({ name, file, line, message })),
    passed: parsed.passed, failed: parsed.failed, skipped: parsed.skipped, todo: parsed.todo,
    ...(parsed.tests ? { tests: parsed.tests } : {}), ...(parsed.tail ? { tail: parsed.tail } : {}),
  };
  process.stdout.write(JSON.stringify(output, null, 2) + '\n');
  return 0;
}

export async function tasksCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { cwd: { type: 'string' }, 'journal-dir': { type: 'string' } } });
  if (!values.cwd && !values['journal-dir']) throw new UsageError('tasks needs --cwd DIR (or --journal-dir DIR).');
  const dir = values['journal-dir'] ? resolve(values['journal-dir']) : join(resolve(values.cwd!), '.patchpilot', 'tasks');
  const tasks = await listTasks(dir);
  if (!tasks.length) process.stdout.write(`No tasks in ${dir}.\n`);
  for (const t of tasks) process.stdout.write(`${t.taskId}  ${t.status.padEnd(11)} ${t.goal}\n`);
  return 0;
}

export async function undoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { cwd: { type: 'string' }, task: { type: 'string' }, 'journal-dir': { type: 'string' } } });
  if (!values.task || (!values.cwd && !values['journal-dir'])) throw new UsageError('undo needs --cwd DIR and --task ID.');
  const dir = values['journal-dir'] ? resolve(values['journal-dir']) : join(resolve(values.cwd!), '.patchpilot', 'tasks');
  const report = await undoTask(dir, values.task);
  for (const path of report.restored) process.stdout.write(`restored ${path}\n`);
  for (const skip of report.skipped) process.stdout.write(`kept ${skip.path}: ${skip.reason}\n`);
  return report.skipped.length ? 1 : 0;
}
