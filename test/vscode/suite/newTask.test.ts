// New Task in review mode: nothing touches disk until Accept; Reject All leaves the workspace byte-identical.
import * as assert from 'node:assert/strict';
import { driver } from './driver';
import { nextTaskResult, patchpilot, resetWorkspace, setSetting, treeDigest, useScriptedModel } from './helpers';

const script = {
  turns: [
    { expect: ['Add a subtract helper'], content: 'I will add subtract() and a new changelog.',
      tool_calls: [
        { name: 'edit_file', arguments: { path: 'src/math.js', edits: [
          { search: 'module.exports = { add, multiply };', replace: 'function subtract(a, b) {\n  return a - b;\n}\n\nmodule.exports = { add, multiply, subtract };' }] } },
        { name: 'write_file', arguments: { path: 'CHANGELOG.md', content: '# Changelog\n\n- subtract()\n' } },
      ] },
    { expect: ['rejected'], content: 'You rejected the changes; I stop here.', tool_calls: [{ name: 'finish', arguments: { summary: 'No changes kept.' } }] },
  ],
};

describe('New Task in review mode', () => {
  before(async () => {
    resetWorkspace();
    await setSetting('approval.newTask', 'ask');
  });

  it('writes nothing before Accept, and Reject All leaves the workspace byte-identical', async () => {
    const host = await patchpilot();
    const before = treeDigest();
    await useScriptedModel(script);
    const finished = nextTaskResult(host);
    await driver.ui('runCommand', { title: 'Patchpilot: New Task' });
    await driver.ui('quickInput', { value: 'Add a subtract helper' });
    // Each write the model asks for is its own change set, reviewed before anything is written.
    await driver.ui('webviewWaitFor', { selector: '.file-row .file-path', hasText: 'src/math.js' });
    assert.equal(treeDigest(), before, 'nothing is on disk while the change set waits for review');
    await driver.ui('screenshot', { name: 'new-task-pending-review' });
    await driver.ui('runCommand', { title: 'Patchpilot: Reject All' });
    await driver.ui('webviewWaitFor', { selector: '.file-row .file-path', hasText: 'CHANGELOG.md' });
    assert.equal(treeDigest(), before, 'the rejected edit was not written; the new file waits for review');
    await driver.ui('runCommand', { title: 'Patchpilot: Reject All' });
    const result = await finished;
    assert.equal(treeDigest(), before, 'Reject All leaves the workspace byte-identical');
    assert.notEqual(result.status, 'running');
  });
});
