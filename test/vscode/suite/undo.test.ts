// Undo Task restores the checkpoint exactly, but a file the person edited during the task is left as they made it.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { driver } from './driver';
import { nextTaskResult, patchpilot, readWorkspaceFile, resetWorkspace, setSetting, useScriptedModel, waitFor, workspaceRoot } from './helpers';

const script = {
  turns: [
    { expect: ['Tidy the helpers'], tool_calls: [
      { name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: 'return a * b;', replace: 'return b * a; // commutative' }] } },
      { name: 'edit_file', arguments: { path: 'src/text.js', edits: [{ search: 'return text.trim();', replace: 'return String(text).trim();' }] } },
    ] },
    { delay_ms: 2500, tool_calls: [{ name: 'finish', arguments: { summary: 'Tidied math.js and text.js.' } }] },
  ],
};

describe('Undo Task', () => {
  before(async () => {
    resetWorkspace();
    await setSetting('approval.newTask', 'auto');
  });
  after(() => setSetting('approval.newTask', undefined));

  it('restores the checkpoint and does not overwrite a file the person edited meanwhile', async () => {
    const host = await patchpilot();
    const committed = (file: string) => execFileSync('git', ['show', `HEAD:${file}`], { cwd: workspaceRoot(), encoding: 'utf8' });
    await useScriptedModel(script);
    const finished = nextTaskResult(host);
    void host.runCommand('patchpilot.newTask', ['Tidy the helpers']);
    await waitFor(() => readWorkspaceFile('src/text.js').includes('String(text).trim()'), 'the agent writing src/text.js');
    const personal = `${readWorkspaceFile('src/text.js')}// edited by the person during the task\n`;
    fs.writeFileSync(path.join(workspaceRoot(), 'src/text.js'), personal);
    await finished;
    assert.match(readWorkspaceFile('src/math.js'), /commutative/);

    const undone = host.runCommand('patchpilot.undoTask', []);
    await driver.ui('notifications', { contains: 'Undo every change' });
    await driver.ui('clickNotificationButton', { message: 'Undo every change', button: 'Undo Changes' });
    await undone;
    assert.equal(readWorkspaceFile('src/math.js'), committed('src/math.js'), 'math.js is back to the checkpoint byte for byte');
    assert.equal(readWorkspaceFile('src/text.js'), personal, 'the person\'s edit survives');
    const notes = await driver.ui<string[]>('notifications', { contains: 'restored 1 file' });
    assert.ok(notes.some((n) => n.includes('src/text.js')), `the skipped file is named (saw ${notes.join(' | ')})`);
    await driver.ui('screenshot', { name: 'undo-done' });
  });
});
