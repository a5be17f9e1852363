// Shared by the edit tools: turning engine errors into tool results, and a file lookup confined by the workspace policy.
import { readFileSync, statSync } from 'node:fs';
import type { EditError, FileChange, FileLookup } from './edits/types';
import type { ToolResult } from './types';
import type { Workspace } from './workspace/types';
import { WorkspaceError } from './workspace/types';
import { failure } from './tool';
import { isBinary } from './workspace/fileKinds';

export function editErrorToResult(error: EditError): ToolResult {
  // The engine's message already names the closest candidate and its lines; it only has to say nothing changed.
  const message = /nothing was changed/i.test(error.message) ? error.message : `${error.message}\nNothing was changed.`;
  return failure(error.code, message, { editIndex: error.editIndex, closest: error.closest });
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

/**
 * The current text of a file the agent is about to change: null when it does not exist; a binary file is refused
 * (WorkspaceError 'binary_file'), so no edit tool ever rewrites one as text.
 */
export async function readEditableText(workspace: Workspace, relativePath: string): Promise<string | null> {
  if (!(await workspace.exists(relativePath))) return null;
  const bytes = await workspace.readFile(relativePath);
  if (isBinary(bytes)) throw new WorkspaceError('binary_file', `${relativePath} is a binary file; it cannot be changed as text.`);
  return bytes.toString('utf8');
}

/**
 * Checks write access to every target of an edit before anything is written (a refused path rejects the whole
 * edit), and turns a move into a delete of the old path plus a create of the new one.
 */
export function writableChanges(workspace: Workspace, changes: readonly FileChange[]): FileChange[] {
  for (const change of changes) {
    workspace.resolve(change.path, 'write');
    if (change.movedTo) workspace.resolve(change.movedTo, 'write');
  }
  return changes.flatMap((change) =>
    change.movedTo
      ? [{ path: change.path, before: change.before, after: null }, { path: change.movedTo, before: null, after: change.after }]
      : [{ path: change.path, before: change.before, after: change.after }],
  );
}
