// The Node implementation of the Workspace port (CLI, tests, and the extension's file access): confined to the
// root by the injected path policy, atomic writes, .gitignore-aware listing and a fast in-process text search.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileEnumerator, sortPaths } from './fileEnumeration';
import { suggestSimilarPaths } from './pathSuggestions';
import { searchFiles } from './textSearch';
import {
  WorkspaceError,
  throwIfCancelled,
  type Access,
  type ListEntry,
  type PathChecker,
  type SearchHit,
  type SearchOptions,
  type Workspace,
} from './types';

const DEFAULT_MAX_RESULTS = 500;
/** Beyond this many files, looking for "did you mean" candidates costs more than the hint is worth. */
const SUGGESTION_SCAN_LIMIT = 200_000;

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : undefined;
}

async function lstatOrNull(absolute: string): Promise<fs.Stats | null> {
  try {
    return await fs.promises.lstat(absolute);
  } catch {
    return null;
  }
}

async function statOrNull(absolute: string): Promise<fs.Stats | null> {
  try {
    return await fs.promises.stat(absolute);
  } catch {
    return null;
  }
}

/** On Windows a rename over a file another process has open fails briefly (virus scanners, indexers). */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.promises.rename(from, to);
      return;
    } catch (error) {
      const transient = process.platform === 'win32' && ['EPERM', 'EACCES', 'EBUSY'].includes(errorCode(error) ?? '');
      if (!transient || attempt >= 4) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    }
  }
}

export class NodeWorkspace implements Workspace {
  readonly root: string;
  private readonly enumerator: FileEnumerator;

  constructor(root: string, private readonly pathChecker: PathChecker) {
    this.root = path.resolve(root);
    this.enumerator = new FileEnumerator(this.root);
  }

  resolve(inputPath: string, access: Access): string {
    const verdict = this.pathChecker.check(inputPath, access);
    if (!verdict.ok) throw new WorkspaceError(verdict.code, verdict.message);
    return verdict.relative;
  }

  absolute(relativePath: string): string {
    return path.join(this.root, this.normalize(relativePath));
  }

  async exists(relativePath: string): Promise<boolean> {
    return (await statOrNull(this.absolute(relativePath))) !== null;
  }

  async readFile(relativePath: string): Promise<Buffer> {
    const relative = this.normalize(relativePath);
    try {
      return await fs.promises.readFile(this.absolute(relative));
    } catch (error) {
      const code = errorCode(error);
      if (code === 'EISDIR') {
        throw new WorkspaceError('not_a_file', `${relative} is a folder, not a file. Use list_files to see what it contains.`);
      }
      if (code === 'ENOENT' || code === 'ENOTDIR') throw await this.fileNotFound(relative);
      throw error;
    }
  }

