import * as assert from 'node:assert/strict';
import { parseTestOutput } from '../../../src/tools/testparse/index';
import { fixture } from './fixtures';

describe('testparse: pytest, go, cargo, JUnit', () => {
  const pytestFailures = [
    { name: 'tests/test_calc.py::test_uses_fixture', file: 'tests/test_calc.py', line: 26, message: 'RuntimeError: database unavailable', kind: 'error' },
    { name: 'tests/test_calc.py::test_large', file: 'tests/test_calc.py', line: 13, message: 'assert 13 == 12' },
    { name: 'tests/test_calc.py::TestEdges::test_negative', file: 'tests/test_calc.py', line: 7, message: 'AssertionError: value must be positive' },
    { name: 'tests/test_calc.py::TestEdges::test_type[b]', file: 'tests/test_calc.py', line: 22, message: "TypeError: unsupported operand: 'b'" },
  ];

  it('pytest default output: node ids, crash location (even in a helper), E-line message, errors', () => {
    const result = parseTestOutput(fixture('pytest-default.txt'), 'pytest');
    assert.deepEqual(result.failures, pytestFailures);
    assert.equal(result.passed, 2);
    assert.equal(result.failed, 3);
  });

  it('pytest -v (a real run): every test with its outcome, xfail as skipped, counts from the last line', () => {
    const result = parseTestOutput(fixture('pytest-verbose.txt'), 'auto', { cwd: '/tmp/pytest-logs' });
    assert.equal(result.runner, 'pytest');
    assert.deepEqual(result.failures.map((f) => [f.name, f.file, f.line, f.message]), [
      ['tests/test_calc.py::test_large', 'tests/test_calc.py', 13, 'assert 13 == 12'],
      ['tests/test_calc.py::test_positive[20]', 'tests/test_calc.py', 28, 'assert 21 == 20'],
    ]);
    assert.deepEqual(result.tests?.map((t) => [t.name, t.status]), [
      ['tests/test_calc.py::test_small', 'passed'],
      ['tests/test_calc.py::test_large', 'failed'],
      ['tests/test_calc.py::test_db', 'skipped'],
      ['tests/test_calc.py::test_rounding', 'skipped'],
      ['tests/test_calc.py::test_positive[1]', 'passed'],
      ['tests/test_calc.py::test_positive[20]', 'failed'],
    ]);
    assert.deepEqual([result.passed, result.failed, result.skipped, result.todo], [2, 2, 1, null]);
  });

  it('pytest default output names only failures: no tests[]', () => {
    const result = parseTestOutput(fixture('pytest-default.txt'), 'pytest');
    assert.equal(result.tests, undefined);
    assert.equal(result.todo, null);
  });

  it('pytest -q --tb=short gives the same failures', () => {
    const result = parseTestOutput(fixture('pytest-short.txt'), 'pytest');
    assert.deepEqual(result.failures, pytestFailures);
    assert.equal(result.failed, 3);
  });

  it('go test -v: subtests by path, parents left out, build and package failures', () => {
    const result = parseTestOutput(fixture('go-v.txt'), 'go');
    assert.deepEqual(result.failures, [
      { name: 'example.com/shop/internal/broken', file: 'internal/broken/broken_test.go', line: 9, message: 'undefined: fetchThing', kind: 'build-failure' },
      { name: 'TestTotal', file: 'cart_test.go', line: 14, message: 'total = 31, want 30' },
      { name: 'TestDiscount/percentage', file: 'cart_test.go', line: 27, message: 'discount = 9, want 9.5' },
      { name: 'example.com/shop/cmd', file: null, line: null, message: 'sometimes main can exit 3', kind: 'package-failure' },
    ]);
    assert.equal(result.passed, 3);
    assert.equal(result.failed, 2);
    assert.deepEqual([result.skipped, result.todo], [0, null]);
    const failedTests = (result.tests ?? []).filter((t) => t.status === 'failed').map((t) => t.name);
    assert.ok(failedTests.includes('TestTotal') && failedTests.includes('TestDiscount/percentage'), failedTests.join(', '));
  });

  it('go test -json: the event stream yields the same test failures', () => {
    const result = parseTestOutput(fixture('go-json.txt'), 'go');
    assert.deepEqual(result.failures, [
      { name: 'TestTotal', file: 'cart_test.go', line: 14, message: 'total = 31, want 30' },
      { name: 'TestDiscount/percentage', file: 'cart_test.go', line: 27, message: 'discount = 9, want 9.5' },
    ]);
  });

  it('go test: a panicking test gets the panic message and its _test.go frame', () => {
    const output = [
      '=== RUN   TestIndex',
      '--- FAIL: TestIndex (0.00s)',
      'panic: runtime error: index out of range [5] with length 3 [recovered]',
      '\tpanic: runtime error: index out of range [5] with length 3',
      '',
      'goroutine 6 [running]:',
      'testing.tRunner.func1.2({0x5f1e20, 0xc000018150})',
      '\t/usr/local/go/src/testing/testing.go:1545 +0x238',
      'example.com/shop/cart.TestIndex(0x0?)',
      '\t/home/dev/shop/cart/cart_test.go:40 +0x1d',
      'FAIL\texample.com/shop/cart\t0.005s',
    ].join('\n');
    const result = parseTestOutput(output);
    assert.equal(result.runner, 'go');
    assert.deepEqual(result.failures, [
      { name: 'TestIndex', file: '/home/dev/shop/cart/cart_test.go', line: 40, message: 'panic: runtime error: index out of range [5] with length 3 [recovered]' },
    ]);
  });

  it('cargo test: panics with file:line, should_panic notes, libtest counts', () => {
    const result = parseTestOutput(fixture('cargo-test.txt'), 'cargo');
    assert.deepEqual(result.failures, [
      { name: 'tests::overflows', file: 'src/lib.rs', line: 12, message: 'test did not panic as expected at src/lib.rs:12:8' },
      { name: 'tests::adds_large', file: 'src/lib.rs', line: 9, message: 'assertion `left == right` failed' },
    ]);
    assert.equal(result.passed, 1);
    assert.equal(result.failed, 2);
    assert.deepEqual([result.skipped, result.todo], [0, null]);
    assert.deepEqual(result.tests?.filter((t) => t.status === 'failed').map((t) => t.name).sort(), ['tests::adds_large', 'tests::overflows']);
  });

  it('cargo test: a compile error becomes a compile-error failure at its span', () => {
    const result = parseTestOutput(fixture('cargo-compile-error.txt'), 'cargo');
    assert.deepEqual(result.failures, [
      { name: '(compile error)', file: 'src/lib.rs', line: 4, message: 'E0308: mismatched types', kind: 'compile-error' },
    ]);
    assert.equal(result.tail, undefined);
  });

  it('JUnit XML: failures and errors with decoded entities, locations from attributes or stacks', () => {
    const result = parseTestOutput(fixture('junit.xml'), 'junit');
    assert.deepEqual(result.failures, [
      { name: 'Cart::sums item prices', file: 'src/cart.test.ts', line: 14, message: 'expected 31 to be 30 & more' },
      { name: 'tests.test_calc.TestEdges::test_negative', file: 'tests/test_calc.py', line: 26, message: 'RuntimeError: database unavailable', kind: 'error' },
    ]);
    assert.equal(result.passed, 1);
    assert.equal(result.failed, 2);
    assert.deepEqual([result.skipped, result.todo], [1, null]);
    assert.deepEqual(result.tests?.map((t) => [t.name, t.status]), [
      ['Cart::starts empty', 'passed'],
      ['Cart::sums item prices', 'failed'],
      ['tests.test_calc.TestEdges::test_negative', 'failed'],
      ['Cart::formats prices', 'skipped'],
    ]);
  });
});
