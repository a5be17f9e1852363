// Shared by the edit tools: turning engine errors into tool results, and a file lookup confined by the workspace policy.
import { readFileSync, statSync } from 'node:fs';
import type { EditError, FileLookup } from './edits/types';
import type { ToolResult } from './types';
import type { Workspace } from './workspace/types';
import { WorkspaceError } from './workspace/types';
import { failure } from './tool';
import { isBinary } from './workspace/fileKinds';

export function editErrorToResult(error: EditError): ToolResult {
  const parts = [error.message];
  if (error.closest) {
    const where = `${error.closest.path ?? error.path ?? 'the file'} lines ${error.closest.startLine}-${error.closest.endLine}`;
    parts.push(`Closest candidate (${Math.round(error.closest.similarity * 100)}% similar) at ${where}:\n${error.closest.text}`);
    parts.push('Nothing was changed. Read the file again and retry with a search text copied exactly from it.');
  } else {
    parts.push('Nothing was changed.');
  }
  return failure(error.code, parts.join('\n'), { editIndex: error.editIndex, closest: error.closest });
}

/**
 * A synchronous lookup for the multi-file edit formats: every path goes through the workspace policy first.
 * A policy refusal is remembered and rethrown by `throwIfRefused`, so the patch is rejected as a whole.
 */
export function policyLookup(workspace: Workspace): { lookup: FileLookup; throwIfRefused(): void } {
  let refusal: WorkspaceError | undefined;
  const lookup: FileLookup = (path) => {
    try {
      const relative = workspace.resolve(path, 'write');
      const absolute = workspace.absolute(relative);
      if (!statSync(absolute, { throwIfNoEntry: false })?.isFile()) return undefined;
      const bytes = readFileSync(absolute);
      if (isBinary(bytes)) throw new WorkspaceError('binary_file', `${relative} is a binary file; it cannot be edited as text.`);
      return bytes.toString('utf8');
    } catch (error) {
      if (error instanceof WorkspaceError) refusal ??= error;
      return undefined;
    }
  };
  return {
    lookup,
    throwIfRefused() {
      if (refusal) throw refusal;
    },
  };
}
