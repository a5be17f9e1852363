// Entry point of the headless `patchpilot` CLI: dispatches to a command; exit 2 for bad usage.
import { runScriptedServerCommand } from '../scripted/cli';
import { demoCommand } from './commands/demo';
import { queueCommand } from './commands/queue';
import { runCommand } from './commands/run';
import { watchCommand } from './commands/watch';
import { applyEditCommand, parseTestOutputCommand, tasksCommand, undoCommand } from './commands/tools';
import { USAGE, UsageError } from './usage';

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  run: (argv) => runCommand('run', argv),
  'fix-tests': (argv) => runCommand('fix-tests', argv),
  resume: (argv) => runCommand('resume', argv),
  tasks: tasksCommand,
  undo: undoCommand,
  'apply-edit': applyEditCommand,
  'parse-test-output': parseTestOutputCommand,
  'scripted-server': runScriptedServerCommand,
  demo: demoCommand,
  queue: queueCommand,
  watch: watchCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    process.stdout.write('patchpilot 0.1.0\n');
    return 0;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!name) throw new UsageError('no command given.');
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}".`);
  return command(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const isUsage = error instanceof UsageError || (error instanceof Error && 'code' in error && String((error as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'));
    process.stderr.write(`patchpilot: ${error instanceof Error ? error.message : String(error)}\n`);
    if (isUsage) process.stderr.write(`\n${USAGE}`);
    process.exitCode = isUsage ? 2 : 1;
  },
);
