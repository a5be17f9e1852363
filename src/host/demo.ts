// Patchpilot: Try the Demo — the sample project with a failing test, copied to a fresh folder and opened in a new
// window, where the extension starts the built-in scripted model (samples/demo-script.json over real HTTP on
// loopback) and runs Fix Failing Tests: the real loop, tools, sandbox, terminal and review, with no key and no network.
// A marker file (.patchpilot/demo.json) tells the new window it is the demo.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { startScriptedServer, type ScriptedServer } from '../scripted/server';
import type { PatchpilotHost } from './patchpilotHost';

const run = promisify(execFile);
export const DEMO_MARKER = '.patchpilot/demo.json';
export const DEMO_GOAL = 'make the failing tests pass';
const GIT_IDENTITY = ['-c', 'user.name=Patchpilot Demo', '-c', 'user.email=demo@patchpilot.invalid'];

interface DemoMarker {
  script: string;
  createdAt: string;
  /** Set once the demo ran in this folder: reopening it offers to run it again instead of starting on its own. */
  ranAt?: string;
}

/** Makes a fresh demo folder; opens it in a new window unless `{ open: false }` (tests open it themselves). */
export async function tryDemo(host: PatchpilotHost, args: unknown[] = []): Promise<string> {
  const samples = vscode.Uri.joinPath(host.extensionUri, 'samples').fsPath;
  const folder = path.join(host.storageDir, 'demo', `patchpilot-demo-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  fs.mkdirSync(path.dirname(folder), { recursive: true });
  fs.cpSync(path.join(samples, 'demo-project'), folder, { recursive: true });
  fs.mkdirSync(path.join(folder, '.patchpilot'), { recursive: true });
  fs.writeFileSync(path.join(folder, '.patchpilot', '.gitignore'), 'tasks/\ntmp/\n.gitignore\ndemo.json\ndemo.claimed\n');
  const marker: DemoMarker = { script: path.join(samples, 'demo-script.json'), createdAt: new Date().toISOString() };
  fs.writeFileSync(path.join(folder, DEMO_MARKER), JSON.stringify(marker, null, 2));
  try {
    await run('git', ['init', '-q'], { cwd: folder });
    await run('git', ['add', '-A'], { cwd: folder });
    await run('git', [...GIT_IDENTITY, 'commit', '-qm', 'Patchpilot demo: a sample project with a failing test'], { cwd: folder });
  } catch {
    host.log.warn('the demo folder is not a git repository (git failed): it runs without a checkpoint');
  }
  host.log.info(`demo project created in ${folder}`);
  const open = !(typeof args[0] === 'object' && args[0] !== null && Reflect.get(args[0], 'open') === false);
  if (open) await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(folder), { forceNewWindow: true });
  return folder;
}

/**
 * In the demo's window: starts the scripted model, points this folder's settings at it, and runs the task — at once
 * the first time, on request after that. Returns the server so the host can close it with the window.
 */
export async function startDemoIfHere(host: PatchpilotHost): Promise<ScriptedServer | undefined> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!root || !fs.existsSync(path.join(root, DEMO_MARKER))) return undefined;
  const marker = JSON.parse(fs.readFileSync(path.join(root, DEMO_MARKER), 'utf8')) as DemoMarker;
  const server = await startScriptedServer(marker.script, { host: '127.0.0.1', log: () => undefined });
  const config = vscode.workspace.getConfiguration('patchpilot');
  const target = vscode.ConfigurationTarget.Workspace;
  await config.update('baseUrl', server.url, target);
  await config.update('model', 'patchpilot-demo-scripted', target);
  await config.update('testCommand', 'node --test', target);
  host.log.info(`demo: scripted model at ${server.url}`);
  const start = () => host.controller.start({ goal: DEMO_GOAL, title: 'Demo: make the failing tests pass', cwd: root, approval: 'auto', testCommand: 'node --test' });
  // Two windows on the same demo folder must not both run it: the first to create the claim file does.
  let claimed = !marker.ranAt;
  if (claimed) {
    try {
      fs.closeSync(fs.openSync(path.join(root, '.patchpilot', 'demo.claimed'), 'wx'));
    } catch {
      claimed = false;
    }
  }
  if (!claimed) {
    void vscode.window.showInformationMessage('Patchpilot demo: the model here is scripted. Run the demo again?', 'Run Demo').then((choice) => {
      if (choice) void start().catch((error: unknown) => host.reportError(error));
    });
    return server;
  }
  fs.writeFileSync(path.join(root, DEMO_MARKER), JSON.stringify({ ...marker, ranAt: new Date().toISOString() }, null, 2));
  void vscode.window.showInformationMessage('Patchpilot demo: the model is SCRIPTED (it replays a recorded session over real HTTP); the loop, tools, sandbox, tests and review are real. Point patchpilot.baseUrl at your provider to use your own model.');
  void start().catch((error: unknown) => host.reportError(error));
  return server;
}
