// When the agent changed tests or test configuration (allowed in review mode or with --allow-test-edits), "the tests
// pass" must still mean the tests that existed at the start: they are run in a temporary git worktree made from the
// task's checkpoint (the working tree as it was when the task began), with the agent's non-test changes copied in and
// the test fields of package.json kept as they were. The person's working tree is not touched.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { unifiedDiff } from '../../tools/changes/hunks';
import { listCheckpointChanges, readFileAtCheckpoint } from '../../tools/changes/checkpoint';
import type { Checkpoint } from '../../tools/changes/types';
import { createWorktree, removeWorktree } from '../../tools/changes/worktrees';
import type { PathPolicy } from '../policy/pathPolicy';
import { changedPackageTestFields, isTestPath, withOriginalTestFields } from '../policy/testFiles';

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
  // Registered like every task worktree, so one left by a crash mid-verification is removed on the next start.
  const worktree = await createWorktree(root, { purpose: 'original tests', label: 'verify', commit: checkpoint.commit,
    isProtected: (relative) => pathPolicy.isProtectedRelative(relative) });
  try {
    for (const relative of otherChanges) await copyChange(root, worktree.path, relative, checkpoint);
    return await runTests(worktree.path);
  } finally {
    await removeWorktree(worktree);
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

function readText(absolute: string): string | null {
  try {
    return fs.readFileSync(absolute, 'utf8');
  } catch {
    return null;
  }
}
