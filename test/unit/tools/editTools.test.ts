// The edit tools over the real workspace: binaries refused, missing files named, moves proposed as delete + create.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPatchTool } from '../../../src/tools/applyPatch';
import type { ToolContext } from '../../../src/tools/context';
import type { FileChange } from '../../../src/tools/edits/types';
import { editFileTool } from '../../../src/tools/editFile';
import { writeFileTool } from '../../../src/tools/writeFile';
import { workspaceToolContext } from './toolContext';

describe('edit tools', () => {
  let root: string;
  let proposed: FileChange[][];
  let context: ToolContext;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pp-edit-tools-'));
    proposed = [];
    context = workspaceToolContext(root, { apply: async (changes) => (proposed.push(changes), { ok: true, output: 'applied' }), noteRead: () => undefined, hasSeen: () => true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('edit_file and write_file refuse a binary file and propose nothing', async () => {
    writeFileSync(join(root, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
    const edit = await editFileTool.run({ path: 'logo.png', edits: [{ search: 'PNG', replace: 'JPG' }] }, context);
    const write = await writeFileTool.run({ path: 'logo.png', content: 'text now' }, context);
    assert.equal(!edit.ok && edit.code, 'binary_file');
    assert.equal(!write.ok && write.code, 'binary_file');
    assert.deepEqual(proposed, []);
  });

  it('edit_file on a missing file: file_not_found, unless every search is empty (then it creates the file)', async () => {
    const missing = await editFileTool.run({ path: 'nope.js', edits: [{ search: 'a', replace: 'b' }] }, context);
    assert.equal(!missing.ok && missing.code, 'file_not_found');
    const created = await editFileTool.run({ path: 'new.js', edits: [{ search: '', replace: 'export {};\n' }] }, context);
    assert.ok(created.ok);
    assert.deepEqual(proposed, [[{ path: 'new.js', before: null, after: 'export {};\n' }]]);
  });

  it('apply_patch proposes a move as a delete of the old path and a create of the new one', async () => {
    writeFileSync(join(root, 'old.txt'), 'one\ntwo\n');
    const patch = '*** Begin Patch\n*** Update File: old.txt\n*** Move to: moved/new.txt\n@@\n one\n-two\n+TWO\n*** End Patch\n';
    const result = await applyPatchTool.run({ patch }, context);
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(proposed, [[
      { path: 'old.txt', before: 'one\ntwo\n', after: null },
      { path: 'moved/new.txt', before: null, after: 'one\nTWO\n' },
    ]]);
  });

  it('apply_patch refuses the whole patch when one target is protected', async () => {
    writeFileSync(join(root, 'a.txt'), 'a\n');
    const patch = '*** Begin Patch\n*** Update File: a.txt\n@@\n-a\n+b\n*** Add File: .env\n+KEY=1\n*** End Patch\n';
    const result = await applyPatchTool.run({ patch }, context);
    assert.equal(!result.ok && result.code, 'protected_path');
    assert.deepEqual(proposed, []);
  });

  it('write_file resolves "// ... existing code ..." placeholders against the file, and never writes them literally', async () => {
    const original = 'function a() {\n  return 1;\n}\n\nfunction b() {\n  return 2;\n}\n';
    writeFileSync(join(root, 'm.js'), original);
    const lazy = await writeFileTool.run({ path: 'm.js', content: '// ... existing code ...\n\nfunction b() {\n  return 3;\n}\n' }, context);
    assert.ok(lazy.ok, JSON.stringify(lazy));
    assert.deepEqual(proposed, [[{ path: 'm.js', before: original, after: original.replace('return 2;', 'return 3;') }]]);
    const ambiguous = await writeFileTool.run({ path: 'm.js', content: '// ... existing code ...\nconsole.log(1);\n// ... existing code ...\n' }, context);
    assert.equal(ambiguous.ok, false);
    assert.match(!ambiguous.ok ? ambiguous.message : '', /Nothing was changed/);
    assert.equal(proposed.length, 1, 'the refused edit proposed nothing');
  });
});