  async writeFileAtomic(relativePath: string, content: string | Buffer): Promise<void> {
    const relative = this.normalize(relativePath);
    const target = await this.writeTarget(relative);
    const folder = path.dirname(target);
    try {
      await fs.promises.mkdir(folder, { recursive: true });
    } catch (error) {
      if (errorCode(error) === 'EEXIST' || errorCode(error) === 'ENOTDIR') {
        throw new WorkspaceError('not_a_file', `Cannot create ${relative}: a part of its folder path is a file.`);
      }
      throw error;
    }
    const existingStats = await statOrNull(target);
    if (existingStats?.isDirectory()) throw new WorkspaceError('not_a_file', `${relative} is a folder, not a file.`);
    const existingMode = existingStats ? existingStats.mode & 0o7777 : undefined;
    const temp = path.join(folder, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.patchpilot-tmp`);
    try {
      const handle = await fs.promises.open(temp, 'wx', existingMode ?? 0o666);
      try {
        await handle.writeFile(content);
        await handle.sync(); // the rename must never publish a file whose bytes are not on disk yet
      } finally {
        await handle.close();
      }
      if (existingMode !== undefined) await fs.promises.chmod(temp, existingMode); // open() applied the umask
      await renameWithRetry(temp, target);
    } catch (error) {
      await fs.promises.rm(temp, { force: true });
      throw error;
    }
  }

  async deleteFile(relativePath: string): Promise<void> {
    const relative = this.normalize(relativePath);
    const stats = await lstatOrNull(this.absolute(relative));
    if (!stats) throw await this.fileNotFound(relative);
    if (stats.isDirectory()) throw new WorkspaceError('not_a_file', `${relative} is a folder; only files can be deleted.`);
    await fs.promises.unlink(this.absolute(relative));
  }

  async listFiles(relativePath: string, options: { recursive: boolean; limit: number }): Promise<{ entries: ListEntry[]; truncated: boolean }> {
    const folder = this.normalize(relativePath);
    const stats = await statOrNull(this.absolute(folder));
    if (!stats) throw new WorkspaceError('file_not_found', `Folder not found: ${folder}. Use list_files on its parent to see what exists.`);
    if (!stats.isDirectory()) throw new WorkspaceError('not_a_file', `${folder} is a file, not a folder. Use read_file to read it.`);
    const files = await this.enumerator.listFiles(folder);
    const entries = options.recursive ? withFolders(files, folder) : directChildren(files, folder);
    return { entries: entries.slice(0, Math.max(0, options.limit)), truncated: entries.length > options.limit };
  }

  async searchText(query: string, options: SearchOptions): Promise<{ hits: SearchHit[]; truncated: boolean; filesSearched: number }> {
    if (query === '') throw new WorkspaceError('invalid_arguments', 'The search query is empty; give the text or pattern to look for.');
    const scope = this.normalize(options.path ?? '');
    const stats = await statOrNull(this.absolute(scope));
    if (!stats) throw new WorkspaceError('file_not_found', `Nothing to search at ${scope}: it does not exist.`);
    throwIfCancelled(options.signal, 'The search');
    const listed = stats.isDirectory() ? await this.enumerator.listFiles(scope, { signal: options.signal, mayIncludeDeleted: true }) : [scope];
    // Protected files (.env, keys) are never searched: their content must not reach the model through a match.
    const files = listed.filter((file) => !this.isProtected(file));
    return searchFiles({
      root: this.root,
      files,
      query,
      regex: options.regex ?? false,
      caseSensitive: options.caseSensitive ?? true,
      maxResults: options.maxResults ?? DEFAULT_MAX_RESULTS,
      signal: options.signal,
    });
  }

  private isProtected(relativePath: string): boolean {
    if (this.pathChecker.protectedRuleFor) return this.pathChecker.protectedRuleFor(relativePath) !== null;
    return !this.pathChecker.check(relativePath, 'read').ok;
  }

  /** Root-relative POSIX form of an already resolved path; anything leaving the root is refused again here. */
  private normalize(relativePath: string): string {
    const posix = path.posix.normalize(relativePath.replaceAll('\\', '/'));
    const relative = posix === '.' || posix === './' ? '' : posix.replace(/\/+$/, '');
    if (path.posix.isAbsolute(relative) || /^[A-Za-z]:/.test(relative) || relative === '..' || relative.startsWith('../')) {
      throw new WorkspaceError('outside_workspace', `${relativePath} is outside the workspace ${this.root}.`);
    }
    return relative;
  }

  /** Where bytes really go: through a symlink to its target (replacing the link would break it), never outside. */
  private async writeTarget(relative: string): Promise<string> {
    const absolute = this.absolute(relative);
    const stats = await lstatOrNull(absolute);
    if (stats?.isDirectory()) throw new WorkspaceError('not_a_file', `${relative} is a folder, not a file.`);
    if (!stats?.isSymbolicLink()) return absolute;
    const target = await fs.promises.realpath(absolute).catch(() => null);
    if (!target) throw new WorkspaceError('not_a_file', `${relative} is a symbolic link to something that does not exist.`);
    const realRoot = await fs.promises.realpath(this.root);
    if (target !== realRoot && !target.startsWith(realRoot + path.sep)) {
      throw new WorkspaceError('outside_workspace', `${relative} is a link that leads outside the workspace.`);
    }
    return target;
  }

  private async fileNotFound(relative: string): Promise<WorkspaceError> {
    let hint = '';
    try {
      const files = await this.enumerator.listFiles('');
      const suggestions = files.length <= SUGGESTION_SCAN_LIMIT ? suggestSimilarPaths(relative, files) : [];
      if (suggestions.length > 0) hint = ` Did you mean: ${suggestions.join(', ')}?`;
    } catch {
      // the hint is a courtesy; the error itself is what matters
    }
    return new WorkspaceError('file_not_found', `File not found: ${relative}.${hint || ' Use list_files or search_text to find the right path.'}`);
  }
}

function folderPrefix(folder: string): string {
  return folder === '' ? '' : `${folder}/`;
}

/** Every file under `folder` plus the folders that contain them, in tree order. */
function withFolders(files: readonly string[], folder: string): ListEntry[] {
  const prefix = folderPrefix(folder);
  const folders = new Set<string>();
  for (const file of files) {
    for (let slash = file.indexOf('/', prefix.length); slash !== -1; slash = file.indexOf('/', slash + 1)) {
      folders.add(file.slice(0, slash));
    }
  }
  const kinds = new Map<string, ListEntry['kind']>();
  for (const dir of folders) kinds.set(dir, 'dir');
  for (const file of files) kinds.set(file, 'file');
  return sortPaths([...kinds.keys()]).map((p) => ({ path: p, kind: kinds.get(p) as ListEntry['kind'] }));
}

/** The files and folders directly inside `folder`; a folder is listed when it holds at least one listed file. */
function directChildren(files: readonly string[], folder: string): ListEntry[] {
  const prefix = folderPrefix(folder);
  const kinds = new Map<string, ListEntry['kind']>();
  for (const file of files) {
    const slash = file.indexOf('/', prefix.length);
    if (slash === -1) kinds.set(file, 'file');
    else kinds.set(file.slice(0, slash), 'dir');
  }
  return sortPaths([...kinds.keys()]).map((p) => ({ path: p, kind: kinds.get(p) as ListEntry['kind'] }));
}
