import { strict as assert } from 'node:assert';
import { applySearchReplacePairs } from '../../../src/tools/edits';
import { fixture } from './fixtures';

function applied(content: string, search: string, replace: string, options: { startLineHint?: number } = {}): string {
  const result = applySearchReplacePairs(content, [{ search, replace }], options);
  if (!result.ok) assert.fail(`expected the edit to apply, got ${result.error.code}: ${result.error.message}`);
  return result.content;
}

describe('applySearchReplacePairs', () => {
  it('replaces an exact match', () => {
    const pricing = fixture('pricing.js');
    const result = applySearchReplacePairs(pricing, [{ search: 'sum += item.price;', replace: 'sum += item.price * item.qty;' }]);
    assert.ok(result.ok);
    assert.equal(result.content, pricing.replace('sum += item.price;', 'sum += item.price * item.qty;'));
    assert.deepEqual(result.strategies, ['exact']);
  });

  it('matches an LF search in a CRLF file and writes CRLF', () => {
    const crlf = 'one\r\ntwo\r\nthree\r\n';
    const result = applySearchReplacePairs(crlf, [{ search: 'one\ntwo\n', replace: 'one\nTWO\nextra\n' }]);
    assert.ok(result.ok);
    assert.equal(result.content, 'one\r\nTWO\r\nextra\r\nthree\r\n');
    assert.deepEqual(result.strategies, ['line-endings']);
  });

  it('keeps a UTF-8 BOM', () => {
    assert.equal(applied('\uFEFFalpha\nbeta\n', 'alpha\n', 'gamma\n'), '\uFEFFgamma\nbeta\n');
    assert.equal(applied('\uFEFFalpha\nbeta\n', 'alpha\nbeta\n', 'x\n'), '\uFEFFx\n');
  });

  it('keeps the presence or absence of the final newline on line matches', () => {
    assert.equal(applied('a\nb', '  b\n', '  c\n'), 'a\nc');
    assert.equal(applied('a\nb\n', ' b', ' c'), 'a\nc\n');
  });

  it('matches tab-indented code searched with spaces and re-indents the replacement with tabs', () => {
    const cart = fixture('cart-tabs.ts.txt');
    const search = '    add(item) {\n        this.items.push(item);\n';
    const replace = '    add(item) {\n        if (item) this.items.push(item);\n';
    const result = applySearchReplacePairs(cart, [{ search, replace }]);
    assert.ok(result.ok);
    assert.equal(result.content, cart.replace('\t\tthis.items.push(item);', '\t\tif (item) this.items.push(item);'));
    assert.deepEqual(result.strategies, ['indentation']);
  });

  it('matches a uniformly under-indented search and shifts the replacement by the same amount', () => {
    const pricing = fixture('pricing.js');
    const search = 'for (const item of items) {\n  sum += item.price;\n}\n';
    const replace = 'for (const item of items) {\n  if (item.free) continue;\n  sum += item.price;\n}\n';
    const result = applySearchReplacePairs(pricing, [{ search, replace }]);
    assert.ok(result.ok);
    assert.ok(result.content.includes('  for (const item of items) {\n    if (item.free) continue;\n    sum += item.price;\n  }\n'));
    assert.deepEqual(result.strategies, ['indentation']);
  });

  it('rejects an ambiguous search, lists the matching lines and changes nothing', () => {
    const content = 'x = 1\ny = 2\nx = 1\n';
    const result = applySearchReplacePairs(content, [{ search: 'x = 1', replace: 'x = 3' }]);
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'ambiguous_match');
    assert.match(result.error.message, /lines 1, 3/);
  });

  it('uses a start-line hint to pick one of several equal matches', () => {
    const content = 'x = 1\ny = 2\nx = 1\n';
    assert.equal(applied(content, 'x = 1', 'x = 3', { startLineHint: 3 }), 'x = 1\ny = 2\nx = 3\n');
  });

  // This pinned the old behaviour behind a wrong apply (Roo rejects a match far outside its :start_line: window).
  it('refuses a unique match far from a wrong start-line hint, and accepts one nearby', () => {
    const far = applySearchReplacePairs('a\nb\nc\n', [{ search: 'c\n', replace: 'C\n' }], { startLineHint: 500 });
    assert.ok(!far.ok);
    assert.equal(far.error.code, 'no_match');
    assert.equal(far.error.closest?.startLine, 3);
    assert.equal(applied('a\nb\nc\n', 'c\n', 'C\n', { startLineHint: 1 }), 'a\nb\nC\n');
  });

  it('rejects a missing search with the closest candidate and its lines', () => {
    const pricing = fixture('pricing.js');
    const result = applySearchReplacePairs(pricing, [{ search: 'export function average(list) {\n  return total(list) / list.length;\n}', replace: 'x' }], { path: 'pricing.js' });
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'no_match');
    assert.equal(result.error.closest?.startLine, 9);
    assert.equal(result.error.closest?.endLine, 11);
    assert.ok((result.error.closest?.similarity ?? 0) > 0.7);
    assert.match(result.error.closest?.text ?? '', /export function average\(items\)/);
    assert.match(result.error.message, /lines 9-11/);
    assert.equal(result.error.path, 'pricing.js');
  });

  it('removes exactly the matched bytes when the replacement is empty: a whole line only with its line ending', () => {
    assert.equal(applied('a\nb\nc\n', 'b\n', ''), 'a\nc\n');
    // This pinned a defect: the line ending after the match was removed too, a byte outside the match.
    assert.equal(applied('a\nb\nc\n', 'b', ''), 'a\n\nc\n');
    // Deleting the last line of a file without a final newline leaves the previous line's ending (was 'a\nb').
    assert.equal(applied('a\nb\nc', 'c', ''), 'a\nb\n');
  });

  it('applies several pairs together, or none when one fails', () => {
    const content = 'one\ntwo\nthree\n';
    const both = applySearchReplacePairs(content, [{ search: 'one', replace: '1' }, { search: 'three', replace: '3' }]);
    assert.ok(both.ok);
    assert.equal(both.content, '1\ntwo\n3\n');
    const failing = applySearchReplacePairs(content, [{ search: 'one', replace: '1' }, { search: 'four', replace: '4' }]);
    assert.ok(!failing.ok);
    assert.equal(failing.error.code, 'no_match');
    assert.equal(failing.error.editIndex, 1);
  });

  it('reports identical search and replace as no_op', () => {
    const result = applySearchReplacePairs('a\n', [{ search: 'a', replace: 'a' }]);
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'no_op');
  });

  it('creates content from an empty search on an empty file, and rejects it on a non-empty file', () => {
    assert.equal(applied('', '', 'new\n'), 'new\n');
    const result = applySearchReplacePairs('existing\n', [{ search: '', replace: 'new\n' }]);
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'malformed_edit');
  });

  it('strips "N | " line-number prefixes copied from a numbered listing', () => {
    const content = 'function test() {\n    return true;\n}\n';
    assert.equal(applied(content, '1 | function test() {\n2 |     return true;\n', '1 | function test() {\n2 |     return false;\n'), 'function test() {\n    return false;\n}\n');
  });

  it('replaces every occurrence with replaceAll', () => {
    const result = applySearchReplacePairs('a-a-a', [{ search: 'a', replace: '$&b', replaceAll: true }]);
    assert.ok(result.ok);
    assert.equal(result.content, '$&b-$&b-$&b');
  });

  it('keeps unchanged lines byte-for-byte when only trailing whitespace differed', () => {
    const content = 'if (x) {   \n  run();\n}\n';
    assert.equal(applied(content, 'if (x) {\n  run();\n', 'if (x) {\n  run(x);\n'), 'if (x) {   \n  run(x);\n}\n');
  });

  it('replaces every match with replace_all when the matches differ from the search only in indentation', () => {
    const result = applySearchReplacePairs('  match1\n  match2\n  match1\n  match2\n', [{ search: 'match1\nmatch2', replace: 'r1\nr2\nr3', replaceAll: true }]);
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.equal(result.content, '  r1\n  r2\n  r3\n  r1\n  r2\n  r3\n');
    assert.deepEqual(result.strategies, ['indentation']);
  });

  it('still refuses several matches that only agree once whitespace inside lines is ignored, even with replace_all', () => {
    const result = applySearchReplacePairs('x  =  compute( 1 )\ny\nx = compute(1)  \t\n', [{ search: 'x = compute( 1)', replace: 'x = 2', replaceAll: true }]);
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'ambiguous_match');
  });

  it('drops a bare "| " gutter copied from a listing when every search line has it and the file matches without it', () => {
    const content = 'function test() {\n    return true;\n}\n';
    assert.equal(applied(content, '| function test() {\n|     return true;\n| }\n', 'function test() {\n    return false;\n}\n'), 'function test() {\n    return false;\n}\n');
    assert.equal(applied(content, '| function test() {\n|     return true;\n', '| function test() {\n|     return 1;\n'), 'function test() {\n    return 1;\n}\n');
  });

  it('keeps "|" that is content: one line, some lines only, or a Markdown table that does not match without it', () => {
    const table = '| a | b |\n| - | - |\n| 1 | 2 |\n';
    const miss = applySearchReplacePairs(table, [{ search: '| a | c |\n| - | - |\n', replace: 'x\n' }]);
    assert.ok(!miss.ok);
    assert.equal(miss.error.code, 'no_match');
    const mixed = applySearchReplacePairs('a\nb\n', [{ search: '| a\nb\n', replace: 'x\n' }]);
    assert.ok(!mixed.ok);
    const single = applySearchReplacePairs('a\n', [{ search: '| a', replace: 'x' }]);
    assert.ok(!single.ok);
  });
});

