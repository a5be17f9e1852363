// Loads the hand-made and recorded runner logs under test/fixtures/testlogs for the parser tests.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../../..');
export const fixtureDir = path.join(repoRoot, 'test/fixtures/testlogs');

export function fixture(name: string): string {
  return fs.readFileSync(path.join(fixtureDir, name), 'utf8');
}

/** The ground truth beside a recorded log (same schema as the shared benchmark logs). */
export function truthFixture<T>(name: string): T {
  return JSON.parse(fixture(name)) as T;
}

/** The shared real-log corpus beside the checkout (read-only; never copied into the repo). */
export const sharedLogDir = path.resolve(repoRoot, '../shared/benchmarks/testlogs');

export function sharedLogs(): string[] {
  return fs.existsSync(sharedLogDir) ? fs.readdirSync(sharedLogDir).filter((name) => name.endsWith('.txt')).sort() : [];
}

export function sharedLog(name: string): string {
  return fs.readFileSync(path.join(sharedLogDir, name), 'utf8');
}

export function sharedTruth<T>(logName: string): T {
  return JSON.parse(fs.readFileSync(path.join(sharedLogDir, logName.replace(/\.txt$/, '.json')), 'utf8')) as T;
}
