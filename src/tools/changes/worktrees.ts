// Task worktrees: a git worktree per attempt, queued task or background task, made from a checkpoint of the person's
// working tree (uncommitted work included), so an agent can edit and run tests there while the person's files, HEAD,
// branch, index and stash stay exactly as they are. Each worktree is registered in `.patchpilot/worktrees/<id>.json`
// with the process that owns it, so worktrees left behind by a crash are found and removed on the next start.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { createCheckpoint, listCheckpointChanges, readFileAtCheckpoint } from './checkpoint';

const run = promisify(execFile);

export interface TaskWorktree {
  id: string;
  /** The worktree's folder (outside the person's workspace). */
  path: string;
  /** The person's workspace it was made from. */
  root: string;
  /** The checkpoint commit it starts from: the person's working tree at creation. */
  baseCommit: string;
  /** The ref that keeps the base commit alive (deleted with the worktree). */
  baseRef: string;
  purpose: string;
}

interface RegistryEntry extends TaskWorktree {
  ownerPid: number;
  createdAt: string;
  /** Kept across restarts (a queued task resumes in it) until released; otherwise removed once its owner is gone. */
  keep: boolean;
}

export interface CreateWorktreeOptions {
  /** What it is for, shown in listings: "attempt 2 of task …", "queued task …". */
  purpose: string;
  /** A prefix for the id (letters, digits, "-"). */
  label?: string;
  /** Keep it when this process ends (a queued or background task that resumes later). */
  keep?: boolean;
  /** Top-level ignored entries (node_modules, .venv) are linked in unless this says they are protected. */
  isProtected?: (relative: string) => boolean;
  /** Start from this commit (e.g. a task's checkpoint) instead of a new checkpoint of the working tree. */
  commit?: string;
}

/** A changed path of a worktree against its base: content before (null: did not exist) and now (null: deleted). */
export interface WorktreeChange {
  path: string;
  before: Buffer | null;
  after: Buffer | null;
}

function registryDir(root: string): string {
  return path.join(root, '.patchpilot', 'worktrees');
}

/** Where worktrees live: $PATCHPILOT_WORKTREES_DIR, else the system temp folder (never inside the workspace). */
export function worktreesHome(): string {
  return process.env.PATCHPILOT_WORKTREES_DIR || path.join(os.tmpdir(), 'patchpilot-worktrees');
}

/**
 * Makes a worktree holding the person's working tree as it is now. Throws a plain message when `root` is not a git
 * repository (worktrees need one; say so rather than copy files around).
 */
