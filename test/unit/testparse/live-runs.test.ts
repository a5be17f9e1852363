import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { failureSignature, parseTestOutput } from '../../../src/tools/testparse/index';
import { repoRoot } from './fixtures';

// Real runs of the installed runners on tiny failing files, so the parsers meet today's real output.
describe('testparse: live runs of node --test and mocha', () => {
  let workDir = '';

  before(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'testparse-live-'));
    fs.mkdirSync(path.join(workDir, 'test'));
    fs.writeFileSync(
      path.join(workDir, 'test', 'price.test.js'),
      [
        "const assert = require('node:assert');",
        "const { describe, it } = require('node:test');",
        'const price = (n) => n * 2 + 1;',
        "describe('price', () => {",
        "  it('doubles', () => {",
        '    assert.strictEqual(price(2), 4);',
        '  });',
        "  it('keeps zero', () => assert.strictEqual(price(0), 0));",
        '});',
        '',
      ].join('\n'),
    );
  });

  after(() => fs.rmSync(workDir, { recursive: true, force: true }));

  function run(command: string, args: string[]): { output: string; status: number | null } {
    const result = spawnSync(command, args, { cwd: workDir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    return { output: `${result.stdout}${result.stderr}`, status: result.status };
  }

  it('parses node --test spec output', () => {
    const { output, status } = run(process.execPath, ['--test', '--test-reporter=spec', 'test/price.test.js']);
    assert.notEqual(status, 0);
    const result = parseTestOutput(output, 'auto', { cwd: workDir });
    assert.equal(result.runner, 'node');
    assert.deepEqual(
      result.failures.map((f) => [f.name, f.file, f.line]),
      [
        ['price > doubles', 'test/price.test.js', 6],
        ['price > keeps zero', 'test/price.test.js', 8],
      ],
    );
    assert.match(result.failures[0].message, /Expected values to be strictly equal/);
    assert.equal(result.failed, 2);
  });

  it('parses node --test TAP output and gives it the same signature as the spec output', () => {
    const tap = parseTestOutput(run(process.execPath, ['--test', '--test-reporter=tap', 'test/price.test.js']).output, 'auto', { cwd: workDir });
    assert.equal(tap.runner, 'node');
    assert.deepEqual(tap.failures.map((f) => [f.name, f.file, f.line]), [
      ['price > doubles', 'test/price.test.js', 6],
      ['price > keeps zero', 'test/price.test.js', 8],
    ]);
    const again = parseTestOutput(run(process.execPath, ['--test', '--test-reporter=tap', 'test/price.test.js']).output, 'auto', { cwd: workDir });
    assert.equal(failureSignature(again.failures), failureSignature(tap.failures));
  });

  it('lists every test with its status from node --test spec and mocha spec, named as their failures', () => {
    const body = [
      "describe('stock', () => {",
      "  it('counts', () => assert.strictEqual(1 + 1, 2));",
      "  it('rounds', () => assert.strictEqual(Math.round(2.5), 2));",
      "  it.skip('reorders', () => {});",
      '});',
      '',
    ];
    fs.writeFileSync(path.join(workDir, 'test', 'stock.test.js'), ["const assert = require('node:assert');", "const { describe, it } = require('node:test');", ...body].join('\n'));
    fs.writeFileSync(path.join(workDir, 'test', 'mocha-stock.js'), ["const assert = require('node:assert');", ...body].join('\n'));
    const node = parseTestOutput(run(process.execPath, ['--test', '--test-reporter=spec', 'test/stock.test.js']).output);
    assert.deepEqual(node.tests?.map((t) => [t.name, t.status]), [['stock > counts', 'passed'], ['stock > rounds', 'failed'], ['stock > reorders', 'skipped']]);
    assert.deepEqual([node.passed, node.failed, node.skipped, node.todo], [1, 1, 1, 0]);
    assert.equal(node.failures[0].message, 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n3 !== 2');
    const mocha = parseTestOutput(run(process.execPath, [path.join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js'), 'test/mocha-stock.js']).output);
    assert.deepEqual(mocha.tests?.map((t) => [t.name, t.status]), [['stock counts', 'passed'], ['stock rounds', 'failed'], ['stock reorders', 'skipped']]);
    assert.deepEqual([mocha.passed, mocha.failed, mocha.skipped, mocha.todo], [1, 1, 1, null]);
    assert.equal(mocha.failures[0].name, 'stock rounds');
  });

  it('parses mocha spec output of the same file', () => {
    // mocha provides describe/it as globals, so the same test file runs without the node:test import.
    fs.writeFileSync(path.join(workDir, 'test', 'mocha-price.js'), fs.readFileSync(path.join(workDir, 'test', 'price.test.js'), 'utf8').replace("const { describe, it } = require('node:test');", '// mocha globals'));
    const mocha = path.join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js');
    const { output, status } = run(process.execPath, [mocha, 'test/mocha-price.js']);
    assert.equal(status, 2);
    const result = parseTestOutput(output);
    assert.equal(result.runner, 'mocha');
    assert.deepEqual(result.failures.map((f) => [f.name, f.file, f.line]), [
      ['price doubles', 'test/mocha-price.js', 6],
      ['price keeps zero', 'test/mocha-price.js', 8],
    ]);
    assert.equal(result.passed, 0);
    assert.equal(result.failed, 2);
  });
});
