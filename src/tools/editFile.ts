// edit_file: search/replace pairs on one file; all pairs of a call apply together or none do.
import { applySearchReplacePairs } from './edits';
import { editErrorToResult, readEditableText } from './editSupport';
import { defineTool, errorToResult } from './tool';

export interface EditFileArgs { path: string; edits: { search: string; replace: string; replace_all?: boolean }[] }

export const editFileTool = defineTool<EditFileArgs>({
  name: 'edit_file',
  description:
    'Edit one file with search/replace pairs. Each search must match the current file text exactly once (copy it ' +
    'from read_file output without the line-number prefixes; include enough lines to be unique). All pairs apply ' +
    'together or none do. Write search and replace as plain text with real line breaks and quotes (do not escape them). ' +
    'An empty search on a missing file creates it. On a miss the reply shows the closest candidate.',
  parameters: {
    type: 'object',
    properties: {
      path: { type: 'string' },
      edits: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          properties: {
            search: { type: 'string', description: 'Exact text to find (whole lines preferred).' },
            replace: { type: 'string', description: 'Text to put in its place (empty removes exactly the search text; include the line ending to remove a whole line).' },
            replace_all: { type: 'boolean', description: 'Replace every occurrence instead of exactly one.' },
          },
          required: ['search', 'replace'],
          additionalProperties: false,
        },
      },
    },
    required: ['path', 'edits'],
    additionalProperties: false,
  },
  readOnly: false,
  async run(args, context) {
    try {
      const relative = context.workspace.resolve(args.path, 'write');
      const pairs = args.edits.map((edit) => ({ search: edit.search, replace: edit.replace, replaceAll: edit.replace_all }));
      const existing = await readEditableText(context.workspace, relative);
      if (existing === null && pairs.every((pair) => pair.search === '')) {
        const created = pairs.map((pair) => pair.replace).join('');
        return context.writer.apply([{ path: relative, before: null, after: created }], `Create ${relative}`);
      }
      // A missing file ends here: readFile throws file_not_found, naming similarly named files as suggestions.
      const before = existing ?? (await context.workspace.readFile(relative)).toString('utf8');
      const outcome = applySearchReplacePairs(before, pairs, { path: relative });
      if (!outcome.ok) return editErrorToResult({ ...outcome.error, path: outcome.error.path ?? relative });
      return context.writer.apply([{ path: relative, before, after: outcome.content }], `Edit ${relative}`);
    } catch (error) {
      return errorToResult(error);
    }
  },
});
