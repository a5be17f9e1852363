// Shared steps of the in-VS-Code tests: the extension under test, the scripted model, fixture resets and waiting.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TaskResult } from '../../../src/agent/result';
import type { PatchpilotApi } from '../../../src/extension';
import type { PatchpilotHost } from '../../../src/host/patchpilotHost';
import { driver } from './driver';

export const EXTENSION_ID = 'patchpilot.patchpilot';

export function extension(): vscode.Extension<PatchpilotApi> {
  const found = vscode.extensions.getExtension<PatchpilotApi>(EXTENSION_ID);
  if (!found) throw new Error(`extension ${EXTENSION_ID} is not installed in this VS Code`);
  return found;
}

export async function patchpilot(): Promise<PatchpilotHost> {
  const ext = extension();
  const api = ext.isActive ? ext.exports : await ext.activate();
  return api.host();
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the test workspace has no folder');
  return folder.uri.fsPath;
}

export function readWorkspaceFile(relative: string): string {
  return fs.readFileSync(path.join(workspaceRoot(), relative), 'utf8');
}

/** Back to the committed fixture: the workspace is a throwaway git repository made by the runner. */
export function resetWorkspace(): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: workspaceRoot(), stdio: 'pipe' });
  git('checkout', '--', '.');
  git('clean', '-fdq', '-e', '.vscode');
}

/** A digest of every file outside .git: equal digests mean a byte-identical workspace. */
export function treeDigest(root = workspaceRoot()): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === '.git') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(`${path.relative(root, full)}\0`).update(fs.readFileSync(full)).update('\0');
    }
  };
  walk(root);
  return hash.digest('hex');
}

/** Points the extension at a fresh scripted model server (user settings, as a person would configure a provider). */
export async function useScriptedModel(script: unknown): Promise<number> {
  const server = await driver.scripted(script);
  const config = vscode.workspace.getConfiguration('patchpilot');
  await config.update('baseUrl', server.url, vscode.ConfigurationTarget.Global);
  await config.update('model', 'scripted', vscode.ConfigurationTarget.Global);
  return server.index;
}

export async function setSetting(key: string, value: unknown, target = vscode.ConfigurationTarget.Global): Promise<void> {
  await vscode.workspace.getConfiguration('patchpilot').update(key, value, target);
}

export function nextTaskResult(host: PatchpilotHost): Promise<TaskResult> {
  return new Promise((resolve) => {
    const listener = host.controller.onDidFinishTask((result) => {
      listener.dispose();
      resolve(result);
    });
  });
}

export async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** All message texts of one recorded model request, to check what reached the model. */
export function requestText(request: { body: { messages?: { role: string; content: unknown }[] } | null }): string {
  return (request.body?.messages ?? []).map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
}

/** Between tests: no task left running, no review left pending, no settings left from the previous test. */
export async function settle(): Promise<void> {
  if (!extension().isActive) return;
  const host = await patchpilot();
  if (host.controller.isRunning) {
    host.controller.stop();
    await host.controller.whenIdle().catch(() => undefined);
  }
  host.reviews.dismissFinal();
  // Toasts of one test must not answer for the next (a notification cannot be closed from an extension).
  await vscode.commands.executeCommand('notifications.clearAll');
  const config = vscode.workspace.getConfiguration('patchpilot');
  for (const key of ['testCommand', 'approval.newTask', 'commands.deny', 'commands.allow', 'protectedPaths']) {
    await config.update(key, undefined, vscode.ConfigurationTarget.Global);
    await config.update(key, undefined, vscode.ConfigurationTarget.Workspace);
  }
  resetWorkspace();
}
