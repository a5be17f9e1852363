// MCP server configuration in VS Code's own mcp.json shape, validated at the edge: every entry is checked and an error
// names the exact field (`servers.github.url must be an http(s) URL`). Secrets never sit in the file in plain text:
// env and header values may reference `${env:NAME}` (the environment) or `${secret:NAME}` (VS Code's Secret
// Storage; the environment in the CLI), and a literal value under a credential-looking name is refused.
import { looksLikeCredential } from '../process/environment';

export interface StdioServerConfig {
  type: 'stdio';
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

export interface HttpServerConfig {
  type: 'http';
  url: string;
  headers: Record<string, string>;
}

export type McpServerConfig = (StdioServerConfig | HttpServerConfig) & { name: string; source: string };

export class McpConfigError extends Error {}

const NAME = /^[A-Za-z0-9_.-]{1,40}$/;
const REFERENCE = /^\$\{(env|secret|input):([A-Za-z_][\w.-]*)\}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses one mcp.json document (`{"servers": {...}}`; `mcpServers`, the Claude/Cursor spelling, is read too).
 * `source` names the file in errors and in the journal.
 */
export function parseMcpConfig(value: unknown, source: string): McpServerConfig[] {
  if (!isRecord(value)) throw new McpConfigError(`${source}: the file must hold a JSON object with "servers"`);
  const servers = value.servers ?? value.mcpServers;
  if (servers === undefined) return [];
  if (!isRecord(servers)) throw new McpConfigError(`${source}: "servers" must be an object of server entries`);
  return Object.entries(servers).map(([name, entry]) => parseServer(name, entry, source));
}

function parseServer(name: string, entry: unknown, source: string): McpServerConfig {
  const where = `${source}: servers.${name}`;
  if (!NAME.test(name)) throw new McpConfigError(`${where}: a server name may use letters, digits, '.', '_' and '-' (up to 40)`);
  if (!isRecord(entry)) throw new McpConfigError(`${where} must be an object`);
  const type = entry.type ?? (typeof entry.url === 'string' ? 'http' : 'stdio');
  if (type === 'stdio') {
    if (typeof entry.command !== 'string' || entry.command.trim() === '') throw new McpConfigError(`${where}.command must be a non-empty string`);
    const args = entry.args ?? [];
    if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string')) throw new McpConfigError(`${where}.args must be a list of strings`);
    if (entry.cwd !== undefined && typeof entry.cwd !== 'string') throw new McpConfigError(`${where}.cwd must be a string`);
    return { name, source, type: 'stdio', command: entry.command, args, env: secretSafeMap(entry.env, `${where}.env`), ...(typeof entry.cwd === 'string' ? { cwd: entry.cwd } : {}) };
  }
  if (type === 'http' || type === 'sse') {
    if (typeof entry.url !== 'string' || !/^https?:\/\//i.test(entry.url)) throw new McpConfigError(`${where}.url must be an http(s) URL`);
    return { name, source, type: 'http', url: entry.url, headers: secretSafeMap(entry.headers, `${where}.headers`) };
  }
  throw new McpConfigError(`${where}.type must be "stdio" or "http", not ${JSON.stringify(type)}`);
}

/** A string map whose credential-looking entries are references, never literal secrets. */
function secretSafeMap(value: unknown, where: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new McpConfigError(`${where} must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (typeof raw !== 'string') throw new McpConfigError(`${where}.${key} must be a string`);
    const credential = looksLikeCredential(key, raw) || /^(authorization|x-api-key|api-key|cookie)$/i.test(key);
    const literalParts = raw.replace(/\$\{(env|secret|input):[A-Za-z_][\w.-]*\}/g, '').replace(/^(Bearer|Basic|Token)\s+/i, '').trim();
    if (credential && literalParts !== '') {
      throw new McpConfigError(`${where}.${key} holds a secret in plain text; write "\${env:NAME}" (an environment variable) or "\${secret:NAME}" (VS Code's Secret Storage) instead`);
    }
    out[key] = raw;
  }
  return out;
}

/** Resolves `${env:NAME}`, `${secret:NAME}` and `${input:NAME}` references; a missing one is an error that names it. */
export async function resolveReferences(values: Record<string, string>, where: string,
  lookup: (kind: 'env' | 'secret' | 'input', name: string) => Promise<string | undefined>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(values)) {
    let missing: string | null = null;
    const parts: string[] = [];
    let last = 0;
    for (const match of raw.matchAll(/\$\{(env|secret|input):([A-Za-z_][\w.-]*)\}/g)) {
      parts.push(raw.slice(last, match.index));
      const found = await lookup(match[1] as 'env' | 'secret' | 'input', match[2]);
      if (found === undefined) missing ??= `${match[1]}:${match[2]}`;
      parts.push(found ?? '');
      last = (match.index ?? 0) + match[0].length;
    }
    parts.push(raw.slice(last));
    if (missing) throw new McpConfigError(`${where}.${key} needs \${${missing}}, which is not set`);
    out[key] = parts.join('');
  }
  return out;
}

/** True when a value is only a reference (no literal text around it). */
export function isReference(value: string): boolean {
  return REFERENCE.test(value);
}

/** `mcp__server__tool`, sanitised and bounded the way chat-completions APIs accept tool names (64 characters). */
export function mcpToolName(server: string, tool: string): string {
  const clean = (text: string) => text.replace(/[^A-Za-z0-9_-]/g, '_');
  return `mcp__${clean(server)}__${clean(tool)}`.slice(0, 64);
}

/** Whether `--allow-mcp` entries (SERVER or SERVER/TOOL) let a tool run unattended. */
export function mcpAllowed(allow: readonly string[], server: string, tool: string): boolean {
  return allow.some((entry) => entry === server || entry === `${server}/${tool}` || entry === '*');
}
