import * as assert from 'node:assert/strict';
import { scoreLog, scoreOutcomes, type Tally, type TruthFile } from '../../../bench/testlog-accuracy';
import { detectRunner, failureSignature, parseTestOutput } from '../../../src/tools/testparse/index';
import type { ParsedTestOutput } from '../../../src/tools/testparse/types';
import { fixture, truthFixture } from './fixtures';

// Real runs of AVA, vitest and jest on small scratch projects (see test/fixtures/testlogs/README.md),
// scored with the benchmark's own rules against ground truth derived from the test source.
function emptyTally(): Tally {
  return { logs: 0, detected: 0, groundTruth: 0, found: 0, fileScored: 0, rightFile: 0, lineScored: 0, rightLine: 0, messageScored: 0, rightMessage: 0, falseFailures: 0, neutral: 0, nonFailedScored: 0, nonFailedRecovered: 0, nonFailedWrongStatus: 0 };
}

function score(runner: string, log: string, truthName: string, cwd?: string): { parsed: ParsedTestOutput; tally: Tally; misses: string[] } {
  const parsed = parseTestOutput(fixture(log), 'auto', cwd ? { cwd } : undefined);
  const truth = truthFixture<TruthFile>(truthName);
  const tally = emptyTally();
  const misses = [...scoreLog(runner, truth, parsed.failures, tally), ...scoreOutcomes(runner, truth, parsed.tests, tally)];
  return { parsed, tally, misses };
}

function figures(t: Tally): number[] {
  return [t.groundTruth, t.found, t.rightFile, t.rightLine, t.rightMessage, t.falseFailures, t.nonFailedScored, t.nonFailedRecovered];
}

describe('testparse: recorded AVA runs', () => {
  it('detects AVA in the default, coloured, TAP and timeout logs', () => {
    for (const log of ['ava-default.txt', 'ava-colour.txt', 'ava-tap.txt', 'ava-timeout.txt']) assert.equal(detectRunner(fixture(log)), 'ava', log);
  });

  it('default reporter: every failure with its file, line and message; all but the timeout located', () => {
    const { parsed, tally, misses } = score('ava', 'ava-default.txt', 'ava.json', '/tmp/ava-logs');
    // The one miss: AVA prints no location in the test file for a t.timeout() failure.
    assert.deepEqual(misses, ['file: timeout › slow lookup finishes in time: want test/timeout.test.js, got null']);
    assert.deepEqual(figures(tally), [10, 10, 9, 8, 10, 0, 5, 5]);
    assert.deepEqual([parsed.passed, parsed.failed, parsed.skipped, parsed.todo], [3, 9, 1, 1]);
    const byName = new Map(parsed.failures.map((f) => [f.name, f]));
    assert.deepEqual(byName.get('cart › total sums prices'), {
      name: 'cart › total sums prices', file: 'test/cart.test.js', line: 9, message: 'Difference (- actual, + expected):\n- 6\n+ 5',
    });
    assert.equal(byName.get('cart › label builds the item')?.message, "Difference (- actual, + expected):\n-     amount: 10,\n+     amount: 12,\n+     'sale',");
    assert.deepEqual(byName.get('cart › discount applies the coupon rate'), {
      name: 'cart › discount applies the coupon rate', file: 'test/cart.test.js', line: 17, message: "TypeError: Cannot read properties of undefined (reading 'rate')",
    });
    assert.equal(byName.get('test/broken.test.js')?.kind, 'suite-error');
  });

  it('names each listed test as its failure is named, with skipped and todo ones', () => {
    const { parsed } = score('ava', 'ava-default.txt', 'ava.json');
    const failedTests = (parsed.tests ?? []).filter((t) => t.status === 'failed').map((t) => t.name).sort();
    const failureNames = parsed.failures.filter((f) => !f.kind).map((f) => f.name).sort();
    assert.deepEqual(failedTests, failureNames);
    assert.deepEqual((parsed.tests ?? []).filter((t) => t.status !== 'failed').map((t) => [t.name, t.status]), [
      ['cart › refunds are not supported yet', 'skipped'],
      ['cart › applies vouchers', 'todo'],
      ['cart › label keeps the name', 'passed'],
      ['timeout › fast lookup', 'passed'],
      ['nested › deep › strings › shout adds one bang', 'passed'],
    ]);
  });

  it('a coloured run parses like the plain one', () => {
    const coloured = fixture('ava-colour.txt');
    assert.ok(coloured.includes('\u001b['), 'fixture should contain escape codes');
    const key = (p: ParsedTestOutput) => p.failures.map((f) => `${f.name}|${f.file}|${f.line}|${f.message}`).sort();
    assert.deepEqual(key(parseTestOutput(coloured)), key(parseTestOutput(fixture('ava-default.txt'))));
  });

  it('TAP reporter: the same failures and messages; only the locations AVA puts in `at:` survive', () => {
    const { parsed, tally } = score('ava', 'ava-tap.txt', 'ava.json', '/tmp/ava-logs');
    assert.equal(parsed.runner, 'ava');
    assert.deepEqual(figures(tally), [10, 10, 2, 1, 10, 0, 5, 5]);
    // "# fail 12" counts the todo test and the two crash records too; the failed tests are 9.
    assert.deepEqual([parsed.passed, parsed.failed, parsed.skipped, parsed.todo], [3, 9, 1, 1]);
    const tapSignature = failureSignature(parsed.failures.map((f) => ({ ...f, file: null, line: null })));
    const defaultSignature = failureSignature(parseTestOutput(fixture('ava-default.txt'), 'ava', { cwd: '/tmp/ava-logs' }).failures.map((f) => ({ ...f, file: null, line: null })));
    assert.equal(tapSignature, defaultSignature, 'both reporters word each failure the same way');
  });

  it('a global timeout: the pending tests fail with the file AVA names', () => {
    const { parsed, tally, misses } = score('ava', 'ava-timeout.txt', 'ava-timeout.json');
    assert.deepEqual(misses, []);
    assert.deepEqual(figures(tally), [2, 2, 2, 0, 2, 0, 1, 1]);
    assert.deepEqual([parsed.passed, parsed.failed], [1, 2]);
  });
});

