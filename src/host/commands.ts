// The palette commands: what each asks the person, with arguments accepted in place of the questions (keybindings,
// other extensions, tests). Each handler is small; the work happens in the controller and the review coordinator.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandId } from './commandIds';
import { attemptCountProblem } from '../agent/orchestrator/attemptsSetup';
import { MAX_SETTING_ATTEMPTS, readSettings, rememberTestCommand } from './config';
import type { HunkCommand } from '../shared/protocol';
import { tryDemo } from './demo';
import { selectModelCommand } from './modelPicker';
import { showMemory } from './memoryView';
import type { PatchpilotHost } from './patchpilotHost';
import { setApiKeyCommand } from './secrets';

type Handler = (args: unknown[]) => Promise<unknown>;

function firstString(args: unknown[]): string | undefined {
  return typeof args[0] === 'string' && args[0].trim() !== '' ? args[0] : undefined;
}

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') throw new Error('Open a folder first: Patchpilot works on the files of a workspace folder.');
  return folder.uri.fsPath;
}

/**
 * The requirement: typed in, or the selection, with the open file named so the model knows where to look. The title is
 * what the person typed (what the header and history show); the goal adds the context for the model.
 */
async function askGoal(args: unknown[]): Promise<{ goal: string; title: string } | undefined> {
  const given = firstString(args);
  if (given) return { goal: given, title: given };
  const editor = vscode.window.activeTextEditor;
  const selection = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
  const typed = await vscode.window.showInputBox({
    title: 'Patchpilot: New Task',
    prompt: selection ? 'Describe the task (the selection is included), or leave empty to use the selection as the task' : 'Describe what Patchpilot should do',
    placeHolder: 'e.g. add input validation to parseConfig and a test for it',
    ignoreFocusOut: true,
  });
  if (typed === undefined) return undefined;
  if (!typed.trim() && !selection) return undefined;
  const parts = [typed.trim() || selection.trim()];
  if (editor && editor.document.uri.scheme === 'file') {
    const relative = vscode.workspace.asRelativePath(editor.document.uri, false);
    if (selection && typed.trim()) {
      const { start, end } = editor.selection;
      parts.push(`Selected in ${relative} (lines ${start.line + 1}-${end.line + 1}):\n\`\`\`\n${selection}\n\`\`\``);
    } else {
      parts.push(`The open file is ${relative}.`);
    }
  }
  return { goal: parts.join('\n\n'), title: typed.trim() || firstLineOf(selection) };
}

function firstLineOf(text: string): string {
  const line = text.trim().split('\n')[0];
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}

function guessTestCommand(root: string): string {
  try {
    const manifest: unknown = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const scripts = typeof manifest === 'object' && manifest !== null ? Reflect.get(manifest, 'scripts') : undefined;
    if (typeof scripts === 'object' && scripts !== null && typeof Reflect.get(scripts, 'test') === 'string') return 'npm test';
  } catch {
    // no package.json: fall through to other ecosystems
  }
  if (fs.existsSync(path.join(root, 'pytest.ini')) || fs.existsSync(path.join(root, 'pyproject.toml'))) return 'pytest';
  if (fs.existsSync(path.join(root, 'go.mod'))) return 'go test ./...';
  if (fs.existsSync(path.join(root, 'Cargo.toml'))) return 'cargo test';
  return 'npm test';
}

/** The workspace's test command: from settings, else asked once and remembered in the workspace settings. */
async function testCommandFor(root: string): Promise<string | undefined> {
  const configured = readSettings(vscode.Uri.file(root)).testCommand;
  if (configured) return configured;
  const answer = await vscode.window.showInputBox({
    title: 'Patchpilot: test command', prompt: 'How are this workspace\'s tests run? (asked once, saved as patchpilot.testCommand)',
    value: guessTestCommand(root), ignoreFocusOut: true,
  });
  if (!answer?.trim()) return undefined;
  await rememberTestCommand(answer.trim(), vscode.Uri.file(root));
  return answer.trim();
}

async function explainRestricted(what: string): Promise<void> {
  const choice = await vscode.window.showWarningMessage(
    `Patchpilot: ${what} needs to run commands, which Restricted Mode does not allow. Trust this workspace to let Patchpilot run your tests.`,
    'Manage Workspace Trust');
  if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
}

