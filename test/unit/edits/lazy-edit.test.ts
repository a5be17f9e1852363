// Lazy edits (issue "Honest verification", item 7.4): `// ... existing code ...` placeholders filled from the file
// when the reading is unique, refused with a teaching error otherwise. Cases in test/fixtures/edits/lazy.
import { strict as assert } from 'node:assert';
import { applyEditText, applyLazyEdit, type EditOutcome } from '../../../src/tools/edits';
import type { Step } from '../../../src/tools/edits/lazy-align';
import { suspiciousInsertion, unbalancedBracket } from '../../../src/tools/edits/lazy-guard';
import { isPlaceholderLine } from '../../../src/tools/edits/lazy-placeholders';
import { keyCounts, type LazyItem } from '../../../src/tools/edits/lazy-structure';
import { changeFor, fixture, lookupOf } from './fixtures';

function lazy(name: string, ext: string, editName = name): ReturnType<typeof applyLazyEdit> {
  return applyLazyEdit(fixture(`lazy/${name}.original.${ext}`), fixture(`lazy/${editName}.edit.${ext}`), `${name}.${ext}`);
}

function applied(result: ReturnType<typeof applyLazyEdit>): string {
  if (!result.ok) assert.fail(`${result.error.code}: ${result.error.message}`);
  return result.content;
}

function refused(result: ReturnType<typeof applyLazyEdit>, code: string): string {
  if (result.ok) assert.fail(`expected a refusal, got:\n${result.content}`);
  assert.equal(result.error.code, code);
  assert.match(result.error.message, /Nothing was changed\.$/);
  return result.error.message;
}

describe('lazy edits: placeholders resolved from the file', () => {
  it('adds a method after the last one (Python, "# ... existing code ..." at the top)', () => {
    assert.equal(applied(lazy('inventory', 'py')), fixture('lazy/inventory.expected.py'));
  });

  it('changes lines on both sides of a placeholder inside a function and keeps the rest of the file', () => {
    assert.equal(applied(lazy('server', 'ts')), fixture('lazy/server.expected.ts'));
  });

  it('reads <!-- ... --> placeholders in HTML', () => {
    assert.equal(applied(lazy('page', 'html')), fixture('lazy/page.expected.html'));
  });

  it('places a snippet without placeholders where its unchanged lines are, keeping the file around it', () => {
    assert.equal(applied(lazy('snippet', 'go')), fixture('lazy/snippet.expected.go'));
  });

  it('applies a change next to a placeholder once the unchanged line before it is shown', () => {
    assert.equal(applied(lazy('changed-line', 'py', 'changed-line-fixed')), fixture('lazy/changed-line-fixed.expected.py'));
  });

  it('appends after a leading placeholder and prepends before a trailing one: an edit with placeholders is the whole file', () => {
    assert.equal(applied(applyLazyEdit('const a = 1;\nconst b = 2;\n', '// ... existing code ...\nconst c = 3;\n')), 'const a = 1;\nconst b = 2;\nconst c = 3;\n');
    assert.equal(applied(applyLazyEdit('import a from "a";\n\nrun(a);\n', 'import z from "z";\n// ... existing code ...\n')), 'import z from "z";\nimport a from "a";\n\nrun(a);\n');
  });

  it('renames a function whose body it shows, and adds a method between two others', () => {
    const renamed = applyLazyEdit('def old_name(a):\n    return a\n\n\ndef other():\n    pass\n', 'def new_name(a):\n    return a\n\n\n# ... existing code ...\n');
    assert.equal(applied(renamed), 'def new_name(a):\n    return a\n\n\ndef other():\n    pass\n');
    const cls = 'class A:\n    def a(self):\n        return 1\n\n    def b(self):\n        return 2\n';
    const added = applyLazyEdit(cls, 'class A:\n    def a(self):\n        return 1\n\n    def new(self):\n        return 4\n\n    # ... existing code ...\n');
    assert.equal(applied(added), 'class A:\n    def a(self):\n        return 1\n\n    def new(self):\n        return 4\n\n    def b(self):\n        return 2\n');
  });

  it('keeps CRLF, the BOM and the missing final newline', () => {
    const original = '\uFEFFa = 1\r\nb = 2\r\nc = 3\r\nd = 4';
    const result = applied(applyLazyEdit(original, '# ... existing code ...\nb = 2\nc = 30\nd = 4\n'));
    assert.equal(result, '\uFEFFa = 1\r\nb = 2\r\nc = 30\r\nd = 4');
  });

  it('is reachable through applyEditText with the lazy-edit format and a target file', () => {
    const files = { 'inventory.py': fixture('lazy/inventory.original.py') };
    const outcome: EditOutcome = applyEditText(fixture('lazy/inventory.edit.py'), lookupOf(files), { format: 'lazy-edit', file: 'inventory.py' });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
    assert.deepEqual(outcome.strategies, ['lazy']);
    assert.equal(changeFor(outcome.changes, 'inventory.py').after, fixture('lazy/inventory.expected.py'));
    const noFile = applyEditText('// ... existing code ...\nx\n', lookupOf(files), { format: 'lazy-edit' });
    assert.ok(!noFile.ok);
    assert.equal(noFile.error.code, 'missing_path');
    const missing = applyEditText('// ... existing code ...\nx\n', lookupOf(files), { format: 'lazy-edit', file: 'gone.py' });
    assert.ok(!missing.ok);
    assert.equal(missing.error.code, 'file_not_found');
  });
});

