import * as assert from 'node:assert/strict';
import { scoreOutcomes, type Tally, type TruthFile } from '../../../bench/testlog-accuracy';
import { detectRunner, failureSignature, parseTestOutput } from '../../../src/tools/testparse/index';
import { firstLine } from '../../../src/tools/testparse/text';
import { sharedLog, sharedLogs, sharedTruth } from './fixtures';

const runnerNames: Record<string, string> = { 'node:test': 'node', 'go test': 'go', 'cargo test': 'cargo' };

function outcomeTally(): Tally {
  return { logs: 0, detected: 0, groundTruth: 0, found: 0, fileScored: 0, rightFile: 0, lineScored: 0, rightLine: 0, messageScored: 0, rightMessage: 0, falseFailures: 0, neutral: 0, nonFailedScored: 0, nonFailedRecovered: 0, nonFailedWrongStatus: 0 };
}

// The peer corpus of real failing logs (../shared/benchmarks/testlogs); skipped where it is not laid out.
describe('testparse: shared real logs', function () {
  before(function () {
    if (sharedLogs().length === 0) this.skip();
  });

  it('detects the runner of every log: the AVA parser steals none', () => {
    const wrong = sharedLogs().filter((log) => {
      const truth = sharedTruth<{ runner: string }>(log);
      return detectRunner(sharedLog(log)) !== (runnerNames[truth.runner] ?? truth.runner);
    });
    assert.deepEqual(wrong, []);
  });

  it('jest, vitest, mocha and node messages go on past an assertion header with its values', () => {
    const headers = /(?:strictly (?:deep-)?equal:|\/\/ Object\.is equality|to deeply equal .+|falsy value:)$/;
    let checked = 0;
    for (const log of sharedLogs().filter((name) => /^(?:jest|vitest|mocha|node-test)-/.test(name))) {
      for (const failure of parseTestOutput(sharedLog(log)).failures) {
        if (!headers.test(firstLine(failure.message))) continue;
        checked++;
        const lines = failure.message.split('\n');
        assert.ok(lines.length >= 2 && lines.length <= 6, `${log}: ${failure.name}: ${JSON.stringify(failure.message)}`);
        assert.ok(failure.message.length <= 400 + firstLine(failure.message).length, `${log}: ${failure.name} too long`);
      }
    }
    assert.ok(checked >= 30, `only ${checked} assertion messages checked`);
  });

  it('jest keeps Expected/Received after the matcher line', () => {
    const first = parseTestOutput(sharedLog('jest-9.txt')).failures[0];
    assert.equal(first.message, 'expect(received).toBe(expected) // Object.is equality\nExpected: false\nReceived: true');
  });

  it('a different received value leaves the signature of the same failing tests unchanged', () => {
    const text = sharedLog('jest-9.txt');
    const changed = text.replace('Received: true', 'Received: "maybe"');
    assert.notEqual(changed, text);
    assert.equal(failureSignature(parseTestOutput(changed).failures), failureSignature(parseTestOutput(text).failures));
  });

  it('reports skipped and todo counts where the summary gives them, null where it cannot', () => {
    const node = parseTestOutput(sharedLog('node-test-1.txt'));
    assert.deepEqual([node.passed, node.failed, node.skipped, node.todo], [35, 25, 9, 4]);
    const cargo = parseTestOutput(sharedLog('cargo-test-2.txt'));
    assert.deepEqual([cargo.skipped, cargo.todo], [1, null]);
    const pytest = parseTestOutput(sharedLog('pytest-4.txt'));
    assert.deepEqual([pytest.passed, pytest.skipped, pytest.todo], [1, 1, null]);
  });

  it('recovers the non-failed tests of runners that list each test, with their status', () => {
    const byRunner = new Map<string, Tally>();
    for (const log of sharedLogs()) {
      const truth = sharedTruth<TruthFile>(log);
      const runner = runnerNames[truth.runner] ?? truth.runner;
      const tally = byRunner.get(runner) ?? outcomeTally();
      scoreOutcomes(runner, truth, parseTestOutput(sharedLog(log)).tests, tally);
      byRunner.set(runner, tally);
    }
    const share = (runner: string) => {
      const t = byRunner.get(runner) as Tally;
      return [t.nonFailedRecovered, t.nonFailedScored, t.nonFailedWrongStatus];
    };
    assert.deepEqual(share('node'), [109, 109, 0]);
    assert.deepEqual(share('go'), [146, 146, 0]);
    assert.deepEqual(share('mocha'), [7, 7, 0]);
    // cargo's terse format (cargo-test-3) names only failures; jest's default reporter and pytest without -v name none.
    assert.deepEqual(share('cargo'), [109, 209, 0]);
    assert.deepEqual(share('jest'), [0, 23, 0]);
  });

  it('names a failing test in tests[] exactly as in failures[]', () => {
    for (const log of ['node-test-3.txt', 'node-test-2.txt', 'mocha-3.txt', 'go-test-3.txt', 'cargo-test-2.txt', 'vitest-4.txt']) {
      const parsed = parseTestOutput(sharedLog(log));
      const failed = new Set((parsed.tests ?? []).filter((t) => t.status === 'failed').map((t) => t.name));
      const missing = parsed.failures.filter((f) => !f.kind && !failed.has(f.name)).map((f) => f.name);
      assert.deepEqual(missing, [], log);
    }
  });
});

describe('testparse: counts the output does not give stay null', () => {
  it('quiet go test (no -v) names failures only: passed and skipped are unknown', () => {
    const quiet = [
      '--- FAIL: TestTotal (0.00s)',
      '    cart_test.go:14: total = 31, want 30',
      'FAIL',
      'FAIL\texample.com/shop/cart\t0.004s',
      'ok  \texample.com/shop/money\t0.002s',
    ].join('\n');
    const result = parseTestOutput(quiet);
    assert.equal(result.runner, 'go');
    assert.deepEqual([result.passed, result.failed, result.skipped, result.todo], [null, 1, null, null]);
    assert.deepEqual(result.tests, [{ name: 'TestTotal', file: null, status: 'failed' }]);
  });

  it('unrecognised output has no counts and no tests', () => {
    const result = parseTestOutput('compiling…\nsomething went wrong\n');
    assert.deepEqual([result.passed, result.failed, result.skipped, result.todo, result.tests], [null, null, null, null, undefined]);
  });
});
