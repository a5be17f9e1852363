// MCP tools go through the same kind of gate as commands: under --approve auto a tool runs only when the person
// allowed it (--allow-mcp SERVER or SERVER/TOOL, a setting), otherwise it is refused with the reason; in review mode
// the person is asked (with "always allow" for the rest of the task). Results are bounded like command output, and
// the call is journaled like any tool call (tool_started / tool_finished) plus its server and verdict.
import type { McpGate } from '../tools/context';
import { mcpAllowed } from '../tools/mcp/config';
import type { McpHub } from '../tools/mcp/hub';
import { mcpToolDefinitions } from '../tools/mcp/tools';
import { ALL_TOOLS } from '../tools/registry';
import type { ToolDefinition } from '../tools/tool';
import type { Journal } from './journal';
import type { TaskSafety } from './safety';
import type { SessionOptions } from './sessionOptions';
import { failure } from '../tools/tool';
import type { ToolResult } from '../tools/types';
import type { Approver } from './ports';

const MAX_RESULT_CHARS = 48_000;
const CALL_TIMEOUT_MS = 120_000;

export interface McpGateOptions {
  taskId: string;
  hub: McpHub;
  approval: 'auto' | 'ask';
  approver: Approver;
  /** SERVER or SERVER/TOOL entries allowed to run unattended. */
  allow: string[];
  signal: AbortSignal;
  onDecision?(server: string, tool: string, approved: boolean, how: 'allowed' | 'asked' | 'always' | 'refused'): void;
}

export class SessionMcpGate implements McpGate {
  private readonly alwaysAllowed = new Set<string>();

  constructor(private readonly options: McpGateOptions) {}

  async callTool(server: string, tool: string, args: Record<string, unknown>): Promise<ToolResult> {
    const { options } = this;
    const key = `${server}/${tool}`;
    if (!mcpAllowed(options.allow, server, tool) && !this.alwaysAllowed.has(key)) {
      if (options.approval === 'auto' || !options.approver.approveTool) {
        options.onDecision?.(server, tool, false, 'refused');
        return failure('needs_person', `The MCP tool ${key} may not run unattended: the person has not allowed it (--allow-mcp ${server} or --allow-mcp ${key}; the patchpilot.mcp.allow setting in VS Code). Do not retry it; do the work with the built-in tools, or say in your summary what the person should run.`);
      }
      const answer = await options.approver.approveTool({ taskId: options.taskId, server, tool, argsText: JSON.stringify(args) }, options.signal);
      if (!answer.approved) {
        options.onDecision?.(server, tool, false, 'asked');
        return failure('command_rejected', `The person did not allow the MCP tool ${key}${answer.feedback ? `: "${answer.feedback}"` : '.'}`);
      }
      if (answer.always) this.alwaysAllowed.add(key);
      options.onDecision?.(server, tool, true, answer.always ? 'always' : 'asked');
    } else {
      options.onDecision?.(server, tool, true, 'allowed');
    }
    try {
      const result = await options.hub.callTool(server, tool, args, options.signal, CALL_TIMEOUT_MS);
      const text = bounded(result.text || '(no content)');
      return result.isError ? failure('mcp_error', `${key} reported an error: ${text}`) : { ok: true, output: text };
    } catch (error) {
      if (options.signal.aborted) return failure('cancelled', 'The task was cancelled.');
      return failure('mcp_error', `${key} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function bounded(text: string): string {
  if (text.length <= MAX_RESULT_CHARS) return text;
  const head = text.slice(0, MAX_RESULT_CHARS * 0.6);
  const tail = text.slice(-MAX_RESULT_CHARS * 0.4);
  return `${head}\n[… ${text.length - head.length - tail.length} characters of the tool's result left out …]\n${tail}`;
}

export interface McpTools {
  hub: McpHub;
  tools: ToolDefinition<Record<string, unknown>>[];
}

/** Connects a task's MCP servers (in the sandbox, with the scrubbed environment) and lists their tools as entries. */
export async function startMcpTools(options: SessionOptions, safety: TaskSafety, journal: Journal): Promise<McpTools | undefined> {
  const servers = options.mcpServers ?? [];
  if (servers.length === 0) return undefined;
  if (!(options.trusted ?? true)) {
    journal.append({ type: 'warning', message: 'MCP servers are not started in an untrusted workspace.' });
    return undefined;
  }
  // Loaded only when a task has MCP servers: the SDK (and the zod schemas it builds as it loads) is most of what the
  // extension would otherwise spend at activation.
  const { McpHub } = await import('../tools/mcp/hub');
  const hub = new McpHub({
    servers, cwd: options.cwd, baseEnv: safety.commandEnv(), sandbox: () => safety.policyForCommand(),
    lookup: options.mcpLookup ?? (async (_kind, name) => process.env[name]),
    onEvent: (event) => journal.append({ type: 'mcp_server', server: event.server, state: event.state, detail: event.detail }),
  });
  const infos = await hub.start();
  return { hub, tools: mcpToolDefinitions(infos, new Set(ALL_TOOLS.map((tool) => tool.name))) };
}
