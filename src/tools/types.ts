// What a tool is: a model-facing name, a JSON schema, and a run function that returns data (never throws at the loop).
import type { TestFailure, TestOutcome, TestRunner } from './testparse/types';

/** Stable reason codes returned to the model with every failed tool call. */
export type ToolErrorCode =
  | 'invalid_arguments'
  | 'unknown_tool'
  | 'file_not_found'
  | 'not_a_file'
  | 'binary_file'
  | 'outside_workspace'
  | 'protected_path'
  | 'no_match'
  | 'ambiguous_match'
  | 'malformed_edit'
  | 'file_exists'
  | 'no_op'
  | 'missing_path'
  | 'file_changed_on_disk'
  | 'command_denied'
  | 'command_rejected'
  | 'command_failed'
  | 'timeout'
  | 'cancelled'
  | 'rejected_by_user'
  | 'no_test_command'
  | 'read_only_mode'
  | 'needs_person'
  | 'test_file_protected'
  | 'not_read_first'
  | 'secret_marker'
  | 'mcp_error'
  /** A memory note refused: untrusted workspace, a risky note, memory full, or another task's note. */
  | 'memory_refused'
  | 'internal_error';

export type ToolResult =
  | { ok: true; output: string; data?: unknown }
  | { ok: false; code: ToolErrorCode; message: string; data?: unknown };

export interface PlanItem {
  title: string;
  status: 'pending' | 'in_progress' | 'done';
}

export interface TestRunRecord {
  command: string;
  exitCode: number | null;
  timedOut: boolean;
  failures: TestFailure[];
  passed: number | null;
  failed: number | null;
  /** Counts the runner reported; null when its output did not say. */
  skipped?: number | null;
  todo?: number | null;
  /** Every test the output names with its status, when the runner lists them (passed ones included). */
  tests?: TestOutcome[];
  /** Set when this run used the tests as they were at the start, in a temporary worktree (the agent changed tests). */
  originalTests?: boolean;
  /** Bounded output for the model and the panel. */
  output: string;
  /** The parser that read the output (whose naming the failures follow). */
  runner?: TestRunner | 'unknown';
  /** A targeted run: only these tests (failing in the last full run) were selected with the runner's filter. Never verifies. */
  targeted?: { selected: string[] };
  /** Said to the model with the run (why it was the full suite, a filter that selected nothing). */
  note?: string;
}
