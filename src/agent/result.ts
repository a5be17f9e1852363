// The task result the CLI prints and writes as its --report JSON.
import { unifiedDiff } from '../tools/changes/hunks';
import type { TestFailure } from '../tools/testparse/types';
import type { StopReason } from './events';
import type { Ending } from './loop';
import type { ProposedFileChange } from './ports';
import type { SessionState } from './state';
import type { LedgerStep } from './verdict/ledger';
import { usagePerVerifiedFix, type Escalation, type ModelShare, type RoleShare, type Usage, type VerifierOutcome } from './orchestrator/costs';
import type { RoleName } from './events';
import type { TriageReport } from './triage/types';

export interface TaskResult {
  taskId: string;
  /** verified: the original tests ran and pass; unverified: finished, nothing proved it; failed / stopped. */
  status: 'verified' | 'unverified' | 'failed' | 'stopped';
  reason: StopReason | null;
  summary: string;
  /** What verified the result: the test command as the task started ('tests'), or nothing (null). */
  verifiedBy: 'tests' | null;
  /** The last verdict in words ("The original tests pass (12 tests ran).", "Completed, not verified: …"). */
  verdict: string | null;
  /** Test files and test configuration the agent changed, for review; the verdict used the originals. */
  testChanges: { path: string; diff: string }[];
  /** Every test run of the task: failing, fixed, regressed, newly failing, not run any more. */
  ledger: LedgerStep[];
  steps: number;
  modelCalls: number;
  usage: { promptTokens: number; completionTokens: number; costUsd: number | null };
  testRuns: { exitCode: number | null; timedOut: boolean; failures: TestFailure[]; passed: number | null; failed: number | null; skipped: number | null; originalTests?: true;
    /** The command that ran (a targeted run's filter command differs from the task's test command). */
    command: string; targeted?: { selected: string[] } }[];
  /** Triage before the first model call: failing and flaky tests and culprit commits; null when it did not run. */
  triage: TriageReport | null;
  changes: { path: string; diff: string }[];
  plan: SessionState['plan'];
  /** What confined the task's commands, which credentials were kept from them, how many test files were protected. */
  safety: {
    sandbox: string;
    requestedSandbox: string;
    enforcedBy: string | null;
    note: string;
    envDropped: string[];
    testFilesProtected: number;
    allowHosts: string[];
  } | null;
  /** Calls, tokens and cost per role (only `coder` without roles); `model` is the role's last (after escalation, the strong one). */
  roles: Partial<Record<RoleName, RoleShare>>;
  /** The same per model name, so an escalation's two models are told apart. */
  usageByModel: Record<string, ModelShare>;
  /** When the coder switched to the stronger model, and why; null when it did not. */
  escalation: Escalation | null;
  /** The verifier role's last verdict and how often it sent the coder back; null without roles. It never changes `status`. */
  verifier: VerifierOutcome | null;
  /** The task's whole usage when the tests verified it, else null: what one verified fix cost. */
  usagePerVerifiedFix: Usage | null;
}

export interface RoleAccounting {
  roles: TaskResult['roles'];
  usageByModel: TaskResult['usageByModel'];
  escalation: Escalation | null;
  verifier: VerifierOutcome | null;
}

export function buildResult(state: SessionState, ending: Ending, changes: ProposedFileChange[], safety: TaskResult['safety'] = null,
  mask: (text: string) => string = (text) => text, ledger: LedgerStep[] = [],
  accounting: RoleAccounting = { roles: {}, usageByModel: {}, escalation: null, verifier: null }): TaskResult {
  return {
    taskId: state.taskId,
    status: ending.status,
    reason: ending.reason,
    summary: ending.summary,
    verifiedBy: ending.status === 'verified' ? 'tests' : null,
    verdict: state.verdict ?? null,
    testChanges: (state.testChanges ?? []).map((change) => ({ path: change.path, diff: mask(change.diff) })),
    ledger,
    steps: state.steps,
    modelCalls: state.steps,
    usage: { ...state.usage },
    testRuns: state.testRuns.map((run) => ({ exitCode: run.exitCode, timedOut: run.timedOut, failures: run.failures, passed: run.passed, failed: run.failed,
      skipped: run.skipped ?? null, ...(run.originalTests ? { originalTests: true } : {}), command: mask(run.command), ...(run.targeted ? { targeted: run.targeted } : {}) })),
    triage: state.triage ?? null,
    changes: changes.map((change) => ({ path: change.path, diff: mask(unifiedDiff(change.path, change.before, change.after)) })),
    plan: state.plan,
    safety,
    roles: structuredClone(accounting.roles),
    usageByModel: structuredClone(accounting.usageByModel),
    escalation: accounting.escalation,
    verifier: accounting.verifier,
    usagePerVerifiedFix: usagePerVerifiedFix(ending.status, state.usage),
  };
}
