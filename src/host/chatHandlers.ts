// What the chat view's requests do: a message becomes a new task, a follow-up for the running task, or the next turn
// of the last one (with its @-mentions expanded into context); completions come from the workspace's files and the
// editor's state. The work itself happens in the task controller, as for the palette commands.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { PathPolicy } from '../agent/policy/pathPolicy';
import type { QueueMethod, SidebarRequestHandlers } from '../shared/sidebarProtocol';
import { FileEnumerator } from '../tools/workspace/fileEnumeration';
import { isBinary } from '../tools/workspace/fileKinds';
import { readSettings } from './config';
import { completeMentions, expandMentions, rankFiles, type MentionSources } from './mentions';
import type { PatchpilotHost } from './patchpilotHost';
import { stripAnsi } from './terminalRunner';

const FILE_LIST_TTL_MS = 10_000;
const MAX_ATTACHED_BYTES = 512 * 1024;

export function chatHandlers(host: PatchpilotHost, commands: { fixFailingTests(goalNote?: string): Promise<unknown> }): Omit<SidebarRequestHandlers, QueueMethod> {
  const files = new WorkspaceFiles();
  return {
    send: async ({ text, attachActiveEditor, fixTests, background }) => {
      const root = workspaceRoot();
      if (!root) return { accepted: false, message: 'Open a folder first: Patchpilot works on the files of a workspace folder.' };
      const sources = mentionSources(host, root, files);
      const active = attachActiveEditor ? activeEditorPath() : null;
      const message = await expandMentions(text, sources, active);
      if (!message.title && !fixTests) return { accepted: false, message: 'Write what Patchpilot should do.' };
      const refused = message.refused.length ? ` Not attached: ${message.refused.join('; ')}.` : '';
      const { controller } = host;
      if (background === true) {
        if (!vscode.workspace.isTrusted) return { accepted: false, message: 'Background tasks need a trusted workspace (they run commands in their own worktree).' };
        const testCommand = readSettings(vscode.Uri.file(root)).testCommand;
        void host.background.start({ goal: message.goal, title: message.title, root, testCommand }).catch((error: unknown) => host.reportError(error));
        return { accepted: true, message: `Started in the background, in its own worktree: keep editing; a notification tells you when it needs you.${refused}` };
      }
      if (fixTests) {
        void commands.fixFailingTests(message.title ? message.goal : undefined);
        return { accepted: true, message: `Fixing the failing tests.${refused}` };
      }
      switch (controller.sendMode) {
        case 'steer':
          return controller.steer(message.goal)
            ? { accepted: true, message: `Sent: it reaches the model before its next step.${refused}` }
            : { accepted: false, message: 'The task ended just now; send the message again to continue it.' };
        case 'continue':
          void controller.continueLast(message.goal).catch((error: unknown) => host.reportError(error));
          return { accepted: true, message: `Continuing the task.${refused}` };
        case 'new': {
          const settings = readSettings(vscode.Uri.file(root));
          void controller.start({ goal: message.goal, title: message.title, cwd: root, approval: settings.approval.newTask, testCommand: settings.testCommand })
            .catch((error: unknown) => host.reportError(error));
          return { accepted: true, message: `Started.${refused}` };
        }
      }
    },
    newConversation: async () => {
      host.controller.newConversation();
      return { ok: true };
    },
    complete: async ({ query }) => {
      const root = workspaceRoot();
      if (!root || typeof query !== 'string') return { items: [] };
      return { items: await completeMentions(query, mentionSources(host, root, files)) };
    },
    stop: async () => ({ stopped: host.controller.stop() }),
    openReview: async () => {
      host.panel.show();
      return { opened: true };
    },
    openTask: async ({ taskId }) => {
      if (typeof taskId !== 'string') return { opened: false };
      if (host.background.show(taskId)) return { opened: true };
      if (taskId === host.controller.liveTaskId) host.panel.show();
      else host.controller.showTask(taskId, 'history');
      return { opened: true };
    },
    answerCommand: async ({ questionId, run, always }) => {
      if (typeof questionId !== 'string' || typeof run !== 'boolean') throw new Error('answerCommand needs a questionId and run: true or false');
      return { answered: host.reviews.answerCommand(questionId, run, always === true) };
    },
  };
}

function workspaceRoot(): string | null {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder && folder.uri.scheme === 'file' ? folder.uri.fsPath : null;
}

function activeEditorPath(): string | null {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.scheme !== 'file' || !vscode.workspace.getWorkspaceFolder(editor.document.uri)) return null;
  return vscode.workspace.asRelativePath(editor.document.uri, false);
}

/** The workspace's files (git ls-files or a .gitignore-aware walk), listed at most every few seconds. */
class WorkspaceFiles {
  private cache: { root: string; at: number; files: Promise<string[]> } | undefined;

  list(root: string): Promise<string[]> {
    if (!this.cache || this.cache.root !== root || Date.now() - this.cache.at > FILE_LIST_TTL_MS) {
      this.cache = { root, at: Date.now(), files: new FileEnumerator(root).listFiles('').catch(() => []) };
    }
    return this.cache.files;
  }
}

function mentionSources(host: PatchpilotHost, root: string, files: WorkspaceFiles): MentionSources {
  const settings = readSettings(vscode.Uri.file(root));
  const policy = new PathPolicy(root, { extraProtected: settings.protectedPaths, unprotected: settings.unprotectedPaths });
  return {
    findFiles: async (query) => rankFiles(await files.list(root), query).filter((file) => policy.check(file, 'read').ok),
    readFile: async (relative) => {
      const check = policy.check(relative, 'read');
      if (!check.ok) return { ok: false, reason: check.code === 'protected_path' ? 'a protected path (it holds secrets or repository internals)' : 'outside the workspace' };
      try {
        const stat = fs.statSync(check.absolute);
        if (!stat.isFile()) return { ok: false, reason: 'not_found' };
        if (stat.size > MAX_ATTACHED_BYTES) return { ok: false, reason: `too large to attach (${Math.round(stat.size / 1024)} KB); mention a smaller file or let the agent read it` };
        const bytes = fs.readFileSync(check.absolute);
        if (isBinary(bytes)) return { ok: false, reason: 'a binary file' };
        return { ok: true, text: bytes.toString('utf8') };
      } catch {
        return { ok: false, reason: 'not_found' };
      }
    },
    selection: () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.selection.isEmpty) return null;
      return { path: vscode.workspace.asRelativePath(editor.document.uri, false), startLine: editor.selection.start.line + 1,
        endLine: editor.selection.end.line + 1, text: editor.document.getText(editor.selection) };
    },
    problems: () => vscode.languages.getDiagnostics().flatMap(([uri, diagnostics]) => diagnostics
      .filter((d) => d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning)
      .map((d) => ({ path: vscode.workspace.asRelativePath(uri, false), line: d.range.start.line + 1,
        severity: d.severity === vscode.DiagnosticSeverity.Error ? 'error' as const : 'warning' as const, message: d.message }))),
    terminal: () => stripAnsi(host.runner.transcript()),
  };
}
