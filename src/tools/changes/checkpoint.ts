// Git checkpoints: a snapshot commit of the whole working tree under refs/patchpilot/, taken through a temporary
// index so the person's branch, HEAD, index and stash stay exactly as they were; and exact restores from it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import type { Checkpoint } from './types';

export const CHECKPOINT_REF_PREFIX = 'refs/patchpilot/checkpoints/';

/** Who the snapshot commits are by, so they work where user.name / user.email are not configured. */
const CHECKPOINT_IDENTITY = {
  GIT_AUTHOR_NAME: 'Patchpilot',
  GIT_AUTHOR_EMAIL: 'patchpilot@localhost',
  GIT_COMMITTER_NAME: 'Patchpilot',
  GIT_COMMITTER_EMAIL: 'patchpilot@localhost',
};

/**
 * simple-git refuses to run with an explicit env that sets editors, pagers, askpass or ssh commands (a VS Code
 * terminal sets GIT_ASKPASS). None of our plumbing commands needs them; GIT_DIR-like variables would redirect git.
 */
const DROPPED_ENV = /^(EDITOR|VISUAL|PAGER|PREFIX|SSH_ASKPASS|GIT_(ASKPASS|EDITOR|SEQUENCE_EDITOR|PAGER|SSH|SSH_COMMAND|PROXY_COMMAND|EXTERNAL_DIFF|EXEC_PATH|TEMPLATE_DIR|CONFIG|CONFIG_GLOBAL|CONFIG_SYSTEM|CONFIG_COUNT|CONFIG_KEY_\d+|CONFIG_VALUE_\d+|DIR|WORK_TREE|INDEX_FILE|OBJECT_DIRECTORY|NAMESPACE|PREFIX))$/i;

function gitEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !DROPPED_ENV.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

function gitIn(root: string, extraEnv?: Record<string, string>): SimpleGit {
  const git = simpleGit({ baseDir: root, trimmed: true });
  return extraEnv ? git.env(gitEnv(extraEnv)) : git;
}

async function isInsideWorkTree(root: string): Promise<boolean> {
  try {
    if (!fs.statSync(root).isDirectory()) return false;
    return (await gitIn(root).raw(['rev-parse', '--is-inside-work-tree'])).trim() === 'true';
  } catch {
    return false;
  }
}

async function headCommit(git: SimpleGit): Promise<string | null> {
  try {
    const head = (await git.raw(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])).trim();
    return head === '' ? null : head;
  } catch {
    return null; // a repository without commits
  }
}

/** A ref name git accepts, whatever the label: task ids, timestamps, free text. */
export function checkpointRefFor(label: string): string {
  const safe = label.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100);
  return CHECKPOINT_REF_PREFIX + (safe === '' ? 'checkpoint' : safe);
}

/**
 * The working tree (tracked + untracked, not ignored) as a tree object, built in a throwaway index.
 * Seeding it with a copy of the real index keeps `git add -A` to a stat pass (measured 0.16 s instead of 4.8 s on
 * 52,000 files); a split index refers to shared files, so it is rebuilt from `seedTreeish` instead.
 */
async function snapshotTree(root: string, seedTreeish: string | null, copyRealIndex: boolean): Promise<string> {
  const scratch = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'patchpilot-index-'));
  const indexFile = path.join(scratch, 'index');
  try {
    const git = gitIn(root, { GIT_INDEX_FILE: indexFile });
    const realIndex = path.resolve(root, (await gitIn(root).raw(['rev-parse', '--git-path', 'index'])).trim());
    const canCopy = copyRealIndex && fs.existsSync(realIndex) && !(await usesSplitIndex(realIndex));
    if (canCopy) {
      await fs.promises.copyFile(realIndex, indexFile);
      // Keep the index's own time: git trusts an entry's size + mtime only when the file is older than the index, so a
      // copy dated now would hide a same-size edit made in the second of the last `git add` (racy git).
      const { atime, mtime } = await fs.promises.stat(realIndex);
      await fs.promises.utimes(indexFile, atime, mtime);
    }
    else if (seedTreeish) await git.raw(['read-tree', seedTreeish]);
    await git.raw(['add', '--all']);
    return (await git.raw(['write-tree'])).trim();
  } finally {
    await fs.promises.rm(scratch, { recursive: true, force: true });
  }
}

async function usesSplitIndex(realIndex: string): Promise<boolean> {
  const entries = await fs.promises.readdir(path.dirname(realIndex));
  return entries.some((name) => name.startsWith('sharedindex.'));
}

/**
 * Snapshots the working tree into a commit under refs/patchpilot/checkpoints/<label>, parented on HEAD.
 * Null when `root` is not inside a git work tree. Never changes HEAD, the branch, the index or the stash.
 */
