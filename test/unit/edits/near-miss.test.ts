// Whole-line searches with a small slip in one line (issue "Honest verification": fewer false rejects, never a
// wrong apply): accepted only when the block's ends match, one window qualifies and the replacement rewrites
// every differing line.
import { strict as assert } from 'node:assert';
import { applyEditText, applySearchReplacePairs } from '../../../src/tools/edits';
import { changeFor, fixture, lookupOf } from './fixtures';

const data = fixture('near-miss/data.ts');
const slipped = '  load() {\n    const result = fetchData();\n    return results.filter(Boolean);\n  }\n';
const rewrite = '  load() {\n    const data = fetchData();\n    return data.filter(Boolean);\n  }\n';

function block(search: string, replace: string): string {
  return `<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE\n`;
}

describe('near-miss: one slipped line in a block of four or more', () => {
  it('applies a SEARCH block whose one line has a typo, when the replacement rewrites that line', () => {
    const outcome = applyEditText(block(slipped, rewrite), lookupOf({ 'data.ts': data }), { file: 'data.ts' });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
    assert.equal(changeFor(outcome.changes, 'data.ts').after, data.replace('const results = fetchData();\n    return results', 'const data = fetchData();\n    return data'));
    assert.deepEqual(outcome.strategies, ['near-miss']);
  });

  it('re-indents the replacement when the block was also written at another indentation (str-replace)', () => {
    const search = 'load() {\n  const result = fetchData();\n  return results.filter(Boolean);\n}';
    const result = applySearchReplacePairs(data, [{ search, replace: 'load() {\n  const data = fetchData();\n  return data.filter(Boolean);\n}' }]);
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.match(result.content, /^export class Repo \{\n {2}load\(\) \{\n {4}const data = fetchData\(\);\n {4}return data\.filter\(Boolean\);\n {2}\}\n\n {2}save/);
  });

  it('refuses a block deleted or replaced by something else: nothing shows the slipped line was being changed', () => {
    for (const replace of ['', '  load() {\n    return cache.all();\n  }\n']) {
      const outcome = applyEditText(block(slipped, replace), lookupOf({ 'data.ts': data }), { file: 'data.ts' });
      assert.ok(!outcome.ok, `applied: ${JSON.stringify(replace)}`);
      assert.equal(outcome.error.code, 'no_match');
    }
  });

  it('refuses when the replacement keeps the slipped line: it would write the stale copy over the file', () => {
    const keeps = '  load() {\n    const result = fetchData();\n    return results.filter(Boolean).slice(0, 10);\n  }\n';
    const outcome = applyEditText(block(slipped, keeps), lookupOf({ 'data.ts': data }), { file: 'data.ts' });
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.code, 'no_match');
    assert.match(outcome.error.message, /First difference: search line 2 "    const result = fetchData\(\);" is file line 3 "    const results = fetchData\(\);"/);
  });

  it('refuses a slip in the first or last line, two slips in four lines, a block of three, or a line that is not a slip', () => {
    const refusals = [
      '  load( {\n    const results = fetchData();\n    return results.filter(Boolean);\n  }\n',
      '  load() {\n    const result = fetchData();\n    return result.filter(Boolean);\n  }\n',
      '  load() {\n    const result = fetchData();\n  }\n',
      '  load() {\n    const cached = cache.get(key);\n    return results.filter(Boolean);\n  }\n',
    ];
    for (const search of refusals) {
      const outcome = applyEditText(block(search, rewrite), lookupOf({ 'data.ts': data }), { file: 'data.ts' });
      assert.ok(!outcome.ok, `applied: ${search}`);
      assert.equal(outcome.error.code, 'no_match');
    }
  });

  it('refuses when two blocks of the file come that close', () => {
    const twice = data + '\nexport class Cache {\n  load() {\n    const results = fetchData();\n    return results.filter(Boolean);\n  }\n}\n';
    const outcome = applyEditText(block(slipped, rewrite), lookupOf({ 'data.ts': twice }), { file: 'data.ts' });
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.code, 'ambiguous_match');
  });

  it('is not used for unified diffs, whose context lines must match as written', () => {
    const diff = '--- a/data.ts\n+++ b/data.ts\n@@ -2,4 +2,4 @@\n   load() {\n-    const result = fetchData();\n+    const data = fetchData();\n     return results.filter(Boolean);\n   }\n';
    const outcome = applyEditText(diff, lookupOf({ 'data.ts': data }));
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.code, 'no_match');
  });
});
