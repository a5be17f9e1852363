import * as assert from 'node:assert/strict';
import { failureSignature, parseTestOutput } from '../../../src/tools/testparse/index';
import type { TestFailure } from '../../../src/tools/testparse/types';
import { fixture } from './fixtures';

const total: TestFailure = { name: 'Cart › total', file: 'src/cart.test.ts', line: 14, message: 'Timeout of 2000ms exceeded after 2013 ms' };
const discount: TestFailure = { name: 'Cart › discount', file: 'src/cart.test.ts', line: 22, message: 'Cannot read properties of undefined at 0x7ffd2a10' };

describe('testparse: failureSignature', () => {
  it('does not depend on the order of failures', () => {
    assert.equal(failureSignature([total, discount]), failureSignature([discount, total]));
  });

  it('ignores timings, numbers, addresses, temp paths and line moves', () => {
    const again = [
      { ...total, line: 19, message: 'Timeout of 2000ms exceeded after 2140 ms' },
      { ...discount, message: 'Cannot read properties of undefined at 0x55aa0c01' },
    ];
    assert.equal(failureSignature([total, discount]), failureSignature(again));
    const tempA: TestFailure = { name: 't', file: '/tmp/run-abc123/a.test.js', line: 1, message: 'ENOENT /tmp/run-abc123/x.json' };
    const tempB: TestFailure = { name: 't', file: '/tmp/run-zz9/a.test.js', line: 1, message: 'ENOENT /tmp/run-zz9/x.json' };
    assert.equal(failureSignature([tempA]), failureSignature([tempB]));
  });

  it('changes when a different test fails, or a failure is added or fixed', () => {
    const base = failureSignature([total, discount]);
    assert.notEqual(failureSignature([total, { ...discount, name: 'Cart › refund' }]), base);
    assert.notEqual(failureSignature([total]), base);
    assert.notEqual(failureSignature([total, discount, { ...total, file: 'src/other.test.ts' }]), base);
    assert.notEqual(failureSignature([{ ...total, message: 'expected cart to be empty' }, discount]), base);
  });

  it('is stable across two parses of runs that differ only in durations', () => {
    const first = fixture('mocha-spec.txt');
    const second = first.replace('(9ms)', '(131ms)');
    assert.notEqual(first, second);
    assert.equal(failureSignature(parseTestOutput(first).failures), failureSignature(parseTestOutput(second).failures));
  });

  it('looks only at the first message line: a new received value is not progress', () => {
    const before: TestFailure = { name: 'Cart › total', file: 'src/cart.test.ts', line: 14, message: 'expect(received).toBe(expected) // Object.is equality\nExpected: 30\nReceived: 31' };
    const after: TestFailure = { ...before, message: 'expect(received).toBe(expected) // Object.is equality\nExpected: 30\nReceived: "thirty"' };
    assert.equal(failureSignature([before]), failureSignature([after]));
    assert.notEqual(failureSignature([before]), failureSignature([{ ...before, message: 'TypeError: total is not a function' }]));
  });

  it('gives the empty set one fixed signature', () => {
    assert.equal(failureSignature([]), failureSignature([]));
    assert.notEqual(failureSignature([]), failureSignature([total]));
  });
});
