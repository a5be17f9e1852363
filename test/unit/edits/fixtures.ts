// Test helpers for the edit engine: fixture files and an in-memory file lookup.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileChange, FileLookup } from '../../../src/tools/edits';

/** Compiled tests live in out/test/unit/edits; fixtures stay in the source tree. */
export const repoRoot = path.resolve(__dirname, '../../../..');
export const fixturesDir = path.join(repoRoot, 'test/fixtures/edits');

export function fixture(name: string): string {
  return fs.readFileSync(path.join(fixturesDir, name), 'utf8');
}

export function lookupOf(files: Record<string, string>): FileLookup {
  return (p) => (Object.prototype.hasOwnProperty.call(files, p) ? files[p] : undefined);
}

export function changeFor(changes: FileChange[], path: string): FileChange {
  const change = changes.find((c) => c.path === path);
  if (!change) throw new Error(`no change for ${path}; changed: ${changes.map((c) => c.path).join(', ')}`);
  return change;
}
