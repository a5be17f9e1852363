// read_file through the real workspace: windows with line numbers and notes of what was left out; binaries refused.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ToolContext } from '../../../src/tools/context';
import { readFileTool } from '../../../src/tools/readFile';
import { ToolRegistry } from '../../../src/tools/registry';
import { workspaceToolContext } from './toolContext';

describe('read_file tool', () => {
  let root: string;
  let context: ToolContext;
  const reads: string[] = [];
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pp-read-'));
    context = workspaceToolContext(root, { apply: async () => ({ ok: true, output: '' }), noteRead: (path) => reads.push(path), hasSeen: () => true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('returns a large file in a numbered window and says which lines were left out', async () => {
    writeFileSync(join(root, 'big.txt'), Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`).join('\n') + '\n');
    const result = await readFileTool.run({ path: 'big.txt' }, context);
    assert.ok(result.ok);
    const output = result.ok ? result.output : '';
    assert.match(output, /^big\.txt \(1000 lines; lines 401-1000 not shown; read them with start_line=401\)/);
    assert.match(output, /^  1\| line 1$/m);
    assert.match(output, /^400\| line 400$/m);
    assert.doesNotMatch(output, /line 401$/m);
    assert.deepEqual(reads.slice(-1), ['big.txt']);
  });

  it('reads a requested range', async () => {
    writeFileSync(join(root, 'big.txt'), Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\r\n'));
    const result = await readFileTool.run({ path: 'big.txt', start_line: 10, end_line: 12 }, context);
    assert.equal(result.ok && result.output, 'big.txt (50 lines; lines 1-9 not shown; lines 13-50 not shown; read them with start_line=13)\n10| line 10\n11| line 11\n12| line 12');
  });

  it('refuses a binary file with a reason code', async () => {
    writeFileSync(join(root, 'img.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3]));
    const result = await readFileTool.run({ path: 'img.png' }, context);
    assert.equal(!result.ok && result.code, 'binary_file');
  });

  it('validates arguments before running: a missing path is invalid_arguments, an unknown tool unknown_tool', async () => {
    const registry = new ToolRegistry();
    const missing = await registry.run('read_file', { start_line: 1 }, context);
    assert.equal(!missing.ok && missing.code, 'invalid_arguments');
    assert.match(!missing.ok ? missing.message : '', /path/);
    const unknown = await registry.run('delete_repo', {}, context);
    assert.equal(!unknown.ok && unknown.code, 'unknown_tool');
  });
});
