import * as assert from 'node:assert/strict';
import { parseTestOutput } from '../../../src/tools/testparse/index';
import type { TestFailure } from '../../../src/tools/testparse/types';
import { fixture } from './fixtures';

function pick(failures: TestFailure[]): Pick<TestFailure, 'name' | 'file' | 'line' | 'message'>[] {
  return failures.map(({ name, file, line, message }) => ({ name, file, line, message }));
}

describe('testparse: JavaScript runners', () => {
  it('mocha: full titles, test-file frames, the message with its values, counts and the spec tree', () => {
    const result = parseTestOutput(fixture('mocha-spec.txt'), 'mocha');
    assert.equal(result.runner, 'mocha');
    assert.deepEqual(pick(result.failures), [
      { name: 'math adds large numbers', file: 'test/math.test.js', line: 8, message: 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n13 !== 12\n+ expected - actual\n-13\n+12' },
      { name: 'math edge cases handles negatives', file: 'test/math.test.js', line: 12, message: 'AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal:\n+ actual - expected\n{\n+   sum: -3\n-   sum: -4\n}' },
      { name: 'strings "before all" hook for "concatenates"', file: 'test/math.test.js', line: 17, message: 'Error: fixture database unavailable' },
    ]);
    assert.deepEqual([result.passed, result.failed, result.skipped, result.todo], [1, 3, 0, null]);
    assert.deepEqual(result.tests, [
      { name: 'math adds small numbers', file: null, status: 'passed' },
      { name: 'math adds large numbers', file: null, status: 'failed' },
      { name: 'math edge cases handles negatives', file: null, status: 'failed' },
      { name: 'strings "before all" hook for "concatenates"', file: null, status: 'failed' },
    ]);
    assert.equal(result.tail, undefined);
  });

  it('jest: › names, skips node_modules and helper frames for the test file, suite errors', () => {
    const result = parseTestOutput(fixture('jest.txt'), 'jest');
    assert.deepEqual(result.failures, [
      { name: 'Cart › sums item prices', file: 'src/__tests__/cart.test.ts', line: 14, message: 'expect(received).toBe(expected) // Object.is equality\nExpected: 30\nReceived: 31' },
      { name: 'Cart › discounts › applies a percentage discount', file: 'src/__tests__/cart.test.ts', line: 22, message: "TypeError: Cannot read properties of undefined (reading 'rate')" },
      { name: 'Test suite failed to run', file: 'src/__tests__/broken.test.ts', line: 1, message: "Cannot find module './missing' from 'src/__tests__/broken.test.ts'", kind: 'suite-error' },
    ]);
    assert.deepEqual([result.passed, result.failed, result.skipped, result.todo], [5, 2, 0, 0]);
    assert.deepEqual(result.tests?.map((t) => [t.name, t.status]), [
      ['Cart › starts empty', 'passed'],
      ['Cart › sums item prices', 'failed'],
      ['Cart › discounts › applies a percentage discount', 'failed'],
    ]);
  });

  it('vitest: > names, frames in the test file, failed suites', () => {
    const result = parseTestOutput(fixture('vitest.txt'), 'vitest');
    assert.deepEqual(pick(result.failures), [
      { name: 'src/broken.test.ts', file: 'src/broken.test.ts', line: null, message: 'Error: Failed to load url ./missing (resolved id: ./missing) in /home/dev/shop/src/broken.test.ts. Does the file exist?' },
      { name: 'Cart > sums item prices', file: 'src/cart.test.ts', line: 14, message: 'AssertionError: expected 31 to be 30 // Object.is equality\n- Expected\n+ Received\n- 30\n+ 31' },
      { name: 'Cart > discounts > applies a percentage discount', file: 'src/cart.test.ts', line: 22, message: "TypeError: Cannot read properties of undefined (reading 'rate')" },
    ]);
    assert.equal(result.failures[0].kind, 'suite-error');
    assert.equal(result.passed, 5);
    assert.equal(result.failed, 2);
  });

  it('node spec: nested names, parents and failing todos left out, paths made relative to cwd', () => {
    const result = parseTestOutput(fixture('node-spec.txt'), 'node', { cwd: '/tmp/tpfix/js' });
    assert.equal(result.runner, 'node');
    assert.deepEqual(pick(result.failures), [
      { name: 'adds large numbers', file: 'test/node-math.test.js', line: 8, message: 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n13 !== 12' },
      { name: 'edge cases > handles negatives', file: 'test/node-math.test.js', line: 12, message: 'AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal:\n+ actual - expected\n{\n+   sum: -3\n-   sum: -4\n}' },
      { name: 'edge cases > rejects strings', file: 'test/node-math.test.js', line: 15, message: 'TypeError [Error]: expected a number, got string' },
    ]);
    assert.deepEqual([result.passed, result.failed, result.skipped, result.todo], [1, 3, 0, 1]);
    assert.deepEqual(result.tests?.map((t) => [t.name, t.status]), [
      ['adds small numbers', 'passed'],
      ['adds large numbers', 'failed'],
      ['edge cases > handles negatives', 'failed'],
      ['edge cases > rejects strings', 'failed'],
      ['todo that fails', 'todo'],
    ]);
  });

  it('node TAP: the same failures from YAML diagnostics', () => {
    const result = parseTestOutput(fixture('node-tap.txt'), 'node');
    assert.equal(result.runner, 'node');
    assert.deepEqual(pick(result.failures), [
      { name: 'adds large numbers', file: '/tmp/tpfix/js/test/node-math.test.js', line: 8, message: 'Expected values to be strictly equal:\n13 !== 12' },
      { name: 'edge cases > handles negatives', file: '/tmp/tpfix/js/test/node-math.test.js', line: 12, message: 'Expected values to be strictly deep-equal:\n+ actual - expected\n{\n+   sum: -3\n-   sum: -4\n}' },
      { name: 'edge cases > rejects strings', file: '/tmp/tpfix/js/test/node-math.test.js', line: 15, message: 'expected a number, got string' },
    ]);
    assert.deepEqual([result.failed, result.todo], [3, 1]);
    assert.deepEqual(result.tests?.map((t) => t.status), ['passed', 'failed', 'failed', 'failed', 'todo']);
  });

  it('generic TAP: SKIP and TODO are not failures; the message comes from the stack when nothing else says', () => {
    const result = parseTestOutput(fixture('tap.txt'), 'tap');
    assert.equal(result.runner, 'tap');
    assert.deepEqual(result.failures, [
      { name: 'sums item prices', file: '/home/dev/shop/test/cart.js', line: 14, message: 'Error: should be equal' },
    ]);
    assert.deepEqual([result.passed, result.failed, result.skipped, result.todo], [1, 1, 1, 1]);
    assert.deepEqual(result.tests?.map((t) => [t.name, t.status]), [
      ['starts empty', 'passed'],
      ['sums item prices', 'failed'],
      ['formats prices', 'skipped'],
      ['applies discount', 'todo'],
    ]);
  });
});
