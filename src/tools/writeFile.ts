// write_file: create a file or replace its whole content.
import { applyLazyEdit } from './edits';
import { isPlaceholderLine } from './edits/lazy-placeholders';
import { editErrorToResult, readEditableText } from './editSupport';
import { defineTool, errorToResult, failure } from './tool';

export interface WriteFileArgs { path: string; content: string }

export const writeFileTool = defineTool<WriteFileArgs>({
  name: 'write_file',
  description: 'Create a file, or replace the whole content of an existing one you have read in this task. Prefer edit_file for changes to existing files. ' +
    'For an existing file you may write `// ... existing code ...` (in the file\'s comment style) where lines stay unchanged: a placeholder keeps ' +
    'every original line it stands for, and new lines right after it are added. Start or end with a placeholder to keep the top or bottom.',
  parameters: {
    type: 'object',
    properties: { path: { type: 'string' }, content: { type: 'string' } },
    required: ['path', 'content'],
    additionalProperties: false,
  },
  readOnly: false,
  async run(args, context) {
    try {
      const relative = context.workspace.resolve(args.path, 'write');
      const before = await readEditableText(context.workspace, relative);
      if (before === args.content) return failure('no_op', `${relative} already has exactly this content; nothing was written.`);
      // Overwriting what you have not read loses whatever you did not know was there.
      if (before !== null && !context.writer.hasSeen(relative)) {
        return failure('not_read_first', `${relative} exists and you have not read it in this task, so replacing it whole could lose content you have not seen. Nothing was written. Read it first (read_file), or change just the part you mean with edit_file.`);
      }
      // "// ... existing code ..." in a rewrite stands for lines kept: resolved exactly, or refused — never written literally.
      if (before !== null && args.content.split(/\r?\n/).some(isPlaceholderLine)) {
        const lazy = applyLazyEdit(before, args.content, relative);
        if (!lazy.ok) return editErrorToResult({ ...lazy.error, path: lazy.error.path ?? relative });
        return context.writer.apply([{ path: relative, before, after: lazy.content }], `Edit ${relative}`);
      }
      return context.writer.apply([{ path: relative, before, after: args.content }], before === null ? `Create ${relative}` : `Rewrite ${relative}`);
    } catch (error) {
      return errorToResult(error);
    }
  },
});
