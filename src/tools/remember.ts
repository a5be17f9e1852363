// remember: add a note to the project memory (.patchpilot/memory.md), fed into later tasks.
import { defineTool, failure } from './tool';

export interface RememberArgs { note: string }

export const rememberTool = defineTool<RememberArgs>({
  name: 'remember',
  description: 'Save a short, durable fact about this repository for future tasks (how tests run, a convention, a past failure and its fix). Not for task progress.',
  parameters: {
    type: 'object',
    properties: { note: { type: 'string', minLength: 3, maxLength: 500 } },
    required: ['note'],
    additionalProperties: false,
  },
  readOnly: true,
  async run(args, context) {
    if (/\n\s*\n/.test(args.note)) return failure('invalid_arguments', 'Keep a note to one paragraph.');
    await context.remember(args.note.trim());
    return { ok: true, output: 'Noted in .patchpilot/memory.md.' };
  },
});
