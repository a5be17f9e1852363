// Lets each benchmark file run on its own (`node out/bench/<name>.js`) or as a child of the runner, which passes
// `--out FILE` and reads the entries back as JSON; running each in its own process keeps their heaps apart.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatTable, type BenchEntries } from './stats';

/** The repository root, from out/bench/support/*.js or bench/support/*.ts alike. */
export const repoRoot = findRepoRoot(__dirname);

/** Where benchmarks keep generated data between runs (git-ignored). */
export const workDir = path.join(repoRoot, 'bench', '.work');

function findRepoRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'out') {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

export function benchMain(module: NodeModule, measure: () => Promise<BenchEntries>): void {
  if (require.main !== module) return;
  const outIndex = process.argv.indexOf('--out');
  const outFile = outIndex >= 0 ? process.argv[outIndex + 1] : undefined;
  measure()
    .then((entries) => {
      if (outFile) fs.writeFileSync(outFile, JSON.stringify(entries, null, 2));
      else console.log(formatTable(entries));
      // Servers, pools or browsers a benchmark forgot would keep the child alive and stall the runner.
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.stack ?? error.message : String(error));
      process.exit(1);
    });
}
