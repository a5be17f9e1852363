// Ports: the interfaces the core depends on. Implemented once for Node (CLI, tests) and once for VS Code (src/host).
import type { FileChange } from '../tools/edits/types';
import type { SandboxPolicy } from '../tools/process/sandbox/policy';

// ---------------------------------------------------------------- commands

export interface CommandRequest {
  command: string;
  cwd: string;
  timeoutMs: number;
  /** Why the command runs: shown in the terminal title / log. */
  purpose: 'command' | 'test';
  /** The environment the command starts from, already scrubbed of credentials; absent: this process's own. */
  baseEnv?: Record<string, string>;
  /** Set on top of the base environment. */
  env?: Record<string, string>;
  /** Confinement of the command; absent: unconfined (the session decided and journaled why). */
  sandbox?: SandboxPolicy;
  /** Hides known secrets in what a runner shows the person live (the terminal); the result is masked by the gates. */
  redact?: Redactor;
  signal?: AbortSignal;
  /** Live output as it arrives (already decoded). */
  onOutput?: (chunk: string) => void;
}

export interface CommandResult {
  /** Null when the process was killed (timeout, cancel) before exiting on its own. */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  /** Bounded output: the head and the tail, with a marker where the middle was left out. */
  output: string;
  /** True when output was left out of `output`; then the whole output is in `spillPath`. */
  truncated: boolean;
  spillPath?: string;
  totalBytes: number;
  durationMs: number;
  /** Processes that outlived the command (left its process group) and were killed after it; 0 when none. */
  strayProcessesKilled?: number;
}

export interface Redactor {
  mask(text: string): string;
  /** For text in chunks: a secret split across two chunks is still caught. */
  stream(): { push(chunk: string): string; end(): string };
}

export interface CommandRunner {
  run(request: CommandRequest): Promise<CommandResult>;
}

// ---------------------------------------------------------------- approval

/** One hunk of a proposed file change, as shown to the person. 0-based index within the file. */
export interface HunkView {
  index: number;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Unified-diff body lines, each starting with ' ', '-' or '+'. */
  lines: string[];
  /** Set when the hunk cannot be applied (a background task's hunk on lines the person changed since): why. */
  conflict?: string;
}

export interface ProposedFileChange extends FileChange {
  hunks: HunkView[];
}

export interface HunkDecision {
  index: number;
  accepted: boolean;
  /** Why the person rejected it: goes back to the model. */
  reason?: string;
}

export interface FileDecision {
  path: string;
  hunks: HunkDecision[];
}

export interface ChangeReview {
  files: FileDecision[];
  /** Free-text feedback on the whole change set. */
  feedback?: string;
}

export interface CommandApproval {
  approved: boolean;
  feedback?: string;
}

export interface CommandApprovalRequest {
  taskId: string;
  command: string;
  reason: string;
  /** The command names a protected path (.env, keys): only a person may let it run. */
  touchesProtectedPath?: boolean;
  /** Set when no sandbox confines it (why): only a person may let it run. */
  unconfined?: string;
}

export interface ToolApprovalRequest {
  taskId: string;
  /** The MCP server and its tool. */
  server: string;
  tool: string;
  /** The arguments as the model wrote them (JSON). */
  argsText: string;
}

export interface ToolApproval {
  approved: boolean;
  /** Let this tool run without asking for the rest of the task. */
  always?: boolean;
  feedback?: string;
}

export interface Approver {
  /** Ask the person to accept or reject a change set, per hunk. */
  reviewChanges(request: { taskId: string; title: string; changes: ProposedFileChange[] }, signal?: AbortSignal): Promise<ChangeReview>;
  /** Ask the person whether a command outside the allow rules may run. */
  approveCommand(request: CommandApprovalRequest, signal?: AbortSignal): Promise<CommandApproval>;
  /** Ask the person whether an MCP tool may run (with "always allow"); absent: such tools are refused. */
  approveTool?(request: ToolApprovalRequest, signal?: AbortSignal): Promise<ToolApproval>;
}

// ---------------------------------------------------------------- model

/** A JSON value as it came over the wire. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Fields a provider added to an assistant message or a tool call beyond the OpenAI shape (DeepSeek's
 * `reasoning_content`, OpenRouter's `reasoning_details`, Gemini's `extra_content.google.thought_signature`, …):
 * kept verbatim and sent back in the next request, because some providers reject a history without them.
 */
export type ProviderFields = { [key: string]: JsonValue };

export interface ToolCallRequest {
  id: string;
  name: string;
  /** The raw arguments text the model produced (may be malformed JSON). */
  argumentsText: string;
  /** Provider fields of this tool call, sent back with it. */
  extra?: ProviderFields;
}

/** One tool call of an assistant message, in the OpenAI shape plus what the provider needs back. */
export interface AssistantToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
  extra?: ProviderFields;
}

/** Chat messages in the OpenAI shape, restricted to what the loop produces. */
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: AssistantToolCall[]; extra?: ProviderFields }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ToolSchema {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  /** Null when the model's price is unknown: tokens only, never a made-up figure. */
  costUsd: number | null;
  /** True when the server reported no usage and the counts are an estimate (characters / 4). */
  estimated?: boolean;
}

export interface ModelReply {
  content: string;
  toolCalls: ToolCallRequest[];
  usage: TokenUsage;
  finishReason: string | null;
  model: string;
  /** How many HTTP attempts this reply took (1 = no retry). */
  attempts: number;
  /** Provider fields of the assistant message (reasoning and the like), sent back with it in later requests. */
  extra?: ProviderFields;
  /** What the person should know about this call (a setting dropped for this endpoint, a window too small). */
  warnings?: string[];
}

export interface ModelRequest {
  messages: ChatMessage[];
  tools: ToolSchema[];
  signal?: AbortSignal;
  /** Streamed text as it arrives. */
  onTextDelta?: (text: string) => void;
  /** The tool calls as they stream in: every call so far, with its arguments so far. */
  onToolCallsDelta?: (calls: { name: string; argumentsText: string }[]) => void;
  /** A failed attempt is about to be retried after delayMs (429, 5xx, a dropped connection). */
  onRetry?: (info: { attempt: number; reason: string; delayMs: number }) => void;
}

export interface ModelClient {
  readonly model: string;
  complete(request: ModelRequest): Promise<ModelReply>;
}

// ---------------------------------------------------------------- time

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
