// Verification when the model says it is done: runs the tests (the original ones, in a worktree, when the agent
// changed tests), reads the ledger, asks the verdict, and says to the model what it means — regressions, fixed
// tests, tests that no longer run. The loop only calls verify(); the verdict itself is a pure function.
import type { ChangeSet } from '../tools/changes/changeSet';
import { unifiedDiff } from '../tools/changes/hunks';
import type { TestRunRecord } from '../tools/types';
import type { SessionGates } from './gates';
import type { Ending } from './loop';
import { isTestPath } from './policy/testFiles';
import type { PathPolicy } from './policy/pathPolicy';
import { verificationFailed, verificationPassed } from './prompts';
import type { SessionState } from './state';
import type { TestLedger } from './verdict/ledger';
import { changesSinceStart, withOriginalTests, type TestChange } from './verdict/originalTests';
import { decideVerdict, type Verdict } from './verdict/verdict';

export interface VerifierDeps {
  state: SessionState;
  gates: SessionGates;
  ledger: TestLedger;
  changeSet: ChangeSet;
  root: string;
  pathPolicy: PathPolicy;
  diffSoFar(): string;
  /** A guard stop raised while the tests ran (no progress): the loop ends after this step. */
  pendingStopMessage(): string | null;
}

export interface Verification {
  /** What the model is told (the tool result of finish, or the next user message). */
  message: string;
  ending: Ending | null;
  verdict: Verdict;
}

export class Verifier {
  constructor(private readonly deps: VerifierDeps) {}

  async verify(summary: string): Promise<Verification> {
    const { state } = this.deps;
    const testChanges = await this.testChanges();
    state.testChanges = testChanges;
    const run = await this.runDecidingTests(testChanges);
    const step = run ? this.deps.ledger.steps[this.deps.ledger.steps.length - 1] ?? null : null;
    const baseline = state.baselineRun !== undefined && state.baselineRun !== null ? state.testRuns[state.baselineRun] ?? null : null;
    const verdict = decideVerdict({ testCommand: state.config.testCommand, run, step, baseline, testChanges: testChanges.map((c) => c.path) });
    state.verdict = verdict.summary;
    if (verdict.status === 'verified') {
      return { verdict, message: verificationPassed(verdict.summary), ending: { status: 'verified', reason: null, summary: joinSummary(summary, verdict.summary) } };
    }
    if (verdict.status === 'unverified') {
      return { verdict, message: `Finished. ${verdict.summary}`, ending: { status: 'unverified', reason: 'finished_unverified', summary: joinSummary(summary, verdict.summary) } };
    }
    state.verificationAttempts++;
    const stop = this.deps.pendingStopMessage();
    if (stop) return { verdict, message: stop, ending: null };
    state.awaitingReflection = true;
    return { verdict, message: verificationFailed(run, verdict.summary, step, this.deps.diffSoFar(), state.verificationAttempts), ending: null };
  }

  /** Test files and test configuration that differ from the start of the task. */
  private async testChanges(): Promise<TestChange[]> {
    const { state, root } = this.deps;
    if (state.checkpoint) {
      const found = await changesSinceStart(root, state.checkpoint).catch(() => null);
      if (found) return found.testChanges;
    }
    // No checkpoint (not a git repository): the agent's own writes are all we know of.
    return this.deps.changeSet.proposed().filter((change) => isTestPath(change.path))
      .map((change) => ({ path: change.path, diff: unifiedDiff(change.path, change.before, change.after) }));
  }

  private async runDecidingTests(testChanges: TestChange[]): Promise<TestRunRecord | null> {
    const { state, gates, root, pathPolicy } = this.deps;
    if (testChanges.length === 0 || !state.checkpoint) return gates.runTests(true);
    const checkpoint = state.checkpoint;
    const { otherChanges } = await changesSinceStart(root, checkpoint);
    return withOriginalTests(root, checkpoint, otherChanges, pathPolicy, (worktree) => gates.runTests(true, { cwd: worktree, originalTests: true }));
  }
}

function joinSummary(model: string, verdict: string): string {
  return model.trim() ? `${model.trim()} — ${verdict}` : verdict;
}
