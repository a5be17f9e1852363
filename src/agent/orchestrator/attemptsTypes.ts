// The shapes of parallel attempts as the journal and the --report JSON carry them (a contract: README, Report).
import type { LedgerStep } from '../verdict/ledger';

/** One attempt as reported: `{id, model, status, verified, failingTests, regressions, diffLines, usage}` and what to view it by. */
export interface AttemptReport {
  /** "attempt-1", "attempt-2", … */
  id: string;
  /** The model that served it. */
  model: string;
  status: 'verified' | 'unverified' | 'failed' | 'stopped';
  reason: string | null;
  /** The verdict of its last verification was `verified`. */
  verified: boolean;
  /** Failing tests in the last test run that saw its final code (null: none did). */
  failingTests: number | null;
  /** Tests that passed earlier in the attempt and fail in that run (null: unknown). */
  regressions: number | null;
  /** Lines added plus removed across its changes (test files included). */
  diffLines: number;
  usage: { promptTokens: number; completionTokens: number; costUsd: number | null };
  steps: number;
  verdict: string | null;
  summary: string;
  /** The attempt's own task id and journal, kept after its worktree is removed. */
  taskId: string;
  journal: string;
  /** Its changes against the checkpoint, as unified diffs, so an unchosen attempt stays viewable. */
  changes: { path: string; diff: string }[];
  ledger: LedgerStep[];
}

/** What the judge decided, as journaled and reported. */
export interface AttemptsJudgement {
  chosen: string | null;
  ranking: string[];
  reasons: string[];
  ties: string[][];
}

/** The chosen attempt's changes in the person's tree: written, or left alone because the person changed the file. */
export interface AttemptApplication {
  attempt: string;
  applied: string[];
  conflicts: { path: string; reason: string }[];
}
