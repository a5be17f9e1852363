// An empty replacement removes exactly the matched bytes (issue "Honest verification", item 7.1); only searches
// that are whole lines by their format (blocks, diffs) remove whole lines.
import { strict as assert } from 'node:assert';
import { applyEditText, applySearchReplacePairs } from '../../../src/tools/edits';
import { changeFor, lookupOf } from './fixtures';

function removed(content: string, search: string, replaceAll = false): string {
  const result = applySearchReplacePairs(content, [{ search, replace: '', replaceAll }]);
  if (!result.ok) assert.fail(`expected the edit to apply, got ${result.error.code}: ${result.error.message}`);
  return result.content;
}

describe('empty replacement: exactly the matched bytes go', () => {
  it('keeps the line ending after a line searched without it (str_replace_editor style)', () => {
    const file = 'import os\nimport sys\n\nprint(os.getcwd())\n';
    assert.equal(removed(file, 'import sys'), 'import os\n\n\nprint(os.getcwd())\n');
    assert.equal(removed(file, 'import sys\n'), 'import os\n\nprint(os.getcwd())\n');
  });

  it('keeps CRLF line endings and the BOM around the removed bytes', () => {
    const file = '\uFEFFone\r\ntwo\r\nthree\r\n';
    assert.equal(removed(file, 'two'), '\uFEFFone\r\n\r\nthree\r\n');
    assert.equal(removed(file, 'two\r\n'), '\uFEFFone\r\nthree\r\n');
    // An LF search in a CRLF file matches as CRLF and removes the CRLF it matched.
    assert.equal(removed(file, 'two\n'), '\uFEFFone\r\nthree\r\n');
  });

  it('removes a fragment inside a line and leaves the rest of the line', () => {
    assert.equal(removed('call(a, b, c);\n', ', b'), 'call(a, c);\n');
    assert.equal(removed('x = 1  # remove me\n', '  # remove me'), 'x = 1\n');
  });

  it('removes every occurrence with replace_all and nothing around them', () => {
    assert.equal(removed('TODO a\nkeep\nTODO b\n', 'TODO ', true), 'a\nkeep\nb\n');
    assert.equal(removed('log();\nwork();\nlog();\n', 'log();', true), '\nwork();\n\n');
  });

  it('keeps the final newline state: the last line without a newline simply loses its text', () => {
    assert.equal(removed('a\nb', 'b'), 'a\n');
    assert.equal(removed('a\nb\n', 'b'), 'a\n\n');
  });

  it('behaves the same when the search only matches once indentation is ignored', () => {
    // The file indents with a tab, the search with spaces: a line-level match of the line's text.
    assert.equal(removed('if (x) {\n\tfoo();\n\tbar();\n}\n', '    foo();'), 'if (x) {\n\n\tbar();\n}\n');
    assert.equal(removed('if (x) {\n\tfoo();\n\tbar();\n}\n', '    foo();\n'), 'if (x) {\n\tbar();\n}\n');
  });

  it('still removes whole lines in SEARCH/REPLACE blocks, whose searches are whole lines', () => {
    const block = '<<<<<<< SEARCH\n    // Comment to remove\n=======\n>>>>>>> REPLACE\n';
    const outcome = applyEditText(block, lookupOf({ 'a.ts': 'f() {\n    // Comment to remove\n    g();\n}\n' }), { file: 'a.ts' });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
    assert.equal(changeFor(outcome.changes, 'a.ts').after, 'f() {\n    g();\n}\n');
  });

  it('writes nothing when an empty replacement has no match', () => {
    const result = applySearchReplacePairs('a\nb\n', [{ search: 'a', replace: '' }, { search: 'zzz', replace: '' }]);
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'no_match');
    assert.equal(result.error.editIndex, 1);
    assert.equal('content' in result, false);
  });
});
