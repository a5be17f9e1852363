// Per-hunk review in 'ask' mode: accept one hunk, reject the other with a reason; the disk holds exactly the
// accepted hunk and the next model request carries the reason.
import * as assert from 'node:assert/strict';
import { driver } from './driver';
import { nextTaskResult, patchpilot, readWorkspaceFile, requestText, resetWorkspace, setSetting, useScriptedModel } from './helpers';

const REASON = 'Keep whisper unchanged: callers compare its output';

const script = {
  turns: [
    { expect: ['Make shout and whisper more expressive'], content: 'Two small edits in src/text.js.',
      tool_calls: [{ name: 'edit_file', arguments: { path: 'src/text.js', edits: [
        { search: 'return text.toUpperCase();', replace: "return text.toUpperCase() + '!';" },
        { search: 'return text.toLowerCase();', replace: "return text.toLowerCase() + '...';" },
      ] } }] },
    { expect: [REASON], content: 'Understood: whisper stays as it is.', tool_calls: [{ name: 'finish', arguments: { summary: 'shout() now ends with !' } }] },
  ],
};

describe('per-hunk review', () => {
  before(async () => {
    resetWorkspace();
    await setSetting('approval.newTask', 'ask');
  });

  it('writes exactly the accepted hunk and sends the rejection reason to the model', async () => {
    const host = await patchpilot();
    const original = readWorkspaceFile('src/text.js');
    const serverIndex = await useScriptedModel(script);
    const finished = nextTaskResult(host);
    await driver.ui('runCommand', { title: 'Patchpilot: New Task' });
    await driver.ui('quickInput', { value: 'Make shout and whisper more expressive' });

    assert.equal(await driver.ui<number>('webviewWaitFor', { selector: '.hunk-row' }), 2, 'two hunks are shown');
    assert.equal(readWorkspaceFile('src/text.js'), original, 'nothing is written while the review is pending');
    await driver.ui('webviewClick', { selector: '.hunk-row[data-hunk="0"] button.accept' });
    await driver.ui('webviewClick', { selector: '.hunk-row[data-hunk="1"] button.reject' });
    await driver.ui('webviewFill', { selector: '.hunk-row[data-hunk="1"] textarea.reason', value: REASON });
    const counts = await driver.ui<string[]>('webviewTexts', { selector: '#review-counts' });
    assert.equal(counts[0], '1 accepted · 1 rejected · 0 undecided');
    await driver.ui('screenshot', { name: 'hunk-review-decided' });
    await driver.ui('webviewClick', { selector: '#submit-review' });

    const result = await finished;
    assert.equal(result.status, 'unverified', result.summary); // no test command: nothing can verify it
    const expected = original.replace('return text.toUpperCase();', "return text.toUpperCase() + '!';");
    assert.equal(readWorkspaceFile('src/text.js'), expected);

    const { requests } = await driver.scriptedRequests(serverIndex);
    assert.equal(requests.length, 2);
    assert.ok(requestText(requests[1]).includes(REASON), 'the second model request carries the reason');
    assert.ok(!requestText(requests[0]).includes(REASON));
  });
});
