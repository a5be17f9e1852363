// Reload, part 1: a task waits for review when the window reloads (part 2, reloadResume, runs in the new window).
import { driver } from './driver';
import { patchpilot, resetWorkspace, setSetting } from './helpers';
import { RELOAD_GOAL, reloadScript } from './reloadScript';

describe('window reload mid-task (before the reload)', () => {
  it('reloads the window while a change set waits for review', async () => {
    resetWorkspace();
    const host = await patchpilot();
    await setSetting('approval.newTask', 'ask');
    const server = await driver.scripted(reloadScript);
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
