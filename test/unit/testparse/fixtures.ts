// Loads the hand-made and recorded runner logs under test/fixtures/testlogs for the parser tests.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../../..');
export const fixtureDir = path.join(repoRoot, 'test/fixtures/testlogs');

export function fixture(name: string): string {
  return fs.readFileSync(path.join(fixtureDir, name), 'utf8');
}
