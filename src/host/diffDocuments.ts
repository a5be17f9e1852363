// Read-only virtual documents of proposed (and original) file contents, opened side by side with the native vscode.diff.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PROPOSED_SCHEME } from './commandIds';
import { Disposable } from './lifecycle';

export type DiffSide = 'before' | 'after' | 'diff';

export class ProposedContentProvider extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly changeEmitter = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changeEmitter.event;

  constructor() {
    super();
    this._register(vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, this));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Opens the native diff editor: the original on the left, the proposed content on the right, both read-only. */
  async openDiff(reviewKey: string, relativePath: string, before: string | null, after: string | null, proposedBy = 'proposed', beside = false): Promise<void> {
    const left = this.put(reviewKey, relativePath, 'before', before ?? '');
    const right = this.put(reviewKey, relativePath, 'after', after ?? '');
    const label = before === null ? 'new file' : after === null ? 'deleted' : proposedBy;
    // `beside`: next to the panel, which stays in view (an attempt's diff while its review waits).
    await vscode.commands.executeCommand('vscode.diff', left, right, `${path.basename(relativePath)} (original ↔ ${label})`,
      { preview: true, ...(beside ? { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true } : {}) });
  }

  /** Opens a unified diff (an attempt's change, from a past task's journal) as a read-only document beside the panel. */
  async openUnifiedDiff(reviewKey: string, relativePath: string, diff: string): Promise<void> {
    const uri = this.put(reviewKey, `${relativePath}.diff`, 'diff', diff);
    await vscode.window.showTextDocument(uri, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  private put(reviewKey: string, relativePath: string, side: DiffSide, content: string): vscode.Uri {
    // The path keeps the file name and extension, so the diff editor picks the right language.
    const uri = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${side}/${relativePath}`, query: `review=${encodeURIComponent(reviewKey)}` });
    const key = uri.toString();
    const changed = this.contents.get(key) !== content;
    this.contents.set(key, content);
    if (changed) this.changeEmitter.fire(uri);
    return uri;
  }
}
