// The CLI's single-purpose commands and the demo, as a person or a script would call them.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/harness';

describe('CLI commands', function () {
  this.timeout(90_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pp-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('apply-edit applies a search/replace block and keeps CRLF', async () => {
    writeFileSync(join(dir, 'a.txt'), 'one\r\ntwo\r\nthree\r\n');
    writeFileSync(join(dir, 'edit.txt'), 'a.txt\n<<<<<<< SEARCH\ntwo\n=======\nTWO\n>>>>>>> REPLACE\n');
    const run = await runCli(['apply-edit', '--cwd', dir, '--edit', join(dir, 'edit.txt')]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(readFileSync(join(dir, 'a.txt'), 'utf8'), 'one\r\nTWO\r\nthree\r\n');
  });

  it('apply-edit rejects an ambiguous match, writes nothing and exits 1', async () => {
    writeFileSync(join(dir, 'a.txt'), 'x = 1\ny = 2\nx = 1\n');
    writeFileSync(join(dir, 'edit.json'), JSON.stringify({ path: 'a.txt', edits: [{ search: 'x = 1', replace: 'x = 3' }] }));
    const run = await runCli(['apply-edit', '--cwd', dir, '--edit', join(dir, 'edit.json'), '--format', 'edit-json']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /ambiguous_match/);
    assert.equal(readFileSync(join(dir, 'a.txt'), 'utf8'), 'x = 1\ny = 2\nx = 1\n');
  });

  it('apply-edit --file wins over the path in the edit text, and protected paths are refused', async () => {
    writeFileSync(join(dir, 'b.txt'), 'alpha\n');
    writeFileSync(join(dir, 'edit.txt'), 'other.txt\n<<<<<<< SEARCH\nalpha\n=======\nbeta\n>>>>>>> REPLACE\n');
    const run = await runCli(['apply-edit', '--cwd', dir, '--edit', join(dir, 'edit.txt'), '--file', 'b.txt']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(readFileSync(join(dir, 'b.txt'), 'utf8'), 'beta\n');
    writeFileSync(join(dir, '.env'), 'A=1\n');
    writeFileSync(join(dir, 'env-edit.txt'), '<<<<<<< SEARCH\nA=1\n=======\nA=2\n>>>>>>> REPLACE\n');
    const refused = await runCli(['apply-edit', '--cwd', dir, '--edit', join(dir, 'env-edit.txt'), '--file', '.env']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /protected_path/);
    assert.equal(readFileSync(join(dir, '.env'), 'utf8'), 'A=1\n');
  });

  it('parse-test-output reads a real node:test failure from standard input', async () => {
    writeFileSync(join(dir, 'x.test.js'), "const t = require('node:test'); const a = require('node:assert');\nt('ok', () => {});\nt('breaks', () => { a.strictEqual(1, 2); });\n");
    const { spawnSync } = await import('node:child_process');
    const output = spawnSync(process.execPath, ['--test', 'x.test.js'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const run = await runCli(['parse-test-output', '-'], { input: output.stdout + output.stderr });
    assert.equal(run.code, 0, run.stderr);
    const parsed = JSON.parse(run.stdout) as { failures: { name: string }[]; failed: number; passed: number };
    assert.deepEqual(parsed.failures.map((f) => f.name), ['breaks']);
    assert.equal(parsed.failed, 1);
    assert.equal(parsed.passed, 1);
  });

  it('rejects bad usage with exit 2', async () => {
    const run = await runCli(['run', '--cwd', dir]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--goal TEXT is required/);
    const unknown = await runCli(['frobnicate']);
    assert.equal(unknown.code, 2);
  });

  it('demo runs the real loop to passing tests, showing the reflection and the diff', async () => {
    const run = await runCli(['demo'], { timeoutMs: 80_000 });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /SCRIPTED/);
    assert.match(run.stdout, /Plan:/);
    assert.match(run.stdout, /verification: tests failed/);
    assert.match(run.stdout, /reflection after attempt 1/);
    assert.match(run.stdout, /■ verified/);
    assert.match(run.stdout, /^\+\s+\.replace\(\/\\s\+\/g, '-'\);$/m);
    assert.match(run.stdout, /Ollama/);
  });
});