export function commandHandlers(host: PatchpilotHost): Record<CommandId, Handler> {
  const { controller, reviews, panel, apiKeys } = host;
  return {
    'patchpilot.newTask': async (args) => {
      const cwd = workspaceRoot();
      const asked = await askGoal(args);
      if (!asked) return undefined;
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showInformationMessage('Patchpilot runs in Restricted Mode: no commands run, and every change waits for your review.');
      }
      const settings = readSettings(vscode.Uri.file(cwd));
      return controller.start({ ...asked, cwd, approval: settings.approval.newTask, testCommand: settings.testCommand });
    },
    'patchpilot.newBackgroundTask': async (args) => {
      const root = workspaceRoot();
      if (!vscode.workspace.isTrusted) return explainRestricted('A background task');
      const asked = await askGoal(args);
      if (!asked) return undefined;
      const task = await host.background.start({ ...asked, root, testCommand: readSettings(vscode.Uri.file(root)).testCommand });
      void vscode.window.showInformationMessage(`Patchpilot: background task started in its own worktree; keep editing. You get a notification when it needs you.`, 'Show Task')
        .then((choice) => { if (choice) task.panel.show(); });
      return task.taskId;
    },
    'patchpilot.showMemory': async (args) => showMemory(workspaceRoot(), args),
    'patchpilot.watchTests': async () => {
      const root = workspaceRoot();
      if (!vscode.workspace.isTrusted) return explainRestricted('Watch Tests');
      // Already watching: the status bar item leads here, and shows the test output.
      if (host.watch.isWatching) return host.watch.showOutput();
      const testCommand = await testCommandFor(root);
      if (!testCommand) return undefined;
      await host.watch.start(root, testCommand);
      return true;
    },
    'patchpilot.stopWatching': async () => {
      if (!(await host.watch.stop())) void vscode.window.showInformationMessage('Patchpilot: no tests are being watched.');
    },
    'patchpilot.addToQueue': async (args) => {
      const root = workspaceRoot();
      const asked = await askGoal(args);
      return asked ? host.queue.add(root, asked.goal).id : undefined;
    },
    'patchpilot.runQueue': async () => {
      const root = workspaceRoot();
      if (!vscode.workspace.isTrusted) return explainRestricted('Run Queue');
      return host.queue.run(root);
    },
    'patchpilot.fixFailingTests': async (args) => fixFailingTests(host, args),
    'patchpilot.fixFailingTestsWithAttempts': async (args) => {
      if (!vscode.workspace.isTrusted) return explainRestricted('Fix Failing Tests with Several Attempts');
      if (args[1] !== undefined && (typeof args[1] !== 'number' || attemptCountProblem(args[1], MAX_SETTING_ATTEMPTS))) {
        throw new Error(`Fix Failing Tests with Several Attempts ${attemptCountProblem(Number(args[1]), MAX_SETTING_ATTEMPTS) ?? 'takes a number'} as its second argument, not ${JSON.stringify(args[1])}.`);
      }
      const count = typeof args[1] === 'number' ? args[1] : await askAttemptCount();
      if (count === undefined) return undefined;
      return fixFailingTests(host, args, count);
    },
    'patchpilot.reviewChanges': async () => panel.show(),
    'patchpilot.acceptAll': async () => reportDecision(await reviews.decideAll(true)),
    'patchpilot.rejectAll': async () => reportDecision(await reviews.decideAll(false)),
    'patchpilot.stop': async () => {
      if (!controller.stop()) void vscode.window.showInformationMessage('Patchpilot: no task is running.');
    },
    'patchpilot.resumeTask': async (args) => {
      const taskId = firstString(args) ?? await pickTask(host, 'Resume which task?', (s) => s !== 'verified');
      return taskId ? controller.resume(taskId) : undefined;
    },
    'patchpilot.taskHistory': async (args) => {
      const taskId = firstString(args) ?? await pickTask(host, 'Task history: show which task?', () => true);
      if (taskId) controller.showTask(taskId);
    },
    'patchpilot.undoTask': async () => {
      const undo = 'Undo Changes';
      // A notification rather than a modal dialog: it does not block the window, and it stays until answered.
      const choice = await vscode.window.showWarningMessage(
        'Undo every change of the last Patchpilot task? Files go back to their content before the task; a file you edited since is left as it is.', undo, 'Cancel');
      if (choice !== undo) return undefined;
      const report = await controller.undo();
      if (!report) return vscode.window.showInformationMessage('Patchpilot: there is no task to undo in this window.');
      const skipped = report.skipped.map((s) => `${s.path} (${s.reason})`).join(', ');
      void vscode.window.showInformationMessage(`Patchpilot: restored ${report.restored.length} file(s).${skipped ? ` Left unchanged: ${skipped}.` : ''}`);
      return report;
    },
    'patchpilot.setApiKey': async (args) => setApiKeyCommand(args, apiKeys, readSettings().providers.profiles),
    'patchpilot.focusChat': async () => host.sidebar.focus(),
    'patchpilot.tryDemo': async (args) => tryDemo(host, args),
    'patchpilot.acceptHunk': async () => hunkCommand(host, 'accept'),
    'patchpilot.rejectHunk': async () => hunkCommand(host, 'reject'),
    'patchpilot.nextHunk': async () => hunkCommand(host, 'next'),
    'patchpilot.previousHunk': async () => hunkCommand(host, 'previous'),
    'patchpilot.selectModel': async (args) => selectModelCommand(args, apiKeys, host.log),
  };
}

