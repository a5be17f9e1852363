// The task result the CLI prints and writes as its --report JSON.
import { unifiedDiff } from '../tools/changes/hunks';
import type { TestFailure } from '../tools/testparse/types';
import type { StopReason } from './events';
import type { Ending } from './loop';
import type { ProposedFileChange } from './ports';
import type { SessionState } from './state';

export interface TaskResult {
  taskId: string;
  status: 'verified' | 'failed' | 'stopped';
  reason: StopReason | null;
  summary: string;
  /** How the result was verified: by the test command, or only by the model saying it finished. */
  verifiedBy: 'tests' | 'model' | null;
  steps: number;
  modelCalls: number;
  usage: { promptTokens: number; completionTokens: number; costUsd: number | null };
  testRuns: { exitCode: number | null; timedOut: boolean; failures: TestFailure[] }[];
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
}

export function buildResult(state: SessionState, ending: Ending, changes: ProposedFileChange[], safety: TaskResult['safety'] = null, mask: (text: string) => string = (text) => text): TaskResult {
  return {
    taskId: state.taskId,
    status: ending.status,
    reason: ending.reason,
    summary: ending.summary,
    verifiedBy: ending.status !== 'verified' ? null : state.config.testCommand ? 'tests' : 'model',
    steps: state.steps,
    modelCalls: state.steps,
    usage: { ...state.usage },
    testRuns: state.testRuns.map((run) => ({ exitCode: run.exitCode, timedOut: run.timedOut, failures: run.failures })),
    changes: changes.map((change) => ({ path: change.path, diff: mask(unifiedDiff(change.path, change.before, change.after)) })),
    plan: state.plan,
    safety,
  };
}
