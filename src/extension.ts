// Composition root of the VS Code extension: builds the host adapters and hands them to the core.
import type * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push({ dispose: () => undefined });
}

export function deactivate(): void {
  // Sessions and terminals are disposed through context.subscriptions.
}
