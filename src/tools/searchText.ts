// search_text: find text (literal or regex) across the workspace, fast on large trees.
import { defineTool, errorToResult, failure } from './tool';

const MAX_RESULTS = 200;

export interface SearchTextArgs { query: string; path?: string; regex?: boolean; case_sensitive?: boolean }

export const searchTextTool = defineTool<SearchTextArgs>({
  name: 'search_text',
  description: 'Search file contents of the workspace. Returns "path:line: text" lines. Literal by default; regex=true for a JavaScript regular expression.',
  parameters: {
    type: 'object',
    properties: {
      query: { type: 'string', minLength: 1 },
      path: { type: 'string', description: 'Folder or file to search under; default the root.' },
      regex: { type: 'boolean' },
      case_sensitive: { type: 'boolean', description: 'Default true.' },
    },
    required: ['query'],
    additionalProperties: false,
  },
  readOnly: true,
  async run(args, context) {
    if (args.regex) {
      try {
        new RegExp(args.query);
      } catch (error) {
        return failure('invalid_arguments', `query is not a valid regular expression: ${(error as Error).message}`);
      }
    }
    try {
      const path = args.path ? context.workspace.resolve(args.path, 'read') : undefined;
      const result = await context.workspace.searchText(args.query, {
        path, regex: args.regex ?? false, caseSensitive: args.case_sensitive ?? true, maxResults: MAX_RESULTS, signal: context.signal,
      });
      const lines = result.hits.map((hit) => `${hit.path}:${hit.line}: ${hit.text}`);
      if (result.truncated) lines.push(`[… stopped at ${MAX_RESULTS} matches; narrow the query or the path]`);
      return { ok: true, output: lines.length ? lines.join('\n') : `No matches in ${result.filesSearched} files.` };
    } catch (error) {
      return errorToResult(error);
    }
  },
});
