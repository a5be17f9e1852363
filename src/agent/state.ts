// The mutable state of one task, rebuilt from the journal on resume.
import type { TaskConfigSnapshot } from './events';
import type { ChatMessage, TokenUsage } from './ports';
import type { PlanItem, TestRunRecord } from '../tools/types';
import type { TriageReport } from './triage/types';

export interface SessionState {
  taskId: string;
  config: TaskConfigSnapshot;
  messages: ChatMessage[];
  plan: PlanItem[];
  /** Model calls made (the unit of the step budget). */
  steps: number;
  usage: TokenUsage;
  testRuns: TestRunRecord[];
  verificationAttempts: number;
  /** The next model reply follows a failed verification: its text is the reflection. */
  awaitingReflection: boolean;
  checkpoint: { ref: string; commit: string } | null;
  checkpointTaken: boolean;
  /** When this run (or resumed run) started; the wall-time budget counts from here. */
  runStartedAt: number;
  /** The test files protected for this task, as found when it first started (null: not protected). */
  testFilesAtStart?: string[] | null;
  /** Index in testRuns of the first run made before any file changed: what "ran at the start" means. */
  baselineRun?: number | null;
  /** Test files the agent changed, found at the last verification. */
  testChanges?: { path: string; diff: string }[];
  /** The last verdict, in words. */
  verdict?: string;
  /** Triage before the first model call (undefined: not run; null: asked for, but there was nothing to run). */
  triage?: TriageReport | null;
}