export async function createCheckpoint(root: string, label: string): Promise<Checkpoint | null> {
  if (!(await isInsideWorkTree(root))) return null;
  const git = gitIn(root, CHECKPOINT_IDENTITY);
  const head = await headCommit(git);
  const tree = await snapshotTree(root, head, true);
  const parent = head ? ['-p', head] : [];
  const commit = (await git.raw(['commit-tree', '--no-gpg-sign', ...parent, '-m', `Patchpilot checkpoint: ${label}`, tree])).trim();
  const ref = checkpointRefFor(label);
  await git.raw(['update-ref', '-m', 'patchpilot checkpoint', ref, commit]);
  return { ref, commit };
}

/** Repository paths are relative to the root from here on: `./` makes git read them relative to the cwd. */
function assertInsideRoot(relativePath: string): string {
  const normalized = path.posix.normalize(relativePath.replaceAll('\\', '/'));
  if (path.posix.isAbsolute(normalized) || normalized === '..' || normalized.startsWith('../')) {
    throw new Error(`Path "${relativePath}" is outside the workspace.`);
  }
  return normalized;
}

interface TreeEntry { mode: string; type: string; object: string }

/** The checkpoint's entries for the given root-relative paths; paths absent then are missing from the map. */
async function treeEntries(root: string, commit: string, relativePaths: string[]): Promise<Map<string, TreeEntry>> {
  const entries = new Map<string, TreeEntry>();
  const git = gitIn(root);
  for (let start = 0; start < relativePaths.length; start += 500) {
    const chunk = relativePaths.slice(start, start + 500);
    const output = await git.raw(['--literal-pathspecs', 'ls-tree', '-z', commit, '--', ...chunk]);
    for (const record of output.split('\0')) {
      const tab = record.indexOf('\t');
      if (tab === -1) continue;
      const [mode, type, object] = record.slice(0, tab).split(' ');
      entries.set(record.slice(tab + 1), { mode, type, object });
    }
  }
  return entries;
}

/** File content as checkout would write it (line-ending and smudge filters applied). */
async function blobContent(root: string, commit: string, relativePath: string): Promise<Buffer> {
  const content: unknown = await gitIn(root).binaryCatFile(['--filters', `${commit}:./${relativePath}`]);
  if (!Buffer.isBuffer(content)) throw new Error(`git returned no content for ${relativePath}`);
  return content;
}

/** The file's content at the checkpoint; null when it did not exist (or was not a file) then. */
export async function readFileAtCheckpoint(root: string, checkpoint: Checkpoint, relativePath: string): Promise<Buffer | null> {
  const relative = assertInsideRoot(relativePath);
  const entry = (await treeEntries(root, checkpoint.commit, [relative])).get(relative);
  if (!entry || entry.type !== 'blob') return null;
  return blobContent(root, checkpoint.commit, relative);
}

/** Root-relative paths whose content (or existence) differs between the checkpoint and the working tree now. */
export async function listCheckpointChanges(root: string, checkpoint: Checkpoint): Promise<string[]> {
  const nowTree = await snapshotTree(root, checkpoint.commit, true);
  const output = await gitIn(root).raw(['diff-tree', '-r', '-z', '--name-only', '--no-renames', '--relative', checkpoint.commit, nowTree]);
  return output.split('\0').filter((entry) => entry.length > 0).sort();
}

async function writeEntry(absolute: string, entry: TreeEntry, content: Buffer): Promise<void> {
  await fs.promises.mkdir(path.dirname(absolute), { recursive: true });
  const existing = await fs.promises.lstat(absolute).catch(() => null);
  if (entry.mode === '120000') {
    await fs.promises.rm(absolute, { force: true });
    await fs.promises.symlink(content.toString('utf8'), absolute);
    return;
  }
  const executable = entry.mode === '100755';
  const keptBits = existing?.isFile() ? existing.mode & 0o666 : 0o644;
  const mode = executable ? keptBits | ((keptBits & 0o444) >> 2) : keptBits;
  const temp = `${absolute}.patchpilot-restore-${process.pid}-${Date.now()}`;
  try {
    await fs.promises.writeFile(temp, content, { mode });
    await fs.promises.chmod(temp, mode);
    if (existing?.isSymbolicLink()) await fs.promises.rm(absolute, { force: true });
    await fs.promises.rename(temp, absolute);
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
    throw error;
  }
}

/**
 * Puts the given root-relative paths back to exactly their checkpoint content, deleting those that did not exist
 * then. Only the files are touched: not the index, not HEAD. Submodule entries are left alone.
 */
export async function restoreFromCheckpoint(root: string, checkpoint: Checkpoint, relativePaths: string[]): Promise<void> {
  const relatives = relativePaths.map(assertInsideRoot);
  const entries = await treeEntries(root, checkpoint.commit, relatives);
  for (const relative of relatives) {
    const absolute = path.join(root, relative);
    const entry = entries.get(relative);
    if (!entry) {
      await fs.promises.rm(absolute, { force: true });
    } else if (entry.type === 'blob') {
      await writeEntry(absolute, entry, await blobContent(root, checkpoint.commit, relative));
    }
  }
}
