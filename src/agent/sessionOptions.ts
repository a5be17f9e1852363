// What a session is created with: the task, its ports, and every rule that confines it. Kept apart from the session
// itself, which is long enough already.
import type { Clock, Approver, CommandRunner, ModelClient } from './ports';
import type { Budgets } from './events';
import type { ContextOptions } from './context';
import type { SecretValue } from './policy/secretMasker';
import type { SandboxMode } from '../tools/process/sandbox/policy';
import type { McpServerConfig } from '../tools/mcp/config';
import type { RolesOptions } from './orchestrator/roles';
import type { TriageOption } from './triage/sessionTriage';

export interface SessionOptions {
  goal: string;
  /** The task in the person's own words when `goal` is an expanded prompt (mentions): what displays show. */
  title?: string;
  cwd: string;
  testCommand?: string | null;
  approval: 'auto' | 'ask';
  budgets?: Partial<Budgets>;
  model: ModelClient;
  runner: CommandRunner;
  approver: Approver;
  journalDir: string;
  /** Added to the built-in protected paths (gitignore-style patterns). */
  extraProtected?: string[];
  /** Built-in protected patterns the person explicitly removed. */
  unprotected?: string[];
  commandRules?: { allow?: string[]; deny?: string[] };
  /** How commands are confined; default 'workspace-write'. 'off' must be chosen explicitly, and is journaled. */
  sandbox?: SandboxMode;
  /** Hosts sandboxed commands may reach (through Patchpilot's proxy); default none but loopback. */
  allowHosts?: string[];
  /** Credential-looking environment variables passed through to commands by name. */
  passEnv?: string[];
  /** Let the agent change the task's existing test files while writing without review. */
  allowTestEdits?: boolean;
  /** Secrets the caller knows (the API key in use): masked wherever they show up. */
  knownSecrets?: SecretValue[];
  /** MCP servers whose tools the task may use (mcp.json entries, already validated). */
  mcpServers?: McpServerConfig[];
  /** SERVER or SERVER/TOOL entries that may run unattended. */
  mcpAllow?: string[];
  /** Resolves ${env:…}/${secret:…}/${input:…} in MCP env and headers; default: the environment. */
  mcpLookup?: (kind: 'env' | 'secret' | 'input', name: string) => Promise<string | undefined>;
  /** Triage before the first model call (failing vs flaky tests, culprit commits with `bisect`); absent/null: none. */
  triage?: TriageOption;
  /** While tests fail, run_tests re-runs only those with the runner's filter (finish always runs the full suite). Default off. */
  targetedRuns?: boolean;
  /** Untrusted workspaces: no commands, every change reviewed. Default true. */
  trusted?: boolean;
  taskId?: string;
  testTimeoutMs?: number;
  context?: Partial<ContextOptions>;
  clock?: Clock;
  /** Planner → coder → verifier (src/agent/orchestrator); absent: the single loop. `model` is the coder's model. */
  roles?: RolesOptions;
  /** The stronger model the coder switches to once, when the no-progress guard fires, instead of stopping. */
  escalateTo?: ModelClient;
}

export type ResumeOptions = Omit<SessionOptions, 'goal' | 'cwd' | 'taskId'>;
