// Script validation names the bad field, so a person writing a script sees what to fix.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadScript, ScriptError, validateScript } from '../../../src/scripted/script';
import { checkTurnExpectations, messageTexts } from '../../../src/scripted/matching';

const scriptsDir = path.resolve(__dirname, '../../../../test/fixtures/scripts');

describe('scripted model script', () => {
  it('loads the worked example from the docs', () => {
    const script = loadScript(path.join(scriptsDir, 'fix-add.json'));
    assert.equal(script.turns.length, 3);
    assert.deepEqual(script.turns.map((t) => t.tool_calls?.[0]?.name), ['read_file', 'edit_file', 'finish']);
  });

  it('names the file, the turn and the field of an invalid fault', () => {
    assert.throws(() => loadScript(path.join(scriptsDir, 'invalid-fault.json')), (error: unknown) => {
      assert.ok(error instanceof ScriptError);
      assert.match(error.message, /invalid-fault\.json: turns\[1\] \(turn 2\)\.fault\.status must be an HTTP error status/);
      return true;
    });
  });

  it('reports a missing file and broken JSON', () => {
    assert.throws(() => loadScript(path.join(scriptsDir, 'no-such-script.json')), /Cannot read script .*no-such-script\.json/);
    assert.throws(() => validateScript({ turns: 'x' }), /"turns" must be a list/);
  });

  it('rejects an empty reply and bad expect lists', () => {
    assert.throws(() => validateScript({ turns: [{}] }), /turn 1\) needs "content" or "tool_calls"/);
    assert.throws(() => validateScript({ turns: [{ content: 'x', expect: [''] }] }), /expect must be a list of non-empty strings/);
    assert.throws(() => validateScript({ turns: [{ content: 'x', fault: { retry: 1 } }] }), /must have "status", "drop_after_chunks" or "stall_ms"/);
  });

  it('collects text from contents, content parts, tool-call names and arguments', () => {
    const texts = messageTexts([
      { role: 'user', content: [{ type: 'text', text: 'part one' }] },
      { role: 'assistant', content: null, tool_calls: [{ function: { name: 'run_tests', arguments: '{}' } }] },
      { role: 'tool', content: 'ok' },
    ]);
    assert.deepEqual(texts, ['part one', 'run_tests', '{}', 'ok']);
    assert.equal(checkTurnExpectations({ expect: ['run_tests'], content: 'x' }, 4, [{ role: 'user', content: 'no' }]),
      'scripted model: turn 4 expected the request to contain "run_tests", but no message did');
  });
});
