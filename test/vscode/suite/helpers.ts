// Shared steps of the in-VS-Code tests: the extension under test, its API, fixture resets and waiting for state.
import * as vscode from 'vscode';
import type { PatchpilotApi } from '../../../src/extension';

export const EXTENSION_ID = 'patchpilot.patchpilot';

export function extension(): vscode.Extension<PatchpilotApi> {
  const found = vscode.extensions.getExtension<PatchpilotApi>(EXTENSION_ID);
  if (!found) throw new Error(`extension ${EXTENSION_ID} is not installed in this VS Code`);
  return found;
}
