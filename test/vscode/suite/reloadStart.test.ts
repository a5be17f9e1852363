// Reload, part 1: a task waits for review when the window reloads (part 2, reloadResume, runs in the new window).
import { driver } from './driver';
import { patchpilot, resetWorkspace, setSetting } from './helpers';

export const RELOAD_GOAL = 'Fix add() so that it adds';

const script = {
  turns: [
    { expect: [RELOAD_GOAL], tool_calls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: 'return a - b;', replace: 'return a + b;' }] } }] },
    { expect: [RELOAD_GOAL, 'has been resumed'], content: 'Resumed; proposing the fix again.',
      tool_calls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: 'return a - b;', replace: 'return a + b;' }] } }] },
    { tool_calls: [{ name: 'finish', arguments: { summary: 'add() adds again.' } }] },
  ],
};

describe('window reload mid-task (before the reload)', () => {
  it('reloads the window while a change set waits for review', async () => {
    resetWorkspace();
    const host = await patchpilot();
    await setSetting('approval.newTask', 'ask');
    const server = await driver.scripted(script);
    await setSetting('baseUrl', server.url);
    await setSetting('model', 'scripted');
    void host.runCommand('patchpilot.newTask', [RELOAD_GOAL]);
    await driver.ui('webviewWaitFor', { selector: '.hunk-row' });
    await driver.ui('screenshot', { name: 'reload-before' });
    await driver.ui('reloadWindow', { phase: 'reloaded' });
    // The extension host goes away with the page; this test never returns and is not counted.
    await new Promise(() => undefined);
  });
});