/**
 * The autonomous loop on the workspace's test command, triaged first (patchpilot.triage.enabled); with `attempts` (or
 * patchpilot.attempts) above 1, that many parallel attempts. A note from the chat goes to the model after the goal.
 */
async function fixFailingTests(host: PatchpilotHost, args: unknown[], attempts?: number): Promise<unknown> {
  const cwd = workspaceRoot();
  if (!vscode.workspace.isTrusted) return explainRestricted('Fix Failing Tests');
  const testCommand = await testCommandFor(cwd);
  if (!testCommand) return undefined;
  const note = firstString(args);
  const goal = `Make the failing tests pass. Run the tests with \`${testCommand}\`, find the cause of each failure, fix the code (not the tests, unless a test is clearly wrong), and verify.${note ? `\n\nThe person adds:\n${note}` : ''}`;
  const title = note ? `Fix the failing tests: ${firstLineOf(note)}` : 'Fix the failing tests';
  const settings = readSettings(vscode.Uri.file(cwd));
  return host.controller.start({ goal, title, cwd, approval: settings.approval.fixFailingTests, testCommand, triage: true, attempts: attempts ?? settings.attempts.count });
}

/** How many attempts, 2 to 5 (a larger number is a setting, patchpilot.attempts, up to 16). */
async function askAttemptCount(): Promise<number | undefined> {
  const picked = await vscode.window.showQuickPick(['2', '3', '4', '5'].map((n) => ({
    label: `${n} attempts`, description: n === '3' ? 'about 3× the tokens of one' : undefined, count: Number(n),
  })), { title: 'Patchpilot: Fix Failing Tests with Several Attempts', placeHolder: 'How many attempts? Each runs in its own worktree; the best one is brought to your review.' });
  return picked?.count;
}

function hunkCommand(host: PatchpilotHost, command: HunkCommand): void {
  if (!host.reviews.current) {
    void vscode.window.showInformationMessage('Patchpilot: there is no change set waiting for review.');
    return;
  }
  host.panel.show();
  host.panel.hunkCommand(command);
}

function reportDecision(outcome: { applied: boolean; message: string } | undefined): void {
  if (!outcome) void vscode.window.showInformationMessage('Patchpilot: there is no change set waiting for review.');
  else if (!outcome.applied) void vscode.window.showWarningMessage(`Patchpilot: ${outcome.message}`);
}

async function pickTask(host: PatchpilotHost, title: string, include: (status: string) => boolean): Promise<string | undefined> {
  const tasks = (await host.controller.history()).filter((task) => include(task.status));
  if (tasks.length === 0) {
    void vscode.window.showInformationMessage('Patchpilot: no tasks in this workspace\'s history yet.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(tasks.map((task) => ({
    label: task.goal.split('\n')[0].slice(0, 100), description: task.status, detail: `${new Date(task.startedAt).toLocaleString()} · ${task.taskId}`, taskId: task.taskId,
  })), { title, matchOnDetail: true });
  return picked?.taskId;
}
