// The shape of one model-callable tool, and helpers that turn errors into data the model can act on.
import type { ToolContext } from './context';
import type { ToolErrorCode, ToolResult } from './types';
import { WorkspaceError } from './workspace/types';

export interface ToolDefinition<Args> {
  /** Model-facing, verb_first. */
  name: string;
  description: string;
  /** JSON schema of the arguments (validated before run). */
  parameters: Record<string, unknown>;
  /** Read-only tools are available to the planner role and in untrusted workspaces. */
  readOnly: boolean;
  run(args: Args, context: ToolContext): Promise<ToolResult>;
}

export function failure(code: ToolErrorCode, message: string, data?: unknown): ToolResult {
  return data === undefined ? { ok: false, code, message } : { ok: false, code, message, data };
}

/** Converts a thrown error into a tool result; workspace errors keep their reason code. */
export function errorToResult(error: unknown): ToolResult {
  if (error instanceof WorkspaceError) return failure(error.code, error.message);
  if (error instanceof Error && error.name === 'AbortError') return failure('cancelled', 'The task was cancelled.');
  const message = error instanceof Error ? error.message : String(error);
  return failure('internal_error', message);
}

/** Defines a tool with its argument type inferred at the call site. */
export function defineTool<Args>(tool: ToolDefinition<Args>): ToolDefinition<Args> {
  return tool;
}
