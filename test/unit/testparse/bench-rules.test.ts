import * as assert from 'node:assert/strict';
import { comparableMessage, messagesAgree, scoreLog, type Tally } from '../../../bench/testlog-accuracy';

function tally(): Tally {
  return { logs: 0, detected: 0, groundTruth: 0, found: 0, fileScored: 0, rightFile: 0, lineScored: 0, rightLine: 0, messageScored: 0, rightMessage: 0, falseFailures: 0, neutral: 0, nonFailedScored: 0, nonFailedRecovered: 0, nonFailedWrongStatus: 0 };
}

describe('testparse: accuracy benchmark rules', () => {
  it('compares messages without their error-type prefix', () => {
    assert.equal(comparableMessage('AssertionError [ERR_ASSERTION]: Expected values'), 'Expected values');
    assert.equal(comparableMessage('Uncaught Error: boom\nmore'), 'boom');
    assert.ok(messagesAgree('Error: thrown: false', 'thrown: false'));
    assert.ok(messagesAgree('Expected values to be strictly equal:true !== false', 'Expected values to be strictly equal:'));
    assert.ok(!messagesAgree('expected 2 to equal 3', 'expected 2 to equal 4'));
  });

  it('scores found, file, line, message, false and neutral reports', () => {
    const t = tally();
    const truth = {
      runner: 'go test',
      failures: [
        { name: 'TestA', file: 'a_test.go', line: 3, message: 'bad' },
        { name: 'TestB', file: 'a_test.go', line: 9, message: 'worse' },
        { name: 'TestP', file: null, line: null, message: '', is_parent_of_failed_subtest: true },
      ],
    };
    scoreLog('go', truth, [
      { name: 'TestA', file: 'pkg/a_test.go', line: 3, message: 'bad' },
      { name: 'TestB', file: 'a_test.go', line: 10, message: 'worse' },
      { name: 'TestP', file: null, line: null, message: '' },
      { name: 'TestZ', file: null, line: null, message: '' },
    ], t);
    assert.deepEqual(
      [t.groundTruth, t.found, t.rightFile, t.rightLine, t.rightMessage, t.falseFailures, t.neutral],
      [2, 2, 2, 1, 2, 1, 1],
    );
  });
});
