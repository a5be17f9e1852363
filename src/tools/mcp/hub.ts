// The MCP client side of a task: connects to the configured servers (stdio processes or streamable-HTTP endpoints)
// through @modelcontextprotocol/sdk when the task starts, lists their tools, calls them, and closes everything when
// the task ends. A stdio server runs in the command sandbox when one is available (its files and network confined
// like any command's); a server that fails to start is reported and left out, never fatal to the task.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import * as path from 'node:path';
import { sandboxedProcess, type SandboxPolicy } from '../process/sandbox';
import { resolveReferences, type McpServerConfig } from './config';

export interface McpToolInfo {
  server: string;
  /** The tool's own name on its server. */
  tool: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface McpHubEvent {
  server: string;
  state: 'started' | 'failed' | 'stopped';
  detail: string;
}

export interface McpHubOptions {
  servers: McpServerConfig[];
  cwd: string;
  /** Values for ${env:…}, ${secret:…} and ${input:…} references. */
  lookup(kind: 'env' | 'secret' | 'input', name: string): Promise<string | undefined>;
  /** Variables a stdio server starts with (besides its own `env`): PATH, HOME and the like, never credentials. */
  baseEnv: Record<string, string>;
  /** The sandbox for stdio servers, or undefined when commands run unconfined. */
  sandbox(): Promise<SandboxPolicy | undefined>;
  onEvent?(event: McpHubEvent): void;
  startTimeoutMs?: number;
}

interface Connection {
  config: McpServerConfig;
  client: Client;
}

const CLIENT_INFO = { name: 'patchpilot', version: '0.1.0' };

export class McpHub {
  private readonly connections = new Map<string, Connection>();
  private started: Promise<McpToolInfo[]> | undefined;

  constructor(private readonly options: McpHubOptions) {}

  /** Connects every server (in parallel) and lists their tools; the same promise for every caller. */
  start(): Promise<McpToolInfo[]> {
    this.started ??= Promise.all(this.options.servers.map((config) => this.connect(config))).then((lists) => lists.flat());
    return this.started;
  }

  async callTool(server: string, tool: string, args: Record<string, unknown>, signal: AbortSignal, timeoutMs: number): Promise<{ text: string; isError: boolean }> {
    const connection = this.connections.get(server);
    if (!connection) throw new Error(`The MCP server "${server}" is not connected.`);
    const result = await connection.client.callTool({ name: tool, arguments: args }, undefined, { signal, timeout: timeoutMs });
    return { text: contentText(result.content), isError: result.isError === true };
  }

  async close(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map(async ({ config, client }) => {
      await client.close().catch(() => undefined);
      this.options.onEvent?.({ server: config.name, state: 'stopped', detail: 'stopped with the task' });
    }));
  }

  private async connect(config: McpServerConfig): Promise<McpToolInfo[]> {
    try {
      const transport = await this.transportFor(config);
      const client = new Client(CLIENT_INFO, { capabilities: {} });
      await withTimeout(client.connect(transport), this.options.startTimeoutMs ?? 20_000, `${config.name} did not answer the MCP handshake`);
      this.connections.set(config.name, { config, client });
      const listed = await withTimeout(client.listTools(), this.options.startTimeoutMs ?? 20_000, `${config.name} did not list its tools`);
      const tools = listed.tools.map((tool): McpToolInfo => ({
        server: config.name, tool: tool.name, description: tool.description ?? '', inputSchema: (tool.inputSchema ?? { type: 'object' }) as Record<string, unknown>,
      }));
      this.options.onEvent?.({ server: config.name, state: 'started', detail: `${tools.length} tool(s): ${tools.map((t) => t.tool).join(', ')}` });
      return tools;
    } catch (error) {
      this.options.onEvent?.({ server: config.name, state: 'failed', detail: error instanceof Error ? error.message : String(error) });
      return [];
    }
  }

  private async transportFor(config: McpServerConfig): Promise<Transport> {
    const where = `${config.source}: servers.${config.name}`;
    if (config.type === 'http') {
      const headers = await resolveReferences(config.headers, `${where}.headers`, this.options.lookup);
      return new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers } });
    }
    const env = { ...this.options.baseEnv, ...(await resolveReferences(config.env, `${where}.env`, this.options.lookup)) };
    const cwd = config.cwd ? path.resolve(this.options.cwd, config.cwd) : this.options.cwd;
    const sandbox = await this.options.sandbox();
    if (!sandbox) return new StdioClientTransport({ command: config.command, args: config.args, env, cwd, stderr: 'ignore' });
    // The server runs like a command: the sandbox's files, network and PID namespace (it ends with the transport).
    const confined = sandboxedProcess(sandbox, cwd, [config.command, ...config.args]);
    return new StdioClientTransport({ command: confined.file, args: confined.args, env: { ...env, ...confined.env }, cwd, stderr: 'ignore' });
  }
}

/** The text of a tool result: text parts joined, other parts named (the model cannot see images here). */
export function contentText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content.map((part: unknown) => {
    if (typeof part !== 'object' || part === null) return '';
    const record = part as Record<string, unknown>;
    if (record.type === 'text' && typeof record.text === 'string') return record.text;
    if (record.type === 'resource' && typeof record.resource === 'object' && record.resource !== null) {
      const resource = record.resource as Record<string, unknown>;
      return typeof resource.text === 'string' ? resource.text : `[resource ${String(resource.uri ?? '')}]`;
    }
    if (record.type === 'resource_link') return `[resource ${String(record.uri ?? '')}]`;
    return `[${String(record.type)} content not shown]`;
  }).filter((text) => text !== '').join('\n');
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([work, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${message} within ${ms / 1000} s`)), ms); })])
    .finally(() => clearTimeout(timer));
}
