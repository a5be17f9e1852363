// Reload, part 2: after the window reload the task is in the history as interrupted, and Resume continues it.
import * as assert from 'node:assert/strict';
import { driver } from './driver';
import { nextTaskResult, patchpilot, readWorkspaceFile, requestText } from './helpers';
import { RELOAD_GOAL } from './reloadScript';

describe('window reload mid-task (after the reload)', () => {
  it('keeps the interrupted task in the history and resumes it', async () => {
    const host = await patchpilot();
    const history = await host.controller.history();
    assert.equal(history.length, 1);
    assert.equal(history[0].goal, RELOAD_GOAL);
    assert.equal(history[0].status, 'interrupted');
    assert.match(readWorkspaceFile('src/math.js'), /return a - b;/, 'the pending change was never written');

    const finished = nextTaskResult(host);
    await driver.ui('runCommand', { title: 'Patchpilot: Resume Task' });
    await driver.ui('quickInput', { value: RELOAD_GOAL, pick: RELOAD_GOAL });
    await driver.ui('webviewWaitFor', { selector: '.hunk-row' });
    await driver.ui('screenshot', { name: 'reload-resumed-review' });
    await driver.ui('webviewClick', { selector: '#accept-rest' });
    await driver.ui('webviewClick', { selector: '#submit-review' });
    const result = await finished;
    assert.equal(result.status, 'unverified', result.summary); // no test command: nothing can verify it
    assert.match(readWorkspaceFile('src/math.js'), /return a \+ b;/);

    const { requests } = await driver.scriptedRequests();
    assert.equal(requests.length, 3, 'one request before the reload, two after');
    assert.ok(requestText(requests[1]).includes(RELOAD_GOAL), 'the resumed conversation carries the original goal');
    assert.equal((await host.controller.history())[0].status, 'unverified');
  });
});
