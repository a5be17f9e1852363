// Names the commit that broke a failing test: `git bisect` over the last N commits, in a temporary worktree, so the
// person's working tree, HEAD, index and any bisection of their own are never touched (a linked worktree keeps its
// own BISECT_* files and refs/bisect/*). Not `git bisect run`: that would execute the test command itself, outside
// the sandbox. Instead each step's test run goes through the session's gates (same runner, same sandbox) and its
// result is told to git with `git bisect good|bad|skip`. Hooks are switched off for every git call here.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { TestRunRecord } from '../../tools/types';
import { outcomeFor, parseBisectOutput, parseCommitShow, type SelectedOutcome } from './classify';
import type { BisectSettings, TriageCulprit } from './types';

const execFileAsync = promisify(execFile);

export interface BisectDeps {
  root: string;
  /** Runs a test command in `cwd` through the session's gates (sandboxed) and parses it. */
  runSelected(command: string, cwd: string): Promise<TestRunRecord>;
  /** Links the root's ignored entries (node_modules, .venv) into the worktree. */
  linkDependencies(worktree: string): Promise<void>;
  mask(text: string): string;
  now(): number;
  /** Each step, for the journal. */
  onStep?(step: { test: string; commit: string; outcome: SelectedOutcome; command: string }): void;
}

/** Bisects one test whose filter command is `command`; `deadline` is a clock time shared by all bisections. */
export async function findCulprit(deps: BisectDeps, test: string, command: string, settings: BisectSettings, deadline: number): Promise<TriageCulprit> {
  const root = deps.root;
  const history = await git(root, ['rev-list', '--first-parent', `--max-count=${settings.depth + 1}`, 'HEAD']).catch(() => null);
  const commits = history?.stdout.split('\n').filter(Boolean) ?? [];
  if (commits.length < 2) return { test, commit: null, note: 'the repository has fewer than two commits: nothing to bisect', runs: 0 };
  const head = commits[0];
  const oldest = commits[commits.length - 1];
  const worktree = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'patchpilot-bisect-'));
  let runs = 0;
  const at = async (commit: string): Promise<SelectedOutcome> => {
    runs++;
    const run = await deps.runSelected(command, worktree);
    const outcome = outcomeFor(test, run);
    deps.onStep?.({ test, commit, outcome, command });
    return outcome;
  };
  try {
    await git(root, ['worktree', 'add', '--detach', '--force', worktree, head]);
    await deps.linkDependencies(worktree);
    const atHead = await at(head);
    if (atHead === 'passed') return { test, commit: null, note: 'passes at HEAD: the failure comes from uncommitted changes in the working tree', runs };
    if (atHead !== 'failed') return { test, commit: null, note: `could not be run by itself at HEAD (${atHead})`, runs };
    await git(worktree, ['checkout', '--detach', '-q', oldest]);
    const atOldest = await at(oldest);
    if (atOldest === 'failed') return { test, commit: null, note: `fails at every one of the last ${commits.length} commits (since ${oldest.slice(0, 10)}): it broke earlier`, runs };
    if (atOldest !== 'passed') return { test, commit: null, note: `no passing commit to start from: at ${oldest.slice(0, 10)} it was ${atOldest === 'not_selected' ? 'absent' : 'inconclusive'}`, runs };
    let status = parseBisectOutput((await git(worktree, ['bisect', 'start', head, oldest])).stdout);
    while (status.kind === 'continue' || status.kind === 'unknown') {
      if (runs >= settings.maxRunsPerTest + 2) return { test, commit: null, note: `stopped after ${runs} runs (cap ${settings.maxRunsPerTest + 2})`, runs };
      if (deps.now() >= deadline) return { test, commit: null, note: 'stopped: the bisection time budget was spent', runs };
      const current = (await git(worktree, ['rev-parse', 'HEAD'])).stdout.trim();
      const outcome = await at(current);
      const mark = outcome === 'failed' ? 'bad' : outcome === 'passed' ? 'good' : 'skip';
      const next = parseBisectOutput((await git(worktree, ['bisect', mark])).stdout);
      if (next.kind === 'unknown' && status.kind === 'unknown') return { test, commit: null, note: 'git bisect gave no answer', runs };
      status = next;
    }
    if (status.kind === 'ambiguous') {
      return { test, commit: null, candidates: status.candidates, note: `one of ${status.candidates.length} commits (some could not be tested)`, runs };
    }
    const shown = await git(root, ['show', '--no-color', '--format=%H%n%an%n%aI%n%s', '--stat', '--patch', status.commit]);
    const info = parseCommitShow(shown.stdout, settings.maxDiffChars);
    if (!info) return { test, commit: status.commit, note: 'found by git bisect (its details could not be read)', runs };
    return {
      test, commit: info.commit, subject: deps.mask(info.subject), author: info.author, date: info.date, diff: deps.mask(info.diff),
      ...(info.diffTruncated ? { diffTruncated: true } : {}), note: `found by git bisect over the last ${commits.length} commits`, runs,
    };
  } finally {
    await git(worktree, ['bisect', 'reset']).catch(() => undefined);
    await git(root, ['worktree', 'remove', '--force', worktree]).catch(() => undefined);
    await fs.promises.rm(worktree, { recursive: true, force: true }).catch(() => undefined);
    await git(root, ['worktree', 'prune']).catch(() => undefined);
  }
}

function git(cwd: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  // No hooks (a post-checkout hook would run unconfined) and no pager; output in English so it can be read.
  return execFileAsync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'advice.detachedHead=false', '-C', cwd, ...args],
    { windowsHide: true, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat' } });
}