describe('testparse: recorded vitest and jest runs', () => {
  it('vitest: every test of a group of FAIL headers keeps the shared message, file and line', () => {
    const { parsed, tally, misses } = score('vitest', 'vitest-grouped.txt', 'vitest-grouped.json', '/tmp/vitest-logs');
    assert.deepEqual(misses.filter((m) => !m.startsWith('status:')), []);
    assert.deepEqual(figures(tally), [8, 8, 8, 8, 8, 0, 5, 3]);
    const grouped = parsed.failures.filter((f) => f.name.startsWith('price of'));
    assert.equal(grouped.length, 3);
    for (const failure of grouped) {
      assert.deepEqual([failure.file, failure.line, failure.message], ['test/cart.test.js', 9, 'AssertionError: expected 3 to be 2 // Object.is equality\n- Expected\n+ Received\n- 2\n+ 3']);
    }
    const hook = parsed.failures.filter((f) => f.name.startsWith('config > '));
    assert.deepEqual(hook.map((f) => [f.name, f.line, f.message]), [
      ['config > has retries', 26, 'Error: config mode is dev, want prod'],
      ['config > has a mode', 26, 'Error: config mode is dev, want prod'],
    ]);
    assert.deepEqual([parsed.passed, parsed.failed, parsed.skipped, parsed.todo], [3, 8, 1, 1]);
  });

  it('vitest: the listing gives outcomes of failing files only; its ↓ reads todo as skipped', () => {
    const { parsed, misses } = score('vitest', 'vitest-grouped.txt', 'vitest-grouped.json');
    assert.deepEqual(misses, ['status: applies vouchers: want todo, got skipped']);
    assert.ok(!(parsed.tests ?? []).some((t) => t.file === 'test/passing.test.js'), 'a passing file lists no tests');
    assert.deepEqual((parsed.tests ?? []).find((t) => t.name === 'sums prices'), { name: 'sums prices', file: 'test/cart.test.js', status: 'passed' });
  });

  it('jest --verbose: the tree gives every outcome under the failure names; messages keep Expected/Received', () => {
    const { parsed, tally, misses } = score('jest', 'jest-verbose.txt', 'jest-verbose.json');
    assert.deepEqual(misses, []);
    assert.deepEqual(figures(tally), [4, 4, 4, 4, 4, 0, 4, 4]);
    assert.equal(parsed.failures[0].message, 'expect(received).toBe(expected) // Object.is equality\nExpected: 0\nReceived: 1');
    assert.deepEqual([parsed.passed, parsed.failed, parsed.skipped, parsed.todo], [2, 4, 1, 1]);
  });
});
