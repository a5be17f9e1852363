// A task's result kept as a proposal instead of being written over the person's files: the changes of its worktree
// as one git patch (binary-safe, `git apply`-able) under `.patchpilot/proposals/`, and applying such a patch later,
// all or nothing. Used by the queue (worktree mode) and by watch mode.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { worktreeChanges, type TaskWorktree } from '../../tools/changes/worktrees';
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
 * nothing. The diff comes from git itself (staged in the worktree's own index, which belongs to the worktree only),
 * so new, deleted and binary files come out exactly.
 */
export async function writeWorktreeProposal(worktree: TaskWorktree, name: string): Promise<Proposal | null> {
  const changes = await worktreeChanges(worktree);
  if (changes.length === 0) return null;
  const files = changes.map((change) => change.path);
  const pathspec = files.map((file) => `:(literal)${file}`).join('\0');
  await gitWithInput(worktree.path, ['add', '-A', '--pathspec-from-file=-', '--pathspec-file-nul'], pathspec);
  const { stdout } = await run('git', ['-C', worktree.path, 'diff', '--cached', '--binary', '--no-color', '--no-ext-diff', worktree.baseCommit,
    '--', ...files.map((file) => `:(literal)${file}`)], { maxBuffer: 256 * 1024 * 1024, windowsHide: true });
  const dir = ensureProposalsDir(worktree.root);
  const patchPath = path.join(dir, `${name}.patch`);
  writeFileAtomic(patchPath, stdout);
  return { patchPath, files };
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

function gitWithInput(cwd: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', ['-C', cwd, ...args], { windowsHide: true }, (error) => (error ? reject(error) : resolve()));
    child.stdin?.end(input);
  });
}
