// search_ms: NodeWorkspace.searchText over a generated tree of 50,000 files, against `git grep` on the same tree in
// the same run. The tree lives in bench/.work/search-tree (git-ignored) as its own git repository (files staged,
// never committed) so both tools see the same file list; it is generated once and reused.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PathPolicy } from '../src/agent/policy/pathPolicy';
import { NodeWorkspace } from '../src/tools/workspace/nodeWorkspace';
import { benchMain, workDir } from './support/main';
import { interleave, median, round, type BenchEntries } from './support/stats';

const FILES = 50_000;
const FILES_PER_DIR = 100;
const PLANT_EVERY = 1_000;
const RUNS = 5;
const TREE_VERSION = `v1-${FILES}`;

const QUERIES = [
  { name: 'literal', query: 'plantedMarker_', regex: false, grepArgs: ['-F'] },
  { name: 'regex', query: 'handler[0-9]+Timeout\\(', regex: true, grepArgs: ['-E'] },
] as const;

function fileText(index: number): string {
  const lines = [`// file ${index}: generated for the Patchpilot search benchmark`, `import { compute } from '../lib/compute';`, ''];
  for (let i = 0; i < 36; i++) lines.push(`export const value${index}_${i} = compute(${i}, 'k${(index * 31 + i) % 997}');`);
  if (index % PLANT_EVERY === 0) {
    lines.push(`export const plantedMarker_${index} = true;`);
    lines.push(`export function handler${index}Timeout() { return ${index}; }`);
  }
  return lines.join('\n') + '\n';
}

/** Generates (or reuses) the tree; returns how long generation took, 0 when reused. */
export function ensureTree(root: string): number {
  const stamp = path.join(root, '.git', 'patchpilot-bench-tree');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === TREE_VERSION) return 0;
  const start = Date.now();
  fs.rmSync(root, { recursive: true, force: true });
  for (let dir = 0; dir < FILES / FILES_PER_DIR; dir++) {
    const folder = path.join(root, 'src', `pkg${Math.floor(dir / 10)}`, `mod${dir}`);
    fs.mkdirSync(folder, { recursive: true });
    for (let i = 0; i < FILES_PER_DIR; i++) {
      const index = dir * FILES_PER_DIR + i;
      fs.writeFileSync(path.join(folder, `file${index}.ts`), fileText(index));
    }
  }
  const git = (args: string[]): void => void execFileSync('git', args, { cwd: root, stdio: 'ignore' });
  git(['init', '-q']);
  git(['add', '-A']);
  // Inside .git, so neither tool lists it.
  fs.writeFileSync(stamp, TREE_VERSION);
  return Date.now() - start;
}

function gitGrep(root: string, args: readonly string[], query: string): number {
  const result = spawnSync('git', ['grep', '-n', '-I', '--no-color', ...args, '-e', query], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0 && result.status !== 1) throw new Error(`git grep failed: ${result.stderr}`);
  return result.stdout.split('\n').filter(Boolean).length;
}

export async function measureSearch(): Promise<BenchEntries> {
  const root = path.join(workDir, 'search-tree');
  const generatedMs = ensureTree(root);
  const workspace = new NodeWorkspace(root, new PathPolicy(root));
  const perQuery: Record<string, { ours_ms: number; git_grep_ms: number; ratio: number; hits: number; files_searched: number }> = {};
  for (const q of QUERIES) {
    let hits = -1;
    let filesSearched = 0;
    let grepHits = -1;
    const times = await interleave(RUNS, async () => {
      const found = await workspace.searchText(q.query, { regex: q.regex, maxResults: 10_000 });
      hits = found.hits.length;
      filesSearched = found.filesSearched;
    }, () => {
      grepHits = gitGrep(root, q.grepArgs, q.query);
    });
    if (hits !== grepHits) throw new Error(`search_text found ${hits} hits for ${q.query}, git grep ${grepHits}`);
    const ours = median(times.work);
    const grep = median(times.baseline);
    perQuery[q.name] = { ours_ms: round(ours, 1), git_grep_ms: round(grep, 1), ratio: round(ours / grep, 2), hits, files_searched: filesSearched };
  }
  const literal = perQuery.literal;
  const regex = perQuery.regex;
  return {
    search_ms: {
      value: literal.ours_ms,
      unit: 'ms',
      runs: RUNS,
      files: FILES,
      queries: perQuery,
      baseline_git_grep_ms: literal.git_grep_ms,
      ratio_to_git_grep: literal.ratio,
      tree: path.relative(process.cwd(), root),
      tree_generated_ms: generatedMs,
      summary: `search_text over ${FILES.toLocaleString('en-US')} files (${literal.files_searched.toLocaleString('en-US')} searched), median of ${RUNS}: literal ${literal.ours_ms} ms vs git grep ${literal.git_grep_ms} ms (${literal.ratio}x), regex ${regex.ours_ms} ms vs ${regex.git_grep_ms} ms (${regex.ratio}x); ${literal.hits} hits each, same as git grep${generatedMs ? `; tree generated in ${round(generatedMs / 1000, 1)} s` : '; tree reused'}`,
    },
  };
}

benchMain(module, measureSearch);
