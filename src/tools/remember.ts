// remember: add a note to the project memory (.patchpilot/memory.md), fed into later tasks. The session decides whether
// it may be written (trusted workspace, a safe note, within the bounds) and records it with this task's id and date.
import { defineTool } from './tool';

export interface RememberArgs { note: string }

/** remember and forget both take one note's text. */
export const NOTE_PARAMETERS = {
  type: 'object',
  properties: { note: { type: 'string', minLength: 3, maxLength: 500 } },
  required: ['note'],
  additionalProperties: false,
} as const;

export const rememberTool = defineTool<RememberArgs>({
  name: 'remember',
  description: 'Save a short, durable fact about this repository for future tasks (how tests run, a convention, a past failure and its fix). '
    + 'Not for task progress, and never for commands future tasks should run on their own (such notes are refused). '
    + 'A near-identical note already in memory is refreshed instead of added. Notes are shown to the person with the task\'s changes.',
  parameters: NOTE_PARAMETERS,
  readOnly: true,
  async run(args, context) {
    return context.remember(args.note.trim());
  },
});
