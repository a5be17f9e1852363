// forget: remove a note from the project memory (.patchpilot/memory.md) that turned out wrong or outdated. The model
// may only forget notes its own task wrote; other notes are the person's to remove (Patchpilot: Show Memory).
import { NOTE_PARAMETERS } from './remember';
import { defineTool } from './tool';

export interface ForgetArgs { note: string }

export const forgetTool = defineTool<ForgetArgs>({
  name: 'forget',
  description: 'Remove a note this task saved with remember from the project memory, when it turned out wrong. Give the note\'s text '
    + '(or a distinctive part of it). Notes written by earlier tasks or by the person cannot be removed by you: say in finish which one looks wrong.',
  parameters: NOTE_PARAMETERS,
  readOnly: true,
  async run(args, context) {
    return context.forget(args.note.trim());
  },
});
