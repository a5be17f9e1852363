// Composition root of the VS Code extension: registers the commands at once and builds everything else on first use.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { CHAT_VIEW_TYPE, COMMAND_IDS, PANEL_VIEW_TYPE, type CommandId } from './host/commandIds';
import type { PatchpilotHost } from './host/patchpilotHost';

/** What activate() returns: used by the in-VS-Code tests and by other extensions that want to observe tasks. */
export interface PatchpilotApi {
  readonly activationMs: number;
  /** The host with its adapters; built (and its heavy modules loaded) on the first call. */
  host(): Promise<PatchpilotHost>;
}

export function activate(context: vscode.ExtensionContext): PatchpilotApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Patchpilot', { log: true });
  context.subscriptions.push(log);
  let hostPromise: Promise<PatchpilotHost> | undefined;
  // The agent core, the openai client and the panel host are only evaluated when a command first needs them.
  const loadHost = (): Promise<PatchpilotHost> => (hostPromise ??= import('./host/patchpilotHost').then((module) => {
    const host = new module.PatchpilotHost(context, log);
    context.subscriptions.push(host);
    return host;
  }));
  for (const id of COMMAND_IDS) {
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => runCommand(id, args)));
  }
  async function runCommand(id: CommandId, args: unknown[]): Promise<unknown> {
    try {
      return await (await loadHost()).runCommand(id, args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.error(`${id} failed: ${error instanceof Error && error.stack ? error.stack : message}`);
      void vscode.window.showErrorMessage(`Patchpilot: ${message}`, 'Show Log').then((choice) => { if (choice) log.show(); });
      return undefined;
    }
  }
  context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
    deserializeWebviewPanel: async (panel) => (await loadHost()).adoptPanel(panel),
  }));
  // The chat view may be open when the window starts: its provider is registered here and loads the host on demand.
  context.subscriptions.push(vscode.window.registerWebviewViewProvider(CHAT_VIEW_TYPE, {
    resolveWebviewView: async (view) => (await loadHost()).sidebar.resolveWebviewView(view),
  }));
  // The demo's window (Patchpilot: Try the Demo) starts its scripted model and task without waiting for a command.
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (root?.scheme === 'file' && existsSync(`${root.fsPath}/.patchpilot/demo.json`)) void loadHost();
  // Worktrees of background tasks a crashed (or killed) window left behind are removed now; the module is small.
  if (root?.scheme === 'file' && existsSync(`${root.fsPath}/.patchpilot/worktrees`)) {
    void import('./tools/changes/worktrees').then((worktrees) => worktrees.cleanupStaleWorktrees(root.fsPath)).then(
      (removed) => { if (removed.length) log.info(`removed ${removed.length} worktree(s) left by an earlier window: ${removed.map((w) => w.id).join(', ')}`); },
      (error: unknown) => log.warn(`worktree cleanup failed: ${String(error)}`));
  }
  const activationMs = performance.now() - started;
  log.info(`Patchpilot activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, host: loadHost };
}

export function deactivate(): void {
  // Sessions, terminals and panels are disposed through context.subscriptions.
}
