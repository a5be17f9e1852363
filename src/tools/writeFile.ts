// write_file: create a file or replace its whole content.
import { readEditableText } from './editSupport';
import { defineTool, errorToResult, failure } from './tool';

export interface WriteFileArgs { path: string; content: string }

export const writeFileTool = defineTool<WriteFileArgs>({
  name: 'write_file',
  description: 'Create a file, or replace the whole content of an existing one. Prefer edit_file for changes to existing files.',
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
      return context.writer.apply([{ path: relative, before, after: args.content }], before === null ? `Create ${relative}` : `Rewrite ${relative}`);
    } catch (error) {
      return errorToResult(error);
    }
  },
});
