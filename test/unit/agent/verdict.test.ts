// The verdict and the per-test ledger: pure functions over test runs, checked case by case.
import * as assert from 'node:assert/strict';
import { describeStep, TestLedger } from '../../../src/agent/verdict/ledger';
import { decideVerdict, executedCount } from '../../../src/agent/verdict/verdict';
import type { TestRunRecord } from '../../../src/tools/types';

function run(failing: string[], passing: string[] = [], extra: Partial<TestRunRecord> = {}): TestRunRecord {
  return {
    command: 'npm test', exitCode: failing.length ? 1 : 0, timedOut: false,
    failures: failing.map((name) => ({ name, file: 'test/a.test.js', line: 1, message: 'boom' })),
    passed: passing.length, failed: failing.length, skipped: 0, todo: 0,
    tests: [...failing.map((name) => ({ name, file: null, status: 'failed' as const })), ...passing.map((name) => ({ name, file: null, status: 'passed' as const }))],
    output: '', ...extra,
  };
}

describe('verdict', () => {
  const base = { testCommand: 'npm test', step: null, baseline: null, testChanges: [] };

  it('is unverified without a test command, never verified', () => {
    assert.equal(decideVerdict({ ...base, testCommand: null, run: null }).status, 'unverified');
  });

  it('is verified only when tests ran and passed', () => {
    const verdict = decideVerdict({ ...base, run: run([], ['a', 'b']) });
    assert.deepEqual(verdict, { status: 'verified', summary: 'The tests pass (2 tests ran).' });
    assert.equal(decideVerdict({ ...base, run: run(['a'], ['b']) }).status, 'failing');
    assert.equal(decideVerdict({ ...base, run: { ...run([], ['a']), timedOut: true, exitCode: null } }).status, 'failing');
  });

  it('a passing run that executed nothing: unverified when nothing ran at the start either, failing when tests ran then', () => {
    const empty = run([], [], { tests: [{ name: 'a', file: null, status: 'skipped' }], skipped: 1 });
    assert.equal(executedCount(empty), 0);
    assert.equal(decideVerdict({ ...base, run: empty }).status, 'unverified');
    const filtered = decideVerdict({ ...base, run: empty, baseline: run(['a'], ['b']) });
    assert.equal(filtered.status, 'failing');
    assert.equal(filtered.status === 'failing' && filtered.kind, 'no_tests_ran');
  });

  it('counts tests that ran at the start and are now skipped as not run', () => {
    const ledger = new TestLedger();
    ledger.add(run(['a'], ['b', 'c']), false, 's1');
    const now = run([], ['a'], { tests: [{ name: 'a', file: null, status: 'passed' }, { name: 'b', file: null, status: 'skipped' }] });
    const step = ledger.add(now, true, 'pass');
    assert.deepEqual(step.notRun, ['b', 'c']);
    const verdict = decideVerdict({ ...base, run: now, step });
    assert.equal(verdict.status === 'failing' && verdict.kind, 'tests_not_run');
  });

  it('will not call changed tests verified without running the originals', () => {
    const verdict = decideVerdict({ ...base, run: run([], ['a']), testChanges: ['test/a.test.js'] });
    assert.equal(verdict.status === 'failing' && verdict.kind, 'originals_unavailable');
    assert.equal(decideVerdict({ ...base, run: run([], ['a'], { originalTests: true }), testChanges: ['test/a.test.js'] }).status, 'verified');
  });

  it('needs no counts from a runner that reports none', () => {
    assert.equal(decideVerdict({ ...base, run: { ...run([]), passed: null, failed: null, tests: undefined } }).status, 'verified');
  });
});

describe('test ledger', () => {
  it('names fixed tests, regressions and new failures across runs', () => {
    const ledger = new TestLedger();
    ledger.add(run(['add'], ['multiply']), false, 's1');
    const second = ledger.add(run(['multiply'], ['add']), true, 's2');
    assert.deepEqual(second.fixed, ['add']);
    assert.deepEqual(second.regressed, ['multiply']);
    assert.equal(second.progress, false, 'fewer failures but a new one is no progress');
    assert.match(describeStep(second), /Regression: `multiply` passed before this change and fails now\.\nFixed so far: `add`\./);
    const third = ledger.add(run([], ['add', 'multiply']), true, 'pass');
    assert.equal(third.progress, true);
  });

  it('without outcome lists, calls failures new rather than regressions', () => {
    const ledger = new TestLedger();
    ledger.add({ ...run(['a']), tests: undefined }, false, 's1');
    const step = ledger.add({ ...run(['b']), tests: undefined }, true, 's2');
    assert.deepEqual(step.regressed, []);
    assert.deepEqual(step.newlyFailing, ['b']);
  });

  it('sees an oscillation A→B→A as no progress, and a strict subset of the failures as progress', () => {
    const ledger = new TestLedger();
    ledger.add(run(['a', 'b']), false, 'sA');
    assert.equal(ledger.add(run(['a']), true, 'sB').progress, true);
    assert.equal(ledger.add(run(['c']), true, 'sC').progress, false);
    assert.equal(ledger.add(run(['a']), true, 'sB').progress, false);
  });

  it('judges unnamed failures by their signature: one seen before is no progress', () => {
    const ledger = new TestLedger();
    const unnamed = (signature: string) => ({ ...run([]), exitCode: 1, failures: [], tests: undefined, passed: null, failed: null, output: signature });
    ledger.add(unnamed('x'), false, 'exit:1:aaa');
    assert.equal(ledger.add(unnamed('y'), true, 'exit:1:bbb').progress, null);
    assert.equal(ledger.add(unnamed('x'), true, 'exit:1:aaa').progress, false);
  });
});
