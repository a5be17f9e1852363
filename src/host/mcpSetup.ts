// Where the extension's MCP servers come from: the person's own `patchpilot.mcp.servers` setting (user settings
// only), and the workspace's `.vscode/mcp.json` once the person has confirmed it (asked again when the file changes;
// never in Restricted Mode, since a stdio server is a command). `${secret:NAME}` values come from Secret Storage,
// asked for once; `${env:NAME}` from the environment; `${input:NAME}` asked each time.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { McpConfigError, parseMcpConfig, type McpServerConfig } from '../tools/mcp/config';

const CONSENT_KEY = 'patchpilot.mcp.workspaceConsent';

export interface McpSetup {
  servers: McpServerConfig[];
  allow: string[];
  lookup(kind: 'env' | 'secret' | 'input', name: string): Promise<string | undefined>;
}

export async function mcpSetupFor(root: string, context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<McpSetup> {
  const config = vscode.workspace.getConfiguration('patchpilot');
  const servers: McpServerConfig[] = [];
  const userServers = config.get<unknown>('mcp.servers');
  if (userServers && typeof userServers === 'object' && Object.keys(userServers).length > 0) {
    servers.push(...parse({ servers: userServers }, 'the patchpilot.mcp.servers setting', log));
  }
  const workspaceFile = path.join(root, '.vscode', 'mcp.json');
  if (vscode.workspace.isTrusted && fs.existsSync(workspaceFile)) {
    const text = fs.readFileSync(workspaceFile, 'utf8');
    const found = parse(parseJsonc(text, workspaceFile, log), '.vscode/mcp.json', log).filter((s) => !servers.some((u) => u.name === s.name));
    if (found.length && await workspaceConsent(context, text, found)) servers.push(...found);
  }
  return {
    servers,
    allow: (config.get<unknown[]>('mcp.allow') ?? []).filter((entry): entry is string => typeof entry === 'string'),
    lookup: async (kind, name) => {
      if (kind === 'env') return process.env[name];
      if (kind === 'secret') {
        const stored = await context.secrets.get(`patchpilot.mcp.${name}`);
        if (stored !== undefined) return stored;
        const typed = await vscode.window.showInputBox({ title: `Patchpilot: MCP secret ${name}`, prompt: `An MCP server needs \${secret:${name}}. It is kept in VS Code's Secret Storage.`, password: true, ignoreFocusOut: true });
        if (typed) await context.secrets.store(`patchpilot.mcp.${name}`, typed);
        return typed || undefined;
      }
      return vscode.window.showInputBox({ title: `Patchpilot: MCP input ${name}`, prompt: `An MCP server asks for \${input:${name}}.`, ignoreFocusOut: true });
    },
  };
}

function parse(value: unknown, source: string, log: vscode.LogOutputChannel): McpServerConfig[] {
  try {
    return parseMcpConfig(value, source);
  } catch (error) {
    const message = error instanceof McpConfigError ? error.message : String(error);
    log.warn(message);
    void vscode.window.showWarningMessage(`Patchpilot: MCP servers not used: ${message}`);
    return [];
  }
}

/** The workspace's servers run only after the person said yes to exactly this file's content. */
async function workspaceConsent(context: vscode.ExtensionContext, text: string, servers: McpServerConfig[]): Promise<boolean> {
  const hash = createHash('sha256').update(text).digest('hex');
  const answers = context.workspaceState.get<Record<string, boolean>>(CONSENT_KEY) ?? {};
  if (hash in answers) return answers[hash];
  const list = servers.map((s) => (s.type === 'stdio' ? `${s.name} (${[s.command, ...s.args].join(' ')})` : `${s.name} (${s.url})`)).join(', ');
  const allow = 'Allow';
  const choice = await vscode.window.showWarningMessage(
    `This workspace's .vscode/mcp.json defines MCP servers: ${list}. Let Patchpilot start them for its tasks? Stdio servers run as commands, in the sandbox.`,
    allow, 'Not for This Workspace');
  const allowed = choice === allow;
  if (choice !== undefined) await context.workspaceState.update(CONSENT_KEY, { ...answers, [hash]: allowed });
  return allowed;
}

/** JSON with comments and trailing commas (VS Code's settings-file dialect), as mcp.json files are written. */
export function parseJsonc(text: string, file: string, log?: vscode.LogOutputChannel): unknown {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2);
      if (i === -1) break;
      i++;
    } else out += c;
  }
  try {
    return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
  } catch (error) {
    log?.warn(`${file}: ${String(error)}`);
    return {};
  }
}
