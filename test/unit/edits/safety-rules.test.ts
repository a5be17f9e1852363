import { strict as assert } from 'node:assert';
import { applyEditText, applySearchReplacePairs } from '../../../src/tools/edits';
import { shiftedHint } from '../../../src/tools/edits/hints';
import { changeFor, fixture, lookupOf } from './fixtures';

const FIVE = 'five.ts';

function block(search: string, replace: string, startLine?: number): string {
  const header = startLine === undefined ? '' : `:start_line:${startLine}\n-------\n`;
  return `<<<<<<< SEARCH\n${header}${search}=======\n${replace}>>>>>>> REPLACE\n`;
}

describe('edit safety: start-line hints far from the only match', () => {
  const five = fixture('five-functions.ts.txt');
  const fiveSearch = 'function five() {\n    return 5;\n}\n';
  const fiveReplace = 'function five() {\n    return "five";\n}\n';

  it('refuses a unique match more than 10 lines from its :start_line:, naming where the text is', () => {
    const outcome = applyEditText(block(fiveSearch, fiveReplace, 5), lookupOf({ [FIVE]: five }), { file: FIVE });
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.code, 'no_match');
    assert.equal(outcome.error.closest?.startLine, 17);
    assert.equal(outcome.error.closest?.endLine, 19);
    assert.equal(outcome.error.closest?.text, fiveSearch.trimEnd());
    assert.match(outcome.error.message, /within 10 lines of line 5/);
    assert.match(outcome.error.message, /at line 17/);
  });

  it('applies a unique match within 10 lines of its hint', () => {
    const outcome = applyEditText(block(fiveSearch, fiveReplace, 9), lookupOf({ [FIVE]: five }), { file: FIVE });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
    assert.equal(changeFor(outcome.changes, FIVE).after, five.replace('return 5;', 'return "five";'));
  });

  it('reads later hints in the numbering of the file before the edit, past the lines earlier blocks added', () => {
    const outcome = applyEditText(fixture('hint-after-growth.edit.txt'), lookupOf({ [FIVE]: five }), { file: FIVE });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
    const after = changeFor(outcome.changes, FIVE).after ?? '';
    assert.match(after, /const step14 = 14;\n {4}return 1;/);
    assert.match(after, /function five\(\) {\n {4}return "five";\n}\n$/);
    assert.equal(shiftedHint(17, [{ lastOldLine: 3, delta: 15 }]), 32);
    assert.equal(shiftedHint(2, [{ lastOldLine: 3, delta: 15 }]), 2);
  });

  it('treats the startLineHint option and "N | " prefixes as the same kind of claim', () => {
    const option = applySearchReplacePairs(five, [{ search: fiveSearch, replace: fiveReplace }], { startLineHint: 1 });
    assert.ok(!option.ok);
    assert.equal(option.error.closest?.startLine, 17);
    const numbered = '40 | function five() {\n41 |     return 5;\n';
    const prefixed = applySearchReplacePairs(five, [{ search: numbered, replace: '40 | function five() {\n41 |     return "five";\n' }]);
    assert.ok(!prefixed.ok);
    assert.equal(prefixed.error.code, 'no_match');
    assert.equal(prefixed.error.closest?.startLine, 17);
  });

  it('still places unified diff hunks by context: @@ numbers are approximate by the format\'s convention', () => {
    const outcome = applyEditText(fixture('far-line-numbers.diff'), lookupOf({ [FIVE]: five }), {});
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
    assert.equal(changeFor(outcome.changes, FIVE).after, five.replace('return 2;', 'return "two";'));
  });
});

describe('edit safety: one-line searches that match only with other indentation', () => {
  const file = { 'a.py': 'def f():\n    line2\n    other\n' };

  it('refuses a one-line block whose replacement would have to be re-indented', () => {
    const outcome = applyEditText(block('line2\n', 'replaced\n'), lookupOf(file), { file: 'a.py' });
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.code, 'no_match');
    assert.equal(outcome.error.closest?.startLine, 2);
    assert.equal(outcome.error.closest?.text, '    line2');
    assert.match(outcome.error.message, /indentation/);
  });

  it('applies it when the replacement already has the file\'s indentation, or deletes the line', () => {
    const indented = applyEditText(block('line2\n', '    replaced\n'), lookupOf(file), { file: 'a.py' });
    assert.ok(indented.ok, indented.ok ? '' : indented.error.message);
    assert.equal(changeFor(indented.changes, 'a.py').after, 'def f():\n    replaced\n    other\n');
    const deleted = applyEditText(block('line2\n', ''), lookupOf(file), { file: 'a.py' });
    assert.ok(deleted.ok, deleted.ok ? '' : deleted.error.message);
    assert.equal(changeFor(deleted.changes, 'a.py').after, 'def f():\n    other\n');
  });

  it('still re-indents a search of several lines shifted uniformly', () => {
    const outcome = applyEditText(block('line2\nother\n', 'line2\nchanged\n'), lookupOf(file), { file: 'a.py' });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
    assert.equal(changeFor(outcome.changes, 'a.py').after, 'def f():\n    line2\n    changed\n');
  });

  it('refuses the same one-line guess in a *** Begin Patch chunk', () => {
    const patch = '*** Begin Patch\n*** Update File: a.py\n@@\n-line2\n+replaced\n*** End Patch';
    const outcome = applyEditText(patch, lookupOf(file), {});
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.code, 'no_match');
    assert.equal(outcome.error.closest?.startLine, 2);
  });

  it('keeps re-indenting one-line str-replace fragments, which leave the indentation outside them', () => {
    const result = applySearchReplacePairs('function foo() {\n\tconst x = 1;\n}\n', [{ search: '  const x = 1;', replace: '  const x = 2;' }]);
    assert.ok(result.ok);
    assert.equal(result.content, 'function foo() {\n\tconst x = 2;\n}\n');
  });
});

describe('edit safety: deleting the last line of a file without a final newline', () => {
  it('leaves the line before it as it was, line ending included, in every format', () => {
    const files = { 'n.txt': 'line1\nline2\nline3' };
    const byBlock = applyEditText(block('line3\n', ''), lookupOf(files), { file: 'n.txt' });
    assert.ok(byBlock.ok);
    assert.equal(changeFor(byBlock.changes, 'n.txt').after, 'line1\nline2\n');
    const bySubstring = applySearchReplacePairs(files['n.txt'], [{ search: 'line3', replace: '' }]);
    assert.ok(bySubstring.ok);
    assert.equal(bySubstring.content, 'line1\nline2\n');
    const diff = '--- a/n.txt\n+++ b/n.txt\n@@ -2,2 +2,1 @@\n line2\n-line3\n\\ No newline at end of file\n';
    const byDiff = applyEditText(diff, lookupOf(files), {});
    assert.ok(byDiff.ok, byDiff.ok ? '' : byDiff.error.message);
    assert.equal(changeFor(byDiff.changes, 'n.txt').after, 'line1\nline2\n');
  });

  it('keeps the missing final newline when the last line is replaced rather than deleted', () => {
    const outcome = applyEditText(block('line3\n', 'third\nfourth\n'), lookupOf({ 'n.txt': 'line1\nline3' }), { file: 'n.txt' });
    assert.ok(outcome.ok);
    assert.equal(changeFor(outcome.changes, 'n.txt').after, 'line1\nthird\nfourth');
  });
});