describe('lazy edits: refused when the reading is not unique', () => {
  it('refuses new lines between two placeholders that could go after any method, and says how to pin them', () => {
    const message = refused(lazy('two-places', 'js'), 'ambiguous_match');
    assert.match(message, /The placeholder at edit line 2 could stand for file lines 2-\d+ or for file lines 2-\d+/);
    assert.match(message, /new lines from edit line 4 \("peek\(\) \{"\) are not in the file, and nothing pins where they go/);
    assert.match(message, /Copy the unchanged file line right before \(or right after\) the new lines/);
  });

  it('refuses a new line right after a placeholder that looks like a change to the line the placeholder keeps', () => {
    const message = refused(lazy('changed-line', 'py'), 'ambiguous_match');
    assert.match(message, /^Edit line 3 \("mean = total \/ count if count else 0\.0"\) is new and sits right next to a placeholder that keeps file line 4 \("mean = total \/ count"\)/);
    assert.match(message, /copy the unchanged line before it into the edit, then the new version/);
    // The same before a placeholder: changed lines the next placeholder would keep as well.
    const html = refused(lazy('page', 'html', 'page-unpinned'), 'ambiguous_match');
    assert.match(html, /Edit line \d \("<(h1|p)[^"]*"\) is new and sits right next to a placeholder that keeps file line (9|10)/);
    const short = refused(applyLazyEdit('a = 1\nb = 2\nc = 3\nd = 4\n', '# ... existing code ...\nc = 30\nd = 4\n'), 'ambiguous_match');
    assert.match(short, /keeps file line 3 \("c = 3"\)/);
  });

  it('refuses a new block that would take over a line of an old block the edit keeps', () => {
    const original = 'import os\nimport sys\n\ndef main():\n    print(os.getcwd())\n';
    const message = refused(applyLazyEdit(original, '# ... existing code ...\ndef helper():\n    print(os.getcwd())\n\n# ... existing code ...\n'), 'ambiguous_match');
    assert.match(message, /^Edit line 3 \("print\(os\.getcwd\(\)\)"\) belongs to the new block opened at edit line 2 \("def helper\(\):"\), but it is the same as file line 5, whose own block \(file line 4, "def main\(\):"\) the edit keeps/);
  });

  it('refuses a moved line: whichever copy stands for the original, the other would appear twice', () => {
    const message = refused(applyLazyEdit('x = 1\ny = 2\nz = 3\n', '# ... existing code ...\nz = 3\nx = 1\n'), 'ambiguous_match');
    assert.match(message, /^Edit line 3 \("x = 1"\) is new, but it repeats file line 1 \("x = 1"\), a line the file has once and the edit keeps: it would appear twice/);
  });

  it('flags a new line next to a placeholder that repeats a line the file has once and the placeholder keeps', () => {
    const items: LazyItem[] = [{ kind: 'hole', editLine: 1 }, { kind: 'line', text: 'import sys', editLine: 2 }];
    const original = ['import os', 'import sys'];
    const steps: Step[] = [{ op: 'absorb', item: 0, orig: 0 }, { op: 'absorb', item: 0, orig: 1 }, { op: 'insert', item: 1 }];
    assert.deepEqual(suspiciousInsertion(steps, items, original, keyCounts(original), [false, false]), { kind: 'repeated', item: 1, orig: 1 });
    const generic = ['    return this;', '    return this;'];
    assert.equal(suspiciousInsertion(steps, [items[0], { kind: 'line', text: '    return this;', editLine: 2 }], generic, keyCounts(generic), [false, false]), undefined);
  });

  it('refuses to drop lines above or below the edit that no placeholder keeps (a forgotten placeholder)', () => {
    const original = fixture('lazy/inventory.original.py');
    const top = refused(applyLazyEdit(original, '@dataclass\nclass Inventory:\n    # ... existing code ...\n'), 'ambiguous_match');
    assert.match(top, /^Lines 1-\d+ of the file are above the edit's first line, and no placeholder keeps them, so the edit would delete them\. Start the edit with a placeholder/);
    const bottom = refused(applyLazyEdit(original, '# ... existing code ...\n@dataclass\nclass Inventory:\n    items: list[Item] = field(default_factory=list)\n'), 'ambiguous_match');
    assert.match(bottom, /^Lines 13-18 of the file are below the edit's last line/);
  });

  it('refuses a snippet none of whose lines are in the file, and one placed only by lines the file repeats', () => {
    const none = refused(applyLazyEdit(fixture('lazy/snippet.original.go'), 'func Mod(a, b int) int {\n\treturn a % b\n}\n'), 'no_match');
    assert.match(none, /^No line of the snippet .* is in the file, so nothing shows where it goes/);
    const generic = refused(lazy('snippet', 'go', 'signature-changed'), 'ambiguous_match');
    assert.match(generic, /could stand for file lines 1-\d+ or for file lines 1-\d+/);
  });

  it('refuses new lines after a line the file repeats, next to a placeholder: that line pins nothing', () => {
    const original = 'function run() {\n  step();\n  step();\n  step();\n}\n';
    const message = refused(applyLazyEdit(original, 'function run() {\n  // ... existing code ...\n  step();\n  step(); // last\n}\n'), 'ambiguous_match');
    assert.match(message, /^Edit line 4 \("step\(\); \/\/ last"\) is new and sits right next to a placeholder that keeps file line \d \("step\(\);"\)/);
  });

  it('refuses a reading that would unbalance the brackets of a balanced file', () => {
    const original = 'describe("x", () => {\n  it("a", () => {\n    run();\n  });\n});\n';
    const message = refused(applyLazyEdit(original, '  it("a", () => {\n    run();\n    check();\n  });\n});;\n'), 'ambiguous_match');
    assert.match(message, /^Read this way, the lazy edit would leave the file with 1 more "\}" than "\{", though its brackets balance now/);
    assert.equal(unbalancedBracket('f(a[0]) { }', 'f(a[0]) { } }'), '1 more "}" than "{"');
    assert.equal(unbalancedBracket('f(a[0]) { }', 'f(a[0] { }'), '1 more "(" than ")"');
    // A file that does not balance now (a fragment, a string with a brace) gives no evidence either way.
    assert.equal(unbalancedBracket('s = "{"', 's = "{{"'), undefined);
  });

  it('refuses a changed closing line next to a placeholder that keeps the old one', () => {
    const original = 'function one() {\n  return 1;\n}\n\nfunction two() {\n  return 2;\n}\n';
    const message = refused(applyLazyEdit(original, 'function two() {\n  return 2;\n} // two\n'), 'ambiguous_match');
    assert.match(message, /^Edit line 3 \("\} \/\/ two"\) is new and sits right next to a placeholder that keeps file line 7 \("\}"\)/);
  });

  it('reads a closing line as the end of the block its indentation opens, not of a statement above it', () => {
    const original = 'class Example {\n    constructor() {\n        this.value = 0\n    }\n\n    get() {\n        return this.value\n    }\n}\n';
    const edit = 'class Example {\n    constructor() {\n        this.value = 0\n    setup();\n    }\n    // ... existing code ...\n    }\n}\n';
    assert.equal(applied(applyLazyEdit(original, edit)), original.replace('        this.value = 0\n', '        this.value = 0\n    setup();\n'));
  });

  it('lets the lines under a changed opening line stand for the old block\'s lines', () => {
    const original = 'class Add {\n  add(a, b) {\n    this.result = a + b;\n    return this.result;\n  }\n}\n\nclass Sub {\n  sub(a, b) {\n    return this.result;\n  }\n}\n';
    const edit = 'class Add {\n  add(a, b) { // sum\n    this.result = a + b;\n    return this.result;\n  // ... existing code ...\n';
    assert.equal(applied(applyLazyEdit(original, edit)), original.replace('  add(a, b) {\n', '  add(a, b) { // sum\n'));
  });

  it('refuses a placeholder line that the file itself contains', () => {
    const original = 'a()\n// ...\nb()\n';
    const message = refused(applyLazyEdit(original, 'a()\n// ...\nc()\n'), 'ambiguous_match');
    assert.match(message, /^Edit line 2 \("\/\/ \.\.\."\) reads as a placeholder, but the file has that same line/);
  });

  it('reports an edit that changes nothing as a no-op', () => {
    refused(applyLazyEdit('a\nb\nc\n', '// ... existing code ...\nc\n'), 'no_op');
  });
});

describe('lazy edits: which lines are placeholders', () => {
  it('accepts the usual comment forms and refuses code and ordinary comments', () => {
    for (const line of ['// ... existing code ...', '  # ... existing code ...', '/* ... rest of file ... */', '<!-- ... -->', '{/* ... existing code ... */}', '// ... keep existing code', '# rest of the file unchanged', '-- ...']) {
      assert.equal(isPlaceholderLine(line), true, line);
    }
    for (const line of ['...', '// wait...', '// TODO: retry...', 'x = 1  // ...', 'print("...")']) assert.equal(isPlaceholderLine(line), false, line);
  });
});
