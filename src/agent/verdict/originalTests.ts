// When the agent changed tests or test configuration (allowed in review mode or with --allow-test-edits), "the tests
// pass" must still mean the tests that existed at the start: they are run in a temporary git worktree made from the
// task's checkpoint (the working tree as it was when the task began), with the agent's non-test changes copied in and
// the test fields of package.json kept as they were. The person's working tree is not touched.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { unifiedDiff } from '../../tools/changes/hunks';
import { listCheckpointChanges, readFileAtCheckpoint } from '../../tools/changes/checkpoint';
import type { Checkpoint } from '../../tools/changes/types';
import type { PathPolicy } from '../policy/pathPolicy';
import { changedPackageTestFields, isTestPath, withOriginalTestFields } from '../policy/testFiles';

const run = promisify(execFile);

export interface TestChange {
  path: string;
  /** What the agent changed, as a diff against the start, for the person to review. */
  diff: string;
}

export interface ChangesSinceStart {
  testChanges: TestChange[];
  /** Every other path that differs from the start (to copy into the worktree). */
  otherChanges: string[];
}

/** Splits what changed since the checkpoint into test changes and the rest. */
export async function changesSinceStart(root: string, checkpoint: Checkpoint): Promise<ChangesSinceStart> {
  const changed = await listCheckpointChanges(root, checkpoint);
  const testChanges: TestChange[] = [];
  const otherChanges: string[] = [];
  for (const relative of changed) {
    if (relative.startsWith('.patchpilot/')) continue;
    const before = (await readFileAtCheckpoint(root, checkpoint, relative))?.toString('utf8') ?? null;
    const after = readText(path.join(root, relative));
    if (isTestPath(relative)) {
      testChanges.push({ path: relative, diff: unifiedDiff(relative, before, after) });
      continue;
    }
    otherChanges.push(relative);
    if (path.posix.basename(relative) === 'package.json' && before !== null && after !== null) {
      const fields = changedPackageTestFields(before, after);
      if (fields.length) testChanges.push({ path: `${relative} (${fields.join(', ')})`, diff: unifiedDiff(relative, before, after) });
    }
  }
  return { testChanges, otherChanges };
}

/**
 * Runs `runTests(cwd)` in a worktree holding the start's tests and the agent's other changes; removes the worktree
 * afterwards, whatever happens.
 */
export async function withOriginalTests<T>(root: string, checkpoint: Checkpoint, otherChanges: string[], pathPolicy: PathPolicy,
  runTests: (worktree: string) => Promise<T>): Promise<T> {
  const worktree = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'patchpilot-verify-'));
  await run('git', ['-C', root, 'worktree', 'add', '--detach', '--force', worktree, checkpoint.commit], { windowsHide: true });
  try {
    for (const relative of otherChanges) await copyChange(root, worktree, relative, checkpoint);
    await linkIgnoredEntries(root, worktree, pathPolicy);
    return await runTests(worktree);
  } finally {
    await run('git', ['-C', root, 'worktree', 'remove', '--force', worktree], { windowsHide: true }).catch(() => undefined);
    await fs.promises.rm(worktree, { recursive: true, force: true }).catch(() => undefined);
    await run('git', ['-C', root, 'worktree', 'prune'], { windowsHide: true }).catch(() => undefined);
  }
}

async function copyChange(root: string, worktree: string, relative: string, checkpoint: Checkpoint): Promise<void> {
  const source = path.join(root, relative);
  const target = path.join(worktree, relative);
  const current = fs.existsSync(source) ? await fs.promises.readFile(source) : null;
  if (current === null) {
    await fs.promises.rm(target, { force: true });
    return;
  }
  let content: Buffer | string = current;
  if (path.posix.basename(relative) === 'package.json') {
    const original = (await readFileAtCheckpoint(root, checkpoint, relative))?.toString('utf8');
    if (original !== undefined) content = withOriginalTestFields(original, current.toString('utf8'));
  }
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  await fs.promises.writeFile(target, content);
}

/**
 * Installed dependencies and build output are git-ignored, so a fresh worktree lacks them: the top-level ignored
 * entries (node_modules, .venv, …) are linked in. Protected ones (.env) are not: the sandbox hides them anyway.
 */
export async function linkIgnoredEntries(root: string, worktree: string, pathPolicy: PathPolicy): Promise<void> {
  const { stdout } = await run('git', ['-C', root, 'ls-files', '--others', '--ignored', '--exclude-standard', '--directory', '-z'],
    { windowsHide: true, maxBuffer: 64 * 1024 * 1024 }).catch(() => ({ stdout: '' }));
  const topLevel = new Set(stdout.split('\0').filter(Boolean).map((entry) => entry.split('/')[0]));
  for (const name of topLevel) {
    if (name === '.patchpilot' || name === '.git' || pathPolicy.isProtectedRelative(name) || pathPolicy.isProtectedRelative(`${name}/`)) continue;
    const target = path.join(worktree, name);
    if (fs.existsSync(target)) continue;
    await fs.promises.symlink(path.join(root, name), target).catch(() => undefined);
  }
}

function readText(absolute: string): string | null {
  try {
    return fs.readFileSync(absolute, 'utf8');
  } catch {
    return null;
  }
}
