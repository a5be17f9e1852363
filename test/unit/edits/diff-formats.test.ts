import { strict as assert } from 'node:assert';
import { applyEditText, detectEditFormat } from '../../../src/tools/edits';
import { changeFor, fixture, lookupOf } from './fixtures';

describe('applyEditText: unified diffs', () => {
  it('locates a hunk by its context when the @@ line numbers are wrong', () => {
    const pricing = fixture('pricing.js');
    const outcome = applyEditText(fixture('wrong-line-numbers.diff'), lookupOf({ 'pricing.js': pricing }), {});
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
    assert.equal(
      changeFor(outcome.changes, 'pricing.js').after,
      pricing.replace('  return total(items) / items.length;', '  return items.length === 0 ? 0 : total(items) / items.length;'),
    );
  });

  it('applies a multi-file git diff with a modification, a deletion and a new file', () => {
    const diff = fixture('multi-file.diff');
    assert.equal(detectEditFormat(diff), 'unified-diff');
    const files = { 'src/config.ts': fixture('config.ts.txt'), 'src/legacy.ts': 'export const legacy = true;\nexport default legacy;\n' };
    const outcome = applyEditText(diff, lookupOf(files), {});
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
    assert.equal(outcome.changes.length, 3);
    assert.equal(changeFor(outcome.changes, 'src/config.ts').after, '// settings\nexport const config = {\n  retries: 5,\n  timeoutMs: 1000,\n};\n');
    assert.equal(changeFor(outcome.changes, 'src/legacy.ts').after, null);
    const created = changeFor(outcome.changes, 'src/feature.ts');
    assert.equal(created.before, null);
    assert.equal(created.after, "export function feature(): string {\n  return 'on';\n}\n");
  });

  it('rejects the whole diff when one hunk does not match, naming the closest lines', () => {
    const diff = '--- a/x.txt\n+++ b/x.txt\n@@ -1,2 +1,2 @@\n alpha\n-beta gamma\n+beta\n';
    const outcome = applyEditText(diff, lookupOf({ 'x.txt': 'alpha\nbeta delta\n' }), {});
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.code, 'no_match');
    assert.equal(outcome.error.path, 'x.txt');
    assert.equal(outcome.error.closest?.startLine, 1);
    assert.match(outcome.error.message, /Hunk #1/);
  });

  it('refuses to create a file that already exists', () => {
    const diff = '--- /dev/null\n+++ b/x.txt\n@@ -0,0 +1 @@\n+hello\n';
    const outcome = applyEditText(diff, lookupOf({ 'x.txt': 'present\n' }), {});
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.code, 'file_exists');
  });

  it('keeps CRLF line endings of the patched file', () => {
    const diff = '--- a/w.txt\n+++ b/w.txt\n@@ -1,2 +1,3 @@\n one\n+one and a half\n two\n';
    const outcome = applyEditText(diff, lookupOf({ 'w.txt': 'one\r\ntwo\r\n' }), {});
    assert.ok(outcome.ok);
    assert.equal(changeFor(outcome.changes, 'w.txt').after, 'one\r\none and a half\r\ntwo\r\n');
  });
});

describe('applyEditText: *** Begin Patch', () => {
  it('adds, deletes, and updates with a move, using @@ context lines to place each chunk', () => {
    const patch = fixture('begin-patch.txt');
    assert.equal(detectEditFormat(patch), 'apply-patch');
    const files = { 'src/app.ts': fixture('app.ts.txt'), 'src/obsolete.ts': 'old\n' };
    const outcome = applyEditText(patch, lookupOf(files), {});
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
    assert.deepEqual(changeFor(outcome.changes, 'src/new-module.ts'), { path: 'src/new-module.ts', before: null, after: 'export const created = true;\n' });
    assert.equal(changeFor(outcome.changes, 'src/obsolete.ts').after, null);
    const moved = changeFor(outcome.changes, 'src/app.ts');
    assert.equal(moved.movedTo, 'src/main.ts');
    assert.equal(moved.after, 'function start() {\n  console.log("started");\n}\n\nfunction stop() {\n  console.log("stopped");\n}\n');
  });

  it('matches text written with smart quotes and dashes against plain punctuation', () => {
    const patch = '*** Begin Patch\n*** Update File: q.py\n@@\n-print(\u201Chi \u2014 there\u201D)\n+print("hello")\n*** End Patch';
    const outcome = applyEditText(patch, lookupOf({ 'q.py': 'x = 1\nprint("hi - there")\n' }), {});
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
    assert.equal(changeFor(outcome.changes, 'q.py').after, 'x = 1\nprint("hello")\n');
  });

  it('appends at the end of the file for an insert-only chunk marked *** End of File', () => {
    const patch = '*** Begin Patch\n*** Update File: e.txt\n@@\n+last\n*** End of File\n*** End Patch';
    const outcome = applyEditText(patch, lookupOf({ 'e.txt': 'first\n' }), {});
    assert.ok(outcome.ok);
    assert.equal(changeFor(outcome.changes, 'e.txt').after, 'first\nlast\n');
  });

  it('rejects the whole patch when a later operation fails', () => {
    const patch = '*** Begin Patch\n*** Add File: fresh.txt\n+x\n*** Update File: missing.txt\n@@\n-a\n+b\n*** End Patch';
    const outcome = applyEditText(patch, lookupOf({}), {});
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.code, 'file_not_found');
    assert.equal(outcome.error.path, 'missing.txt');
  });

  it('rejects a patch without *** End Patch as malformed', () => {
    const outcome = applyEditText('*** Begin Patch\n*** Add File: a.txt\n+x\n', lookupOf({}), { format: 'apply-patch' });
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.code, 'malformed_edit');
  });
});

describe('applyEditText: edit-json and format detection', () => {
  it('applies the edit_file tool arguments', () => {
    const text = JSON.stringify({ path: 'n.txt', edits: [{ search: 'a', replace: 'b' }, { search: 'c\n', replace: '' }] });
    assert.equal(detectEditFormat(text), 'edit-json');
    const outcome = applyEditText(text, lookupOf({ 'n.txt': 'a\nc\nd\n' }), {});
    assert.ok(outcome.ok);
    assert.equal(changeFor(outcome.changes, 'n.txt').after, 'b\nd\n');
  });

  it('rejects edit-json without a path or with a malformed edit', () => {
    const noPath = applyEditText(JSON.stringify({ edits: [{ search: 'a', replace: 'b' }] }), lookupOf({}), { format: 'edit-json' });
    assert.ok(!noPath.ok);
    assert.equal(noPath.error.code, 'missing_path');
    const bad = applyEditText('{"path": "n.txt", "edits": [{"search": 1}]}', lookupOf({ 'n.txt': 'a' }), { format: 'edit-json' });
    assert.ok(!bad.ok);
    assert.equal(bad.error.code, 'malformed_edit');
  });

  it('detects each format and returns null for plain prose', () => {
    assert.equal(detectEditFormat('<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE'), 'search-replace');
    assert.equal(detectEditFormat('------- SEARCH\na\n=======\nb\n+++++++ REPLACE'), 'search-replace');
    assert.equal(detectEditFormat('@@ -1 +1 @@\n-a\n+b\n'), 'unified-diff');
    assert.equal(detectEditFormat('Please change the greeting.'), null);
    const outcome = applyEditText('Please change the greeting.', lookupOf({}), {});
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.code, 'malformed_edit');
  });
});
