// Every event of a task: appended to the journal (JSON Lines), streamed to the CLI and the review panel.
import type { ChatMessage, TokenUsage } from './ports';
import type { FileChange } from '../tools/edits/types';
import type { PlanItem, TestRunRecord, ToolErrorCode } from '../tools/types';
import type { LedgerStep } from './verdict/ledger';
import type { TriageReport } from './triage/types';
import type { AttemptApplication, AttemptReport, AttemptsJudgement } from './orchestrator/attemptsTypes';

/** `unverified`: the model finished and nothing failed, but nothing proved the goal (no test command, no tests ran). */
export type TaskStatus = 'running' | 'verified' | 'unverified' | 'failed' | 'stopped';

/** Why a task ended without being verified. */
export type StopReason =
  | 'max_steps' | 'max_tokens' | 'max_cost' | 'max_time'
  | 'repeated_call' | 'no_progress' | 'cancelled' | 'model_error'
  | 'tests_failing' | 'finished_unverified' | 'rejected'
  /** Three malformed or schema-invalid tool calls in a row. */
  | 'invalid_calls'
  /** Three replies in a row with neither a tool call nor finish. */
  | 'no_tool_calls';

export interface TaskConfigSnapshot {
  goal: string;
  /** The task in the person's own words, when the goal sent to the model was expanded (mentions, templates). */
  title?: string;
  cwd: string;
  testCommand: string | null;
  approval: 'auto' | 'ask';
  model: string;
  budgets: Budgets;
  /** The read-only roles' models, when the task runs with roles. */
  roles?: { planner: string; verifier: string };
  /** The model the coder escalates to on no progress. */
  escalateModel?: string;
}

export interface Budgets {
  maxSteps: number;
  maxTokens: number | null;
  maxCostUsd: number | null;
  maxWallMs: number | null;
  /** Identical tool calls (name + arguments) allowed before the task stops. */
  maxRepeatedCalls: number;
  /** Failed verifications with the same failure signature allowed before the task stops. */
  maxSameFailures: number;
}

/** The roles of a task run with roles (src/agent/orchestrator): each is the same loop with its own tools, prompt and model. */
export type RoleName = 'planner' | 'coder' | 'verifier';

/** `role`: which role acted, on every event of a task run with roles (absent without roles, and between phases). */
interface EventBase { seq: number; time: number; role?: RoleName }

export type TaskEventBody =
  | { type: 'task_started'; taskId: string; config: TaskConfigSnapshot }
  | { type: 'task_resumed'; taskId: string }
  /** A finished task goes on: the person rejected part of its result, or sent a follow-up. */
  | { type: 'task_reopened'; reason: string }
  /** A message the person sent to the task; it reached the model at the next safe point (the message event follows). */
  | { type: 'follow_up'; text: string }
  | { type: 'message'; message: ChatMessage }
  | { type: 'model_reply'; step: number; content: string; toolCalls: { id: string; name: string; argumentsText: string }[]; usage: TokenUsage; attempts: number;
      /** The tool calls were written as text in the reply (a server without a tool-call parser), and parsed from it. */
      toolCallsFromText?: string;
      /** The configured name of the model that replied (roles and escalation can change it within a task). */
      model?: string }
  | { type: 'model_retry'; attempt: number; reason: string; delayMs: number }
  | { type: 'tool_started'; step: number; id: string; name: string; args: unknown }
  | { type: 'tool_finished'; step: number; id: string; name: string; ok: boolean; code?: ToolErrorCode; summary: string;
      /** The exit code of a command or test run, so displays mark a failing run as failing. */
      exitCode?: number | null }
  | { type: 'plan_updated'; items: PlanItem[] }
  | { type: 'file_changed'; change: FileChange }
  | { type: 'checkpoint'; ref: string | null; commit: string | null }
  | { type: 'test_run'; run: TestRunRecord; signature: string; verification: boolean; ledger?: LedgerStep }
  /** The verdict of a verification, in words (also when it failed). */
  | { type: 'verdict'; status: 'verified' | 'unverified' | 'failing'; summary: string; testChanges: string[] }
  | { type: 'reflection'; text: string; attempt: number }
  | { type: 'review'; accepted: number; rejected: number; feedback: string[] }
  | { type: 'memory_noted'; note: string }
  /** The person's answer to a command outside the allow rules: journaled, so a task's record says who allowed what. */
  | { type: 'command_approval'; command: string; reason: string; approved: boolean }
  /** What protects everything outside the task, decided once when it starts (or resumes). */
  | { type: 'safety'; sandbox: { requested: string; active: string; enforcedBy: string | null; note: string }; droppedEnv: string[]; testFiles: string[] | null; allowHosts: string[] }
  /** One command or test run: how it was confined and how it ended (the policy's decision is in tool_finished). */
  | { type: 'command_run'; command: string; purpose: 'command' | 'test'; sandbox: string; exitCode: number | null; blocked: boolean }
  /** A connection through the sandbox's proxy, allowed or refused. */
  | { type: 'network'; host: string; allowed: boolean }
  /** An MCP server of the task: connected (with its tools), failed to start, or stopped. */
  | { type: 'mcp_server'; server: string; state: 'started' | 'failed' | 'stopped'; detail: string }
  /** Whether an MCP tool call was let through: allowed by the rules, asked, always-allowed, or refused. */
  | { type: 'mcp_approval'; server: string; tool: string; approved: boolean; how: 'allowed' | 'asked' | 'always' | 'refused' }
  /** One run of triage before the first model call: a failing test by itself, its re-run, or a bisection step. */
  | { type: 'triage_run'; purpose: 'isolate' | 'rerun' | 'bisect'; test: string; command: string; outcome: 'failed' | 'passed' | 'not_selected' | 'inconclusive'; commit?: string }
  /** What triage found: failing and flaky tests, culprit commits, the bounds it reached. */
  | { type: 'triage'; report: TriageReport }
  | { type: 'warning'; message: string }
  /** A role's phase begins (roles on): which model acts, and why this phase runs now. */
  | { type: 'role_started'; model: string; reason: string }
  /** The planner's result: the steps and, for a requirement, the acceptance criteria the verifier judges against. */
  | { type: 'planned'; steps: string[]; acceptanceCriteria: string[]; notes: string }
  /** The verifier's judgement of the coder's result. It never changes the tests' verdict; it can only send the coder back. */
  | { type: 'role_verdict'; decision: 'agree' | 'send_back'; reasons: string[]; round: number; sentBack: boolean }
  /** The coder switched to the stronger model instead of stopping (once per task). */
  | { type: 'escalated'; from: string; to: string; reason: string; step: number }
  | { type: 'context_condensed'; beforeTokens: number; afterTokens: number }
  /** Parallel attempts (src/agent/orchestrator/attempts.ts): started in worktrees, each finished, judged, applied. */
  | { type: 'attempts_started'; count: number; parallel: number; models: string[]; budgets: Budgets; worktrees: string[] }
  | { type: 'attempt_finished'; attempt: AttemptReport }
  | { type: 'attempts_judged'; judgement: AttemptsJudgement }
  | { type: 'attempt_applied'; application: AttemptApplication }
  | { type: 'task_finished'; status: Exclude<TaskStatus, 'running'>; reason: StopReason | null; summary: string };

export type TaskEvent = TaskEventBody & EventBase;
export type TaskEventType = TaskEvent['type'];