export async function createWorktree(root: string, options: CreateWorktreeOptions): Promise<TaskWorktree> {
  const label = (options.label ?? 'task').replace(/[^A-Za-z0-9-]+/g, '-').slice(0, 40) || 'task';
  const id = `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
  const checkpoint = options.commit ? { ref: '', commit: options.commit } : await createCheckpoint(root, `worktree-${id}`);
  if (!checkpoint) throw new Error(`${root} is not a git repository: separate worktrees need one (git init, then commit).`);
  await fs.promises.mkdir(worktreesHome(), { recursive: true });
  const folder = path.join(worktreesHome(), id);
  await run('git', ['-C', root, 'worktree', 'add', '--detach', '--force', folder, checkpoint.commit], { windowsHide: true });
  const worktree: TaskWorktree = { id, path: folder, root, baseCommit: checkpoint.commit, baseRef: checkpoint.ref, purpose: options.purpose };
  const entry: RegistryEntry = { ...worktree, ownerPid: process.pid, createdAt: new Date().toISOString(), keep: options.keep ?? false };
  await fs.promises.mkdir(registryDir(root), { recursive: true });
  // The registry is Patchpilot's bookkeeping: out of the person's git status and of checkpoints.
  await fs.promises.writeFile(path.join(registryDir(root), '.gitignore'), '*\n');
  await fs.promises.writeFile(path.join(registryDir(root), `${id}.json`), `${JSON.stringify(entry, null, 2)}\n`);
  await linkIgnoredEntries(root, folder, options.isProtected ?? (() => false));
  return worktree;
}

/** Every path the worktree changed since its base, with both contents (ignored files such as node_modules excluded). */
export async function worktreeChanges(worktree: TaskWorktree): Promise<WorktreeChange[]> {
  const checkpoint = { ref: '', commit: worktree.baseCommit };
  const changed = await listCheckpointChanges(worktree.path, checkpoint);
  const changes: WorktreeChange[] = [];
  for (const relative of changed) {
    if (relative === '.patchpilot' || relative.startsWith('.patchpilot/')) continue;
    if (isLinkedEntry(worktree, relative)) continue;
    const before = await readFileAtCheckpoint(worktree.path, checkpoint, relative);
    const absolute = path.join(worktree.path, relative);
    const after = fs.existsSync(absolute) && fs.lstatSync(absolute).isFile() ? await fs.promises.readFile(absolute) : null;
    changes.push({ path: relative, before, after });
  }
  return changes;
}

/** A top-level link to the person's ignored entry (node_modules): ours, not a change. */
function isLinkedEntry(worktree: TaskWorktree, relative: string): boolean {
  if (relative.includes('/')) return false;
  try {
    return fs.readlinkSync(path.join(worktree.path, relative)) === path.join(worktree.root, relative);
  } catch {
    return false;
  }
}

/** Removes the worktree, its git bookkeeping and its registry entry; never fails (a missing one is already gone). */
export async function removeWorktree(worktree: Pick<TaskWorktree, 'id' | 'path' | 'root'> & { baseRef?: string }): Promise<void> {
  await run('git', ['-C', worktree.root, 'worktree', 'remove', '--force', worktree.path], { windowsHide: true }).catch(() => undefined);
  if (worktree.baseRef?.startsWith('refs/patchpilot/')) await run('git', ['-C', worktree.root, 'update-ref', '-d', worktree.baseRef], { windowsHide: true }).catch(() => undefined);
  await fs.promises.rm(worktree.path, { recursive: true, force: true }).catch(() => undefined);
  await run('git', ['-C', worktree.root, 'worktree', 'prune'], { windowsHide: true }).catch(() => undefined);
  await fs.promises.rm(path.join(registryDir(worktree.root), `${worktree.id}.json`), { force: true }).catch(() => undefined);
}

/** The registered worktrees of a workspace (kept ones and live ones included). */
export function listWorktrees(root: string): (TaskWorktree & { ownerPid: number; keep: boolean; createdAt: string })[] {
  const dir = registryDir(root);
  if (!fs.existsSync(dir)) return [];
  const entries: RegistryEntry[] = [];
  for (const name of fs.readdirSync(dir).filter((file) => file.endsWith('.json')).sort()) {
    try {
      entries.push(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as RegistryEntry);
    } catch {
      // A half-written entry (a crash while registering): its worktree, if any, is found by git worktree prune.
      fs.rmSync(path.join(dir, name), { force: true });
    }
  }
  return entries;
}

/** Marks a kept worktree as owned by this process again (a resumed queued task), or releases it for cleanup. */
export async function adoptWorktree(root: string, id: string, keep: boolean): Promise<TaskWorktree | null> {
  const file = path.join(registryDir(root), `${id}.json`);
  const entry = listWorktrees(root).find((candidate) => candidate.id === id);
  if (!entry || !fs.existsSync(entry.path)) return null;
  await fs.promises.writeFile(file, `${JSON.stringify({ ...entry, ownerPid: process.pid, keep }, null, 2)}\n`);
  return { id: entry.id, path: entry.path, root: entry.root, baseCommit: entry.baseCommit, baseRef: entry.baseRef, purpose: entry.purpose };
}

/**
 * Removes the worktrees whose owning process is gone and that were not kept: what a crash (or a kill) left behind.
 * Returns what it removed. Called when a task starts, so leftovers never pile up.
 */
export async function cleanupStaleWorktrees(root: string, isAlive: (pid: number) => boolean = processIsAlive): Promise<TaskWorktree[]> {
  const removed: TaskWorktree[] = [];
  for (const entry of listWorktrees(root)) {
    if (entry.keep || isAlive(entry.ownerPid)) continue;
    await removeWorktree(entry);
    removed.push(entry);
  }
  return removed;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Installed dependencies and build output are git-ignored, so a fresh worktree lacks them: the top-level ignored
 * entries (node_modules, .venv, …) are linked in. Protected ones (.env) are not: the sandbox hides them anyway.
 */
export async function linkIgnoredEntries(root: string, worktree: string, isProtected: (relative: string) => boolean): Promise<void> {
  const { stdout } = await run('git', ['-C', root, 'ls-files', '--others', '--ignored', '--exclude-standard', '--directory', '-z'],
    { windowsHide: true, maxBuffer: 64 * 1024 * 1024 }).catch(() => ({ stdout: '' }));
  const topLevel = new Set(stdout.split('\0').filter(Boolean).map((entry) => entry.split('/')[0]));
  for (const name of topLevel) {
    if (name === '.patchpilot' || name === '.git' || isProtected(name) || isProtected(`${name}/`)) continue;
    const target = path.join(worktree, name);
    if (fs.existsSync(target)) continue;
    await fs.promises.symlink(path.join(root, name), target).catch(() => undefined);
  }
}
