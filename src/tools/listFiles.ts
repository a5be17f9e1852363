// list_files: the files of a folder, respecting .gitignore.
import { defineTool, errorToResult } from './tool';

const LIST_LIMIT = 2000;

export interface ListFilesArgs { path?: string; recursive?: boolean }

export const listFilesTool = defineTool<ListFilesArgs>({
  name: 'list_files',
  description: 'List files and folders under a workspace folder (default: the root). Ignored files (.gitignore) are not listed.',
  parameters: {
    type: 'object',
    properties: {
      path: { type: 'string', description: 'Workspace-relative folder; default the root.' },
      recursive: { type: 'boolean', description: 'List the whole subtree (default false).' },
    },
    additionalProperties: false,
  },
  readOnly: true,
  async run(args, context) {
    try {
      const relative = args.path ? context.workspace.resolve(args.path, 'read') : '';
      const { entries, truncated } = await context.workspace.listFiles(relative, { recursive: args.recursive ?? false, limit: LIST_LIMIT });
      const lines = entries.map((entry) => (entry.kind === 'dir' ? `${entry.path}/` : entry.path));
      if (truncated) lines.push(`[… listing stopped at ${LIST_LIMIT} entries; list a subfolder for more]`);
      return { ok: true, output: lines.length ? lines.join('\n') : '(no files)' };
    } catch (error) {
      return errorToResult(error);
    }
  },
});
