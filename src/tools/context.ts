// What a tool may use while it runs. Services are implemented by the session (src/agent); tools stay thin.
import type { FileChange } from './edits/types';
import type { Workspace } from './workspace/types';
import type { PlanItem, TestRunRecord, ToolResult } from './types';

export interface ChangeWriter {
  /**
   * Proposes file changes: checks policy and staleness, asks for review in 'ask' mode, takes the checkpoint
   * before the first write, writes atomically and records pre-images. Returns a tool result for the model.
   */
  apply(changes: FileChange[], title: string): Promise<ToolResult>;
  /** Remembers the content the agent saw, so a later write can tell whether someone else changed the file. */
  noteRead(relativePath: string, content: string): void;
  /** True when the agent read (or wrote) the file in this task. */
  hasSeen(relativePath: string): boolean;
}

export interface CommandGate {
  /** Runs a model-requested command through the command policy (and approval); returns a result for the model. */
  runCommand(command: string, timeoutSeconds: number | undefined): Promise<ToolResult>;
}

export interface TestGate {
  /** Runs the task's test command and returns the structured record (null when there is no test command). */
  runTests(verification: boolean): Promise<TestRunRecord | null>;
}

export interface McpGate {
  /** Runs an MCP server's tool through the session's approval rules; the result is bounded like command output. */
  callTool(server: string, tool: string, args: Record<string, unknown>): Promise<ToolResult>;
}

export interface ToolContext {
  workspace: Workspace;
  writer: ChangeWriter;
  commands: CommandGate;
  tests: TestGate;
  setPlan(items: PlanItem[]): void;
  /** Adds a note to the project memory (with this task's provenance); a refusal comes back as data. */
  remember(note: string): Promise<ToolResult>;
  /** Removes a note this task wrote from the project memory. */
  forget(note: string): Promise<ToolResult>;
  signal: AbortSignal;
  /** Present when the task has MCP servers. */
  mcp?: McpGate;
}
