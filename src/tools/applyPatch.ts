// apply_patch: a unified diff or a `*** Begin Patch` patch, possibly touching several files (add, delete, move).
import { applyEditText } from './edits';
import { editErrorToResult, policyLookup, writableChanges } from './editSupport';
import { defineTool, errorToResult } from './tool';

export interface ApplyPatchArgs { patch: string }

export const applyPatchTool = defineTool<ApplyPatchArgs>({
  name: 'apply_patch',
  description:
    'Apply a patch to one or more files: a unified diff (--- a/x, +++ b/x, @@ hunks) or the "*** Begin Patch" format ' +
    '(*** Add File / *** Update File / *** Delete File / *** Move to). Hunks are located by their context lines, ' +
    'top to bottom, each below the previous one: order them as they appear in the file. ' +
    'The whole patch applies or nothing does.',
  parameters: {
    type: 'object',
    properties: { patch: { type: 'string', minLength: 1 } },
    required: ['patch'],
    additionalProperties: false,
  },
  readOnly: false,
  async run(args, context) {
    try {
      const { lookup, throwIfRefused } = policyLookup(context.workspace);
      const outcome = applyEditText(args.patch, lookup, { format: 'auto' });
      throwIfRefused();
      if (!outcome.ok) return editErrorToResult(outcome.error);
      const expanded = writableChanges(context.workspace, outcome.changes);
      return context.writer.apply(expanded, `Patch ${expanded.map((c) => c.path).join(', ')}`);
    } catch (error) {
      return errorToResult(error);
    }
  },
});
