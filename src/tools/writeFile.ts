// write_file: create a file or replace its whole content.
import { defineTool, errorToResult, failure } from './tool';
import { isBinary } from './workspace/fileKinds';

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
      let before: string | null = null;
      if (await context.workspace.exists(relative)) {
        const bytes = await context.workspace.readFile(relative);
        if (isBinary(bytes)) return failure('binary_file', `${relative} is a binary file; write_file will not replace it.`);
        before = bytes.toString('utf8');
      }
      if (before === args.content) return failure('no_op', `${relative} already has exactly this content; nothing was written.`);
      return context.writer.apply([{ path: relative, before, after: args.content }], before === null ? `Create ${relative}` : `Rewrite ${relative}`);
    } catch (error) {
      return errorToResult(error);
    }
  },
});
