// The last str-replace fallback: the same code with line breaks and spaces laid out differently.
import { strict as assert } from 'node:assert';
import { applyEditText, applySearchReplacePairs } from '../../../src/tools/edits';
import { lookupOf } from './fixtures';

const file = 'export function test() {\n  return true;\n}\n\nexport function other() {\n  return false;\n}\n';

describe('str-replace: a search whose line breaks differ from the file', () => {
  it('matches code collapsed onto one line and replaces exactly that span', () => {
    const result = applySearchReplacePairs(file, [{ search: 'function test(){return true;}', replace: 'function test() { return 1; }' }]);
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.equal(result.content, 'export function test() { return 1; }\n\nexport function other() {\n  return false;\n}\n');
    assert.deepEqual(result.strategies, ['whitespace']);
  });

  it('matches code spread over more lines, keeping the whitespace around the match the file\'s own', () => {
    const spread = '  const total = items\n    .map((item) => item.price)\n    .reduce((a, b) => a + b, 0);\n';
    const result = applySearchReplacePairs(spread, [{ search: '  const total = items.map((item) => item.price).reduce((a, b) => a + b, 0);\n', replace: '  const total = sum(items);\n' }]);
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.equal(result.content, '  const total = sum(items);\n');
  });

  it('refuses a layout-blind match found in two places, and one that would start inside a word', () => {
    const twice = applySearchReplacePairs(file + 'function test() {\n  return true;\n}\n', [{ search: 'function test(){return true;}', replace: 'x' }]);
    assert.ok(!twice.ok);
    assert.equal(twice.error.code, 'ambiguous_match');
    const inside = applySearchReplacePairs('function mytest() {\n  return true;\n}\n', [{ search: 'test(){return true;}', replace: 'x' }]);
    assert.ok(!inside.ok);
    assert.equal(inside.error.code, 'no_match');
  });

  it('keeps words apart: "return x" is not "returnx"', () => {
    const result = applySearchReplacePairs('function f() {\n  returnx;\n}\n', [{ search: 'function f(){return x;}', replace: 'y' }]);
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'no_match');
  });

  it('is not used for short searches or for SEARCH/REPLACE blocks, whose searches are whole lines', () => {
    const short = applySearchReplacePairs('a(\n  b);\n', [{ search: 'a(b);', replace: 'c' }]);
    assert.ok(!short.ok);
    const block = '<<<<<<< SEARCH\nfunction test(){return true;}\n=======\nx\n>>>>>>> REPLACE\n';
    const outcome = applyEditText(block, lookupOf({ 'a.ts': file }), { file: 'a.ts' });
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.code, 'no_match');
  });
});
