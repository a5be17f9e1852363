// View models of the review panel: plain JSON data the host derives from task events and the webview renders.
import type { TestFailure } from '../tools/testparse/types';

export type PanelStatus = 'idle' | 'running' | 'review' | 'verified' | 'unverified' | 'failed' | 'stopped';

export interface PlanItemView {
  title: string;
  status: 'pending' | 'in_progress' | 'done';
}

export interface MeterView {
  steps: number;
  maxSteps: number | null;
  tokens: number;
  maxTokens: number | null;
  /** Null when the model's price is unknown: the panel shows tokens only. */
  costUsd: number | null;
  maxCostUsd: number | null;
  startedAt: number | null;
  maxWallMs: number | null;
}

export type TimelineEntry =
  /** The person's own words: the task as they typed it, or a follow-up message. */
  | { kind: 'user'; text: string; followUp: boolean }
  | { kind: 'model'; step: number; text: string }
  | { kind: 'tool'; id: string; step: number; name: string; argsText: string; state: 'running' | 'ok' | 'error'; summary: string; code?: string }
  | { kind: 'test'; command: string; exitCode: number | null; timedOut: boolean; passed: number | null; failed: number | null;
      failures: TestFailure[]; output: string; verification: boolean }
  | { kind: 'reflection'; attempt: number; text: string }
  | { kind: 'file'; path: string; added: number; removed: number }
  | { kind: 'note'; level: 'info' | 'warning' | 'error'; text: string }
  | { kind: 'finished'; status: string; reason: string | null; summary: string };

export interface HunkLineView {
  /** ' ', '-' or '+' */
  sign: string;
  text: string;
}

export interface HunkItemView {
  index: number;
  header: string;
  lines: HunkLineView[];
  /** The hunk no longer applies to the person's file: why. It cannot be accepted (the panel shows it rejected). */
  conflict?: string;
}

export interface FileChangeView {
  path: string;
  change: 'added' | 'modified' | 'deleted' | 'moved';
  added: number;
  removed: number;
  hunks: HunkItemView[];
}

/** A change set waiting for per-hunk decisions: before it is written ('ask') or at the end of an autonomous task ('final'). */
export interface ReviewView {
  reviewId: string;
  title: string;
  mode: 'ask' | 'final';
  files: FileChangeView[];
  /** What accepting means for this review, when it differs from the mode's usual words (a background task's review). */
  hint?: string;
}

/** A command outside the allow rules that waits for the person's yes or no (asked in the panel and a notification). */
export interface CommandQuestionView {
  questionId: string;
  command: string;
  reason: string;
  /** An MCP tool's question also offers "Always Allow" (for the rest of the task). */
  canAlways?: boolean;
}

/** The model's reply while it streams in: text so far and the tool calls whose arguments are arriving. */
export interface StreamingView {
  step: number;
  text: string;
  calls: { name: string; argsText: string }[];
}

/** One parallel attempt as the panel's Attempts section lists it: live while it runs, then its report and rank. */
export interface AttemptRowView {
  /** "attempt-1", … */
  id: string;
  model: string;
  state: 'running' | 'finished';
  /** Its status once finished (null while it runs). */
  status: 'verified' | 'unverified' | 'failed' | 'stopped' | null;
  reason: string | null;
  steps: number;
  /** Null while unknown (no test run saw its final code, or it still runs). */
  failingTests: number | null;
  regressions: number | null;
  diffLines: number | null;
  tokens: number;
  costUsd: number | null;
  /** 1-based place in the judge's ranking; null before the judge ranked. */
  rank: number | null;
  chosen: boolean;
  /** The judge's reasons that name this attempt. */
  reasons: string[];
  /** The paths it changed (each opens its diff, read-only). */
  files: string[];
  summary: string;
}

export interface AttemptsView {
  count: number;
  parallel: number;
  rows: AttemptRowView[];
  /** Null until the judge decided; then the chosen attempt (null: none eligible). */
  chosen: string | null;
  judged: boolean;
  /** Every reason of the judge, in its order. */
  reasons: string[];
  /** Paths of the chosen attempt not applied, and why. */
  conflicts: { path: string; reason: string }[];
}

/** Calls, tokens and cost per role and per attempt, and what a verified fix cost: the breakdown under the meter. */
export interface CostBreakdownView {
  roles: { role: string; model: string; calls: number; tokens: number; costUsd: number | null }[];
  attempts: { id: string; model: string; tokens: number; costUsd: number | null }[];
  /** The task's whole usage once the tests verified it; null before (or when it was not verified). */
  perVerifiedFix: { tokens: number; costUsd: number | null } | null;
}

export interface PanelSnapshot {
  taskId: string | null;
  /** The task in the person's own words (what the header shows); `goal` may be the expanded prompt. */
  title: string;
  goal: string;
  status: PanelStatus;
  statusText: string;
  approval: 'ask' | 'auto';
  restricted: boolean;
  plan: PlanItemView[];
  timeline: TimelineEntry[];
  meter: MeterView;
  review: ReviewView | null;
  question: CommandQuestionView | null;
  /** The reply streaming in now; null between replies. Never journaled: the finished reply is a timeline entry. */
  streaming: StreamingView | null;
  /** Set when the snapshot shows a past task from the history: nothing in it can be acted on. */
  readOnly?: boolean;
  /** Parallel attempts of this task (absent or null: a single attempt). */
  attempts?: AttemptsView | null;
  /** The cost breakdown under the meter (absent or null: nothing spent yet). */
  costs?: CostBreakdownView | null;
}

/** An incremental update: only the fields present change; timeline entries are appended or replaced by index. */
export interface PanelPatch {
  taskId?: string | null;
  title?: string;
  goal?: string;
  status?: PanelStatus;
  statusText?: string;
  approval?: 'ask' | 'auto';
  restricted?: boolean;
  plan?: PlanItemView[];
  meter?: MeterView;
  review?: ReviewView | null;
  question?: CommandQuestionView | null;
  streaming?: StreamingView | null;
  attempts?: AttemptsView | null;
  costs?: CostBreakdownView | null;
  timelineAppend?: TimelineEntry[];
  timelineReplace?: { index: number; entry: TimelineEntry }[];
}

export type HunkVerdict = 'accept' | 'reject';

export interface HunkDecisionView {
  verdict: HunkVerdict | null;
  reason: string;
}

export function emptySnapshot(): PanelSnapshot {
  return {
    taskId: null, title: '', goal: '', status: 'idle', statusText: 'No task yet', approval: 'ask', restricted: false, plan: [], timeline: [],
    meter: { steps: 0, maxSteps: null, tokens: 0, maxTokens: null, costUsd: null, maxCostUsd: null, startedAt: null, maxWallMs: null },
    review: null, question: null, streaming: null,
  };
}

export function applyPatch(snapshot: PanelSnapshot, patch: PanelPatch): PanelSnapshot {
  const timeline = patch.timelineAppend || patch.timelineReplace ? snapshot.timeline.slice() : snapshot.timeline;
  for (const { index, entry } of patch.timelineReplace ?? []) timeline[index] = entry;
  if (patch.timelineAppend) timeline.push(...patch.timelineAppend);
  const { timelineAppend: _append, timelineReplace: _replace, ...fields } = patch;
  return { ...snapshot, ...fields, timeline };
}

export function hunkKey(path: string, index: number): string {
  return `${path}#${index}`;
}
