// Lists the files of a workspace folder fast: `git ls-files` inside a git work tree, a .gitignore-aware walk otherwise.
import { execFile } from 'node:child_process';
import { walkNotIgnoredFiles } from './gitignoreWalker';
import { throwIfCancelled } from './types';

/** ls-files output of a very large repository still fits; past this git would be killed and the walker used. */
const GIT_OUTPUT_LIMIT = 512 * 1024 * 1024;

function runGit(cwd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, maxBuffer: GIT_OUTPUT_LIMIT, windowsHide: true, encoding: 'utf8' }, (error, stdout) => {
      resolve(error ? null : stdout);
    });
  });
}

function splitNulList(output: string): string[] {
  return output.split('\0').filter((entry) => entry.length > 0);
}

/**
 * Sorts paths the way a tree reads: a folder's contents right after the folder,
 * so `a/b` comes before `a-b` (plain code-unit order would put `a-b` between `a` and `a/b`).
 */
export function sortPaths(paths: string[]): string[] {
  const keyed = paths.map((p) => ({ key: p.replaceAll('/', '\u0000'), path: p }));
  keyed.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return keyed.map((entry) => entry.path);
}

/** Remembers per root whether git can enumerate it, so each listing costs one git call, not two. */
export class FileEnumerator {
  private gitWorkTree: Promise<boolean> | undefined;

  constructor(private readonly root: string) {}

  isGitWorkTree(): Promise<boolean> {
    this.gitWorkTree ??= runGit(this.root, ['rev-parse', '--is-inside-work-tree']).then((out) => out?.trim() === 'true');
    return this.gitWorkTree;
  }

  /**
   * Not-ignored files under `relativeFolder` ('' = root), root-relative POSIX paths, never `.git`.
   * Sorted by code unit (cheap: git's output is nearly sorted already); callers that show a tree use sortPaths.
   * `mayIncludeDeleted`: a caller that opens every file anyway (search) skips the extra git call that drops tracked
   * files deleted from disk; it has to skip files that fail to open.
   */
  async listFiles(relativeFolder: string, options: { signal?: AbortSignal; mayIncludeDeleted?: boolean } = {}): Promise<string[]> {
    if (await this.isGitWorkTree()) {
      const fromGit = await this.listWithGit(relativeFolder, options.mayIncludeDeleted ?? false);
      if (fromGit) return fromGit.sort();
    }
    throwIfCancelled(options.signal, 'Listing the files');
    return (await walkNotIgnoredFiles(this.root, relativeFolder, options.signal)).sort();
  }

  /** Tracked + untracked-not-ignored files, minus (unless allowed) tracked files deleted from disk; null when git fails. */
  private async listWithGit(relativeFolder: string, mayIncludeDeleted: boolean): Promise<string[] | null> {
    const pathspec = relativeFolder === '' ? '.' : relativeFolder;
    // --literal-pathspecs: a folder named `[x]` or `*` is a folder, not a pattern.
    const listArgs = ['--literal-pathspecs', 'ls-files', '-z'];
    const [present, deleted] = await Promise.all([
      runGit(this.root, [...listArgs, '--cached', '--others', '--exclude-standard', '--', pathspec]),
      mayIncludeDeleted ? Promise.resolve('') : runGit(this.root, [...listArgs, '--deleted', '--', pathspec]),
    ]);
    if (present === null || deleted === null) return null;
    const gone = new Set(splitNulList(deleted));
    const files = new Set<string>();
    for (const file of splitNulList(present)) {
      // Untracked nested repositories come back as `dir/`; their files belong to that repository.
      if (!file.endsWith('/') && !gone.has(file)) files.add(file);
    }
    return [...files];
  }
}
