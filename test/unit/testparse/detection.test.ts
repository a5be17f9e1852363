import * as assert from 'node:assert/strict';
import { detectRunner, parseTestOutput } from '../../../src/tools/testparse/index';
import { fixture } from './fixtures';

describe('testparse: detection, ANSI and fallbacks', () => {
  const expected: [string, string][] = [
    ['mocha-spec.txt', 'mocha'],
    ['mocha-spec-ansi.txt', 'mocha'],
    ['jest.txt', 'jest'],
    ['vitest.txt', 'vitest'],
    ['node-spec.txt', 'node'],
    ['node-tap.txt', 'node'],
    ['tap.txt', 'tap'],
    ['pytest-default.txt', 'pytest'],
    ['pytest-short.txt', 'pytest'],
    ['go-v.txt', 'go'],
    ['go-json.txt', 'go'],
    ['cargo-test.txt', 'cargo'],
    ['cargo-compile-error.txt', 'cargo'],
    ['junit.xml', 'junit'],
    ['ava-default.txt', 'ava'],
    ['ava-colour.txt', 'ava'],
    ['ava-tap.txt', 'ava'],
    ['ava-timeout.txt', 'ava'],
    ['vitest-grouped.txt', 'vitest'],
    ['jest-verbose.txt', 'jest'],
  ];
  for (const [file, runner] of expected) {
    it(`detects ${runner} in ${file}`, () => {
      assert.equal(detectRunner(fixture(file)), runner);
      assert.equal(parseTestOutput(fixture(file)).runner, runner);
    });
  }

  it('strips ANSI colours: a coloured mocha run parses like the plain one', () => {
    const coloured = fixture('mocha-spec-ansi.txt');
    assert.ok(coloured.includes('\u001b['), 'fixture should contain escape codes');
    const plain = parseTestOutput(fixture('mocha-spec.txt'));
    assert.deepEqual(parseTestOutput(coloured).failures, plain.failures);
  });

  it('strips colour codes inside names and paths', () => {
    const red = (s: string) => `\u001b[31m${s}\u001b[39m`;
    const output = [
      `${red('✖')} adds (1.2ms)`,
      `  Error: ${red('boom')}`,
      `      at TestContext.<anonymous> \u001b[90m(/work/p/\u001b[39mtest/a.test.js:3:9\u001b[90m)\u001b[39m`,
      'ℹ tests 1',
      'ℹ pass 0',
      'ℹ fail 1',
    ].join('\n');
    const result = parseTestOutput(output);
    assert.equal(result.runner, 'node');
    assert.deepEqual(result.failures, [{ name: 'adds', file: '/work/p/test/a.test.js', line: 3, message: 'Error: boom' }]);
  });

  it('returns the last 40 lines of unrecognised output, never nothing', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `log line ${i + 1}`);
    const result = parseTestOutput(lines.join('\n') + '\n');
    assert.equal(result.runner, 'unknown');
    assert.deepEqual(result.failures, []);
    assert.equal(result.passed, null);
    assert.equal(result.failed, null);
    assert.equal(result.skipped, null);
    assert.equal(result.todo, null);
    assert.equal(result.tail, lines.slice(60).join('\n'));
  });

  it('keeps the tail when a recognised run failed but nothing could be structured', () => {
    const cutOff = parseTestOutput('\n  1 passing (12ms)\n  3 failing\n\n(output truncated by the terminal)\n', 'mocha');
    assert.equal(cutOff.runner, 'mocha');
    assert.equal(cutOff.failed, 3);
    assert.deepEqual(cutOff.failures, []);
    assert.match(cutOff.tail ?? '', /3 failing\n\n\(output truncated by the terminal\)$/);
  });

  it('reports a failed test even when its details are missing', () => {
    const output = ['running 2 tests', 'test a ... ok', 'test b ... FAILED', 'test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s'].join('\n');
    const result = parseTestOutput(output);
    assert.equal(result.runner, 'cargo');
    assert.deepEqual(result.failures, [{ name: 'b', file: null, line: null, message: '' }]);
    assert.equal(result.tail, undefined);
  });

  it('does not set a tail for a passing run', () => {
    const result = parseTestOutput('\n\n  math\n    ✔ adds\n\n\n  1 passing (4ms)\n\n');
    assert.equal(result.runner, 'mocha');
    assert.equal(result.passed, 1);
    assert.deepEqual(result.failures, []);
    assert.equal(result.tail, undefined);
  });
});
