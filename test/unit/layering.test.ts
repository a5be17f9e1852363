// The core (src/agent, src/tools, src/cli, src/shared) must never import 'vscode' at runtime: it runs in the CLI and plain mocha.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../..');
const coreDirs = ['src/agent', 'src/tools', 'src/cli', 'src/shared'];
const runtimeVscodeImport =
  /^\s*(import\s+(?!type\b)[^;]*from\s+['"]vscode['"]|import\s+['"]vscode['"]|.*\brequire\(\s*['"]vscode['"]\s*\))/m;

function tsFilesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFilesUnder(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('layering', () => {
  it('finds the core sources it checks', () => {
    const files = coreDirs.flatMap((d) => tsFilesUnder(path.join(repoRoot, d)));
    assert.ok(files.length > 0, 'expected TypeScript files under the core directories');
  });

  it('keeps runtime vscode imports out of the core', () => {
    const offenders = coreDirs
      .flatMap((d) => tsFilesUnder(path.join(repoRoot, d)))
      .filter((file) => runtimeVscodeImport.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(repoRoot, file));
    assert.deepEqual(offenders, []);
  });

  it('detects a runtime import when one is present', () => {
    assert.ok(runtimeVscodeImport.test("import * as vscode from 'vscode';"));
    assert.ok(runtimeVscodeImport.test("const v = require('vscode');"));
    assert.ok(!runtimeVscodeImport.test("import type * as vscode from 'vscode';"));
  });
});
