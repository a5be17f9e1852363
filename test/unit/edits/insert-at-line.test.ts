// An empty SEARCH with an explicit start line inserts before that line; without one it is refused.
import { strict as assert } from 'node:assert';
import { applyEditText } from '../../../src/tools/edits';
import { changeFor, lookupOf } from './fixtures';

const FILE = 'app.ts';
const original = 'function test() {\n    return true;\n}';

function insertBlock(replace: string, startLine?: number): string {
  const header = startLine === undefined ? '' : `:start_line:${startLine}\n-------\n`;
  return `<<<<<<< SEARCH\n${header}=======\n${replace}>>>>>>> REPLACE\n`;
}

function after(edit: string, options: { startLineHint?: number } = {}): string {
  const outcome = applyEditText(edit, lookupOf({ [FILE]: original }), { file: FILE, ...options });
  if (!outcome.ok) assert.fail(`${outcome.error.code}: ${outcome.error.message}`);
  return changeFor(outcome.changes, FILE).after ?? '';
}

describe('empty search with a start line: insertion before that line', () => {
  it('inserts before the named line, at the top, and after the last line keeping the missing final newline', () => {
    assert.equal(after(insertBlock('    log();\n', 2)), 'function test() {\n    log();\n    return true;\n}');
    assert.equal(after(insertBlock('// header\n\n', 1)), '// header\n\nfunction test() {\n    return true;\n}');
    assert.equal(after(insertBlock('\n// end\n', 4)), 'function test() {\n    return true;\n}\n\n// end');
  });

  it('takes the start line from the caller when the block has none', () => {
    assert.equal(after(insertBlock('    log();\n'), { startLineHint: 3 }), 'function test() {\n    return true;\n    log();\n}');
  });

  it('keeps CRLF line endings', () => {
    const outcome = applyEditText(insertBlock('b\n', 2), lookupOf({ [FILE]: 'a\r\nc\r\n' }), { file: FILE });
    assert.ok(outcome.ok);
    assert.equal(changeFor(outcome.changes, FILE).after, 'a\r\nb\r\nc\r\n');
  });

  it('shifts the start line of a later block by the lines inserted before it', () => {
    const edit = insertBlock('// one\n', 1) + '<<<<<<< SEARCH\n:start_line:2\n-------\n    return true;\n=======\n    return false;\n>>>>>>> REPLACE\n';
    assert.equal(after(edit), '// one\nfunction test() {\n    return false;\n}');
  });

  it('refuses an empty search without a start line, or with one outside the file, and changes nothing', () => {
    for (const edit of [insertBlock('x\n'), insertBlock('x\n', 9), insertBlock('x\n', 0)]) {
      const outcome = applyEditText(edit, lookupOf({ [FILE]: original }), { file: FILE });
      assert.ok(!outcome.ok);
      assert.equal(outcome.error.code, 'malformed_edit');
      assert.match(outcome.error.message, /nothing was changed/);
    }
    const outside = applyEditText(insertBlock('x\n', 9), lookupOf({ [FILE]: original }), { file: FILE });
    assert.ok(!outside.ok);
    assert.match(outside.error.message, /start line 9 is outside the file \(1-4\)/);
  });
});
