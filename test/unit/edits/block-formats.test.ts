import { strict as assert } from 'node:assert';
import { applyEditText, detectEditFormat } from '../../../src/tools/edits';
import { changeFor, fixture, lookupOf } from './fixtures';

describe('applyEditText: SEARCH/REPLACE block formats', () => {
  const files = { 'notes.txt': 'line1\nline2\nline3\n' };

  it('applies a conflict-marker block to the named target file', () => {
    const edit = '<<<<<<< SEARCH\nline2\n=======\nsecond\n>>>>>>> REPLACE\n';
    const outcome = applyEditText(edit, lookupOf(files), { file: 'notes.txt' });
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.changes, [{ path: 'notes.txt', before: 'line1\nline2\nline3\n', after: 'line1\nsecond\nline3\n' }]);
  });

  it("applies Cline's ------- SEARCH / +++++++ REPLACE blocks, several in one edit", () => {
    const edit = '------- SEARCH\nline3\n=======\nthird\n+++++++ REPLACE\n------- SEARCH\nline1\n=======\n+++++++ REPLACE';
    const outcome = applyEditText(edit, lookupOf(files), { file: 'notes.txt' });
    assert.ok(outcome.ok);
    assert.equal(changeFor(outcome.changes, 'notes.txt').after, 'line2\nthird\n');
  });

  it("uses Roo's :start_line: header to choose between equal matches", () => {
    const content = 'x = 1\ny = 2\nx = 1\n';
    const edit = '<<<<<<< SEARCH\n:start_line:3\n-------\nx = 1\n=======\nx = 9\n>>>>>>> REPLACE';
    const outcome = applyEditText(edit, lookupOf({ 'a.py': content }), { file: 'a.py' });
    assert.ok(outcome.ok);
    assert.equal(changeFor(outcome.changes, 'a.py').after, 'x = 1\ny = 2\nx = 9\n');
  });

  it('applies an aider reply: filenames before fenced blocks, carried over, and a new file from an empty search', () => {
    const outcome = applyEditText(fixture('aider-reply.md'), lookupOf({ 'src/greet.py': fixture('greet.py') }), {});
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
    assert.equal(detectEditFormat(fixture('aider-reply.md')), 'editblock');
    assert.equal(changeFor(outcome.changes, 'src/greet.py').after, 'def greet(name):\n    return f"Hello, {name}!"\n\n\nprint(greet("Patchpilot"))\n');
    const notes = changeFor(outcome.changes, 'docs/NOTES.md');
    assert.equal(notes.before, null);
    assert.equal(notes.after, '# Notes\nGreeting now uses an f-string.\n');
  });

  it('lets options.file win over the filename written in the edit', () => {
    const edit = 'other.txt\n<<<<<<< SEARCH\nline1\n=======\nfirst\n>>>>>>> REPLACE';
    const outcome = applyEditText(edit, lookupOf(files), { file: 'notes.txt' });
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.changes.map((c) => c.path), ['notes.txt']);
  });

  it('rejects markers out of order as malformed', () => {
    for (const edit of ['------- SEARCH\nline2\n+++++++ REPLACE', '------- SEARCH\nline2\n======= \nx\n+++++++ REPLACE', '=======\nx\n>>>>>>> REPLACE']) {
      const outcome = applyEditText(edit, lookupOf(files), { file: 'notes.txt', format: 'search-replace' });
      assert.ok(!outcome.ok, edit);
      assert.equal(outcome.error.code, 'malformed_edit');
    }
  });

  it('rejects a reply that ends before its final REPLACE marker, since it may have been cut off', () => {
    const outcome = applyEditText('------- SEARCH\nline2\n=======\nsecond', lookupOf(files), { file: 'notes.txt' });
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.code, 'malformed_edit');
    assert.match(outcome.error.message, /cut off/);
  });

  it('accepts trailing spaces after SEARCH and REPLACE markers', () => {
    const outcome = applyEditText('<<<<<<< SEARCH  \nline2\n=======\nsecond\n>>>>>>> REPLACE \n', lookupOf(files), { file: 'notes.txt' });
    assert.ok(outcome.ok);
    assert.equal(changeFor(outcome.changes, 'notes.txt').after, 'line1\nsecond\nline3\n');
  });

  it('reads escaped markers as content', () => {
    const content = 'a\n=======\nb\n';
    const edit = '<<<<<<< SEARCH\n\\=======\n=======\n-------\n>>>>>>> REPLACE';
    const outcome = applyEditText(edit, lookupOf({ 'c.txt': content }), { file: 'c.txt' });
    assert.ok(outcome.ok);
    assert.equal(changeFor(outcome.changes, 'c.txt').after, 'a\n-------\nb\n');
  });

  it('rejects a block for a missing file, and a block without any file name', () => {
    const edit = '<<<<<<< SEARCH\nline2\n=======\nx\n>>>>>>> REPLACE';
    const missing = applyEditText(edit, lookupOf(files), { file: 'absent.txt' });
    assert.ok(!missing.ok);
    assert.equal(missing.error.code, 'file_not_found');
    const unnamed = applyEditText(edit, lookupOf(files), {});
    assert.ok(!unnamed.ok);
    assert.equal(unnamed.error.code, 'missing_path');
  });

  it('makes a failed block in one file reject the edits to every file', () => {
    const edit = 'a.txt\n<<<<<<< SEARCH\nold\n=======\nnew\n>>>>>>> REPLACE\nb.txt\n<<<<<<< SEARCH\nmissing\n=======\nnew\n>>>>>>> REPLACE';
    const outcome = applyEditText(edit, lookupOf({ 'a.txt': 'old\n', 'b.txt': 'other\n' }), {});
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.code, 'no_match');
    assert.equal(outcome.error.path, 'b.txt');
    assert.equal(outcome.error.editIndex, 1);
  });
});
