// Try the Demo, part 2: in the demo's window, with no key and no provider configured, the extension starts the
// scripted model on its own and runs Fix Failing Tests to a verified result; the final review is on screen.
import * as assert from 'node:assert/strict';
import { driver } from './driver';
import { extension, waitFor, workspaceRoot } from './helpers';

describe('Try the Demo (in the demo window)', () => {
  it('runs the demo task on its own, against the scripted model, to a verified result', async () => {
    assert.match(workspaceRoot(), /patchpilot-demo-/);
    // Nothing in this window ran a command: the demo marker activated the extension.
    const host = await waitFor(async () => (extension().isActive ? extension().exports.host() : undefined), 'the extension to activate', 60000);
    await waitFor(() => host.panel.snapshot.status === 'review' || host.panel.snapshot.status === 'verified', 'the demo task to finish', 90000);
    await driver.ui('webviewWaitFor', { selector: '.hunk-row' });
    const history = await host.controller.history();
    assert.equal(history[0].status, 'verified', JSON.stringify(history[0]));
    const notes = await driver.ui<string[]>('notifications', { contains: 'model is SCRIPTED' });
    assert.ok(notes.length > 0);
    await driver.ui('screenshot', { name: 'demo-window' });
  });
});
