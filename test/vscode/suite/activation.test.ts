// The extension activates lazily inside a real VS Code and contributes every command to the palette.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { driver } from './driver';
import { extension } from './helpers';

const COMMANDS = ['New Task', 'Fix Failing Tests', 'Review Changes', 'Resume Task', 'Task History', 'Undo Task', 'Set API Key', 'Select Model'];

describe('activation', () => {
  it('is not active before a Patchpilot command is used (no * activation)', () => {
    assert.equal(extension().isActive, false);
  });

  it('activates on its first command and registers every command its manifest contributes', async () => {
    await vscode.commands.executeCommand('patchpilot.reviewChanges');
    const ext = extension();
    assert.equal(ext.isActive, true);
    const registered = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('patchpilot.'));
    const contributed = (ext.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
    assert.ok(contributed.length >= 17, `the manifest lists ${contributed.length} commands`);
    for (const id of contributed) assert.ok(registered.includes(id), `${id} is registered`);
    console.log(`    activation took ${ext.exports.activationMs.toFixed(1)} ms inside activate()`);
    assert.ok(ext.exports.activationMs >= 0);
  });

  it('lists its commands in the palette under the Patchpilot category', async () => {
    const labels = await driver.ui<string[]>('paletteItems', { query: 'Patchpilot:' });
    for (const title of COMMANDS) assert.ok(labels.some((l) => l.includes(`Patchpilot: ${title}`)), `palette shows Patchpilot: ${title} (saw ${labels.join(' | ')})`);
    // Accept All / Reject All only make sense while a review is pending, Stop while a task runs (when clauses).
    for (const hidden of ['Accept All', 'Reject All', 'Stop']) assert.ok(!labels.some((l) => l.includes(`Patchpilot: ${hidden}`)), `${hidden} is hidden now`);
  });
});
