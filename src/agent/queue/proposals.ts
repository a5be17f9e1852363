// A task's result kept as a proposal instead of being written over the person's files: the changes of its worktree
// as one git patch (binary-safe, `git apply`-able) under `.patchpilot/proposals/`, and applying such a patch later,
// all or nothing. Used by the queue (worktree mode) and by watch mode.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { TaskFileChange } from '../../tools/changes/rebase';
import type { TaskWorktree } from '../../tools/changes/worktrees';
import { PROPOSALS_DIR, writeFileAtomic } from './store';

const run = promisify(execFile);

export interface Proposal {
  /** Absolute path of the patch file. */
  patchPath: string;
  /** The paths it changes. */
  files: string[];
}

/** Creates the proposals folder with its own .gitignore (proposals are for review, not for the person's commits). */
export function ensureProposalsDir(root: string): string {
  const dir = path.join(root, PROPOSALS_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const ignore = path.join(dir, '.gitignore');
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '*\n');
  return dir;
}

/**
 * Writes the worktree's changes since its base as `<name>.patch` in the proposals folder; null when it changed
 * nothing. The diff comes from git itself, so new, deleted and binary files come out exactly. It is staged in a scratch
 * index seeded from the base tree, not a copy of the worktree's index: a file edited within the same second as the
 * checkout, keeping its size, looks unchanged to an index that has its stat data (git trusts size + mtime in seconds).
 */
export async function writeWorktreeProposal(worktree: TaskWorktree, name: string): Promise<Proposal | null> {
  const scratch = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'patchpilot-proposal-'));
  const env = { ...process.env, GIT_INDEX_FILE: path.join(scratch, 'index') };
  try {
    await run('git', ['-C', worktree.path, 'read-tree', worktree.baseCommit], { env, windowsHide: true });
    const excluded = [':(exclude).patchpilot', ...linkedEntries(worktree).map((entry) => `:(exclude,literal)${entry}`)];
    await run('git', ['-C', worktree.path, 'add', '-A', '--', '.', ...excluded], { env, windowsHide: true });
    const { stdout: names } = await run('git', ['-C', worktree.path, 'diff', '--cached', '--name-only', '-z', '--no-renames', worktree.baseCommit], { env, windowsHide: true });
    const files = names.split('\0').filter(Boolean);
    if (files.length === 0) return null;
    // --full-index: the blob ids stay unambiguous, so the proposal can be reviewed file by file later (proposalChanges).
    const { stdout } = await run('git', ['-C', worktree.path, 'diff', '--cached', '--binary', '--full-index', '--no-color', '--no-ext-diff', '--no-renames', worktree.baseCommit],
      { env, maxBuffer: 256 * 1024 * 1024, windowsHide: true });
    const dir = ensureProposalsDir(worktree.root);
    const patchPath = path.join(dir, `${name}.patch`);
    writeFileAtomic(patchPath, stdout);
    return { patchPath, files };
  } finally {
    await fs.promises.rm(scratch, { recursive: true, force: true });
  }
}

/** Top-level links to the person's ignored entries (node_modules) that the worktree was given: not changes. */
function linkedEntries(worktree: TaskWorktree): string[] {
  return fs.readdirSync(worktree.path).filter((name) => {
    try {
      return fs.readlinkSync(path.join(worktree.path, name)) === path.join(worktree.root, name);
    } catch {
      return false;
    }
  });
}

export class ProposalApplyError extends Error {}

/**
 * Applies a proposal to the person's working tree: checked first, so a patch that no longer fits (the files changed
 * since) writes nothing and says which file did not fit.
 */
export async function applyProposal(root: string, patchPath: string): Promise<string[]> {
  if (!fs.existsSync(patchPath)) throw new ProposalApplyError(`The patch ${patchPath} is gone.`);
  try {
    await run('git', ['-C', root, 'apply', '--check', '--whitespace=nowarn', patchPath], { windowsHide: true });
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
    throw new ProposalApplyError(`The patch does not apply to the files as they are now; nothing was written.\n${stderr}\n`
      + `Look at it with \`git apply --stat ${patchPath}\`, or try \`git apply --3way ${patchPath}\`.`);
  }
  await run('git', ['-C', root, 'apply', '--whitespace=nowarn', patchPath], { windowsHide: true });
  const { stdout } = await run('git', ['-C', root, 'apply', '--numstat', patchPath], { windowsHide: true });
  return stdout.split('\n').filter(Boolean).map((line) => line.split('\t').slice(2).join('\t'));
}

/**
 * A proposal's changes as whole files (before and after), for a review against the person's current files like a
 * background task's: the patch names each file's blobs, which its worktree wrote into the repository's object store
 * (worktrees share it). A blob git has pruned since (weeks later, after `git gc`) makes this fail with what to do instead.
 */
export async function proposalChanges(root: string, patchPath: string): Promise<TaskFileChange[]> {
  if (!fs.existsSync(patchPath)) throw new ProposalApplyError(`The patch ${patchPath} is gone.`);
  const { stdout: numstat } = await run('git', ['-C', root, 'apply', '--numstat', '-z', patchPath], { windowsHide: true });
  // -z: "added<TAB>deleted<TAB>path<NUL>" per file, in the patch's order (no renames: --no-renames wrote it).
  const paths = numstat.split('\0').filter(Boolean).map((record) => record.split('\t').slice(2).join('\t'));
  const blocks = fs.readFileSync(patchPath, 'utf8').split(/^diff --git /m).slice(1);
  if (blocks.length !== paths.length) throw new ProposalApplyError(`The patch ${patchPath} could not be read file by file.`);
  const changes: TaskFileChange[] = [];
  for (const [i, block] of blocks.entries()) {
    const ids = /^index ([0-9a-f]+)\.\.([0-9a-f]+)/m.exec(block);
    if (!ids) continue; // a mode change only: nothing to review line by line
    changes.push({ path: paths[i], before: await blob(root, ids[1], patchPath), after: await blob(root, ids[2], patchPath) });
  }
  return changes;
}

async function blob(root: string, id: string, patchPath: string): Promise<Buffer | null> {
  if (/^0+$/.test(id)) return null;
  try {
    const { stdout } = await run('git', ['-C', root, 'cat-file', 'blob', id], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024, windowsHide: true });
    return stdout;
  } catch {
    throw new ProposalApplyError(`The files of ${path.basename(patchPath)} are no longer in git's object store, so it cannot be reviewed hunk by hunk; `
      + `apply it whole with \`git apply ${patchPath}\` (checked first).`);
  }
}
