// run_command: a shell command in the workspace, under the command policy, with a timeout and bounded output.
import { defineTool } from './tool';

export interface RunCommandArgs { command: string; timeout_seconds?: number }

export const runCommandTool = defineTool<RunCommandArgs>({
  name: 'run_command',
  description:
    'Run a shell command in the workspace root and get its exit code and output (long output keeps the head and the ' +
    'tail; the full text is saved to a file you can read). Standard input is closed. Commands matching deny rules are ' +
    'refused; others may need the person\'s approval. Use run_tests for the task\'s test command.',
  parameters: {
    type: 'object',
    properties: {
      command: { type: 'string', minLength: 1 },
      timeout_seconds: { type: 'number', exclusiveMinimum: 0, maximum: 3600, description: 'Default 120.' },
    },
    required: ['command'],
    additionalProperties: false,
  },
  readOnly: false,
  run(args, context) {
    return context.commands.runCommand(args.command, args.timeout_seconds);
  },
});
