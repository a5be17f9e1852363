// `patchpilot run`, `fix-tests` and `resume`: one task through the real loop, printed live, with an optional JSON report.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AgentSession, type SessionOptions } from '../../agent/session';
import { ensurePatchpilotIgnore, spillDirFor } from '../../agent/projectContext';
import type { TaskResult } from '../../agent/result';
import { NodeCommandRunner } from '../../tools/process/runProcess';
import { autoApprover, TerminalApprover } from '../approvers';
import { buildModel } from '../modelFactory';
import { createPrinter, createStreamPrinter } from '../printer';
import { UsageError } from '../usage';
import { SANDBOX_MODES, type SandboxMode } from '../../tools/process/sandbox/policy';
import { unprotectProblems } from '../../agent/policy/pathPolicy';
import { McpConfigError, parseMcpConfig, type McpServerConfig } from '../../tools/mcp/config';

export const FIX_TESTS_GOAL = 'make the failing tests pass';

export const RUN_OPTIONS = {
  cwd: { type: 'string' }, goal: { type: 'string' }, test: { type: 'string' }, approve: { type: 'string' },
  'max-steps': { type: 'string' }, 'max-cost': { type: 'string' }, 'max-tokens': { type: 'string' }, 'max-time': { type: 'string' },
  report: { type: 'string' }, 'base-url': { type: 'string' }, model: { type: 'string' }, 'scripted-model': { type: 'string' },
  'journal-dir': { type: 'string' }, task: { type: 'string' }, allow: { type: 'string', multiple: true },
  deny: { type: 'string', multiple: true }, protected: { type: 'string', multiple: true }, 'test-timeout': { type: 'string' },
  'context-window': { type: 'string' }, 'price-input': { type: 'string' }, 'price-output': { type: 'string' },
  untrusted: { type: 'boolean' }, verbose: { type: 'boolean' }, quiet: { type: 'boolean' },
  sandbox: { type: 'string' }, 'allow-host': { type: 'string', multiple: true }, 'pass-env': { type: 'string', multiple: true },
  'allow-test-edits': { type: 'boolean' }, unprotect: { type: 'string', multiple: true },
  'mcp-config': { type: 'string', multiple: true }, 'allow-mcp': { type: 'string', multiple: true },
  provider: { type: 'string' }, providers: { type: 'string' }, 'api-version': { type: 'string' },
  'api-key-header': { type: 'string' }, header: { type: 'string', multiple: true },
} as const;

type Mode = 'run' | 'fix-tests' | 'resume';

/** For commands that run tasks of their own (queue, watch): the id the new task gets, and its session to cancel it. */
export interface RunHooks {
  taskId?: string;
  onSession?: (session: AgentSession) => void;
}

export async function runCommand(mode: Mode, argv: string[], hooks: RunHooks = {}): Promise<number> {
  const { values } = parseArgs({ args: argv, options: RUN_OPTIONS, strict: true, allowPositionals: false });
  if (!values.cwd) throw new UsageError('--cwd DIR is required.');
  const cwd = resolve(values.cwd);
  const goal = mode === 'fix-tests' ? values.goal ?? FIX_TESTS_GOAL : values.goal;
  if (mode === 'run' && !goal) throw new UsageError('--goal TEXT is required.');
  if (mode === 'fix-tests' && !values.test) throw new UsageError('fix-tests needs --test CMD.');
  if (mode === 'resume' && !values.task) throw new UsageError('resume needs --task ID (see `patchpilot tasks --cwd DIR`).');
  const approval = parseApproval(values.approve, mode);
  const unprotectErrors = unprotectProblems(values.unprotect ?? []);
  if (unprotectErrors.length) throw new UsageError(`--unprotect: ${unprotectErrors.join(' ')}`);
  const color = process.stdout.isTTY === true;
  const print = values.quiet ? () => undefined : createPrinter({ write: (t) => process.stdout.write(t), verbose: values.verbose ?? false, color });
  const contextWindow = values['context-window'] ? positiveInt(values['context-window'], '--context-window') : undefined;
  const model = await buildModel({
    baseUrl: values['base-url'], model: values.model, scriptedModel: values['scripted-model'],
    priceInput: optionalNumber(values['price-input'], '--price-input'), priceOutput: optionalNumber(values['price-output'], '--price-output'),
    provider: values.provider, providersFile: values.providers ? resolve(values.providers) : undefined,
    apiVersion: values['api-version'], apiKeyHeader: values['api-key-header'], headers: values.header, contextWindow,
  });
  const terminal = approval === 'ask' ? new TerminalApprover(process.stdin, process.stdout, color) : undefined;
  const journalDir = values['journal-dir'] ? resolve(values['journal-dir']) : join(cwd, '.patchpilot', 'tasks');
  if (!values['journal-dir']) await ensurePatchpilotIgnore(cwd);
  const shared: Omit<SessionOptions, 'goal' | 'cwd'> = {
    approval,
    model: model.client,
    runner: new NodeCommandRunner({ spillDir: spillDirFor(cwd), echo: values.verbose ? (c) => process.stderr.write(c) : undefined }),
    approver: terminal ?? autoApprover,
    journalDir,
    testCommand: values.test ?? null,
    budgets: {
      ...(values['max-steps'] ? { maxSteps: positiveInt(values['max-steps'], '--max-steps') } : {}),
      ...(values['max-cost'] ? { maxCostUsd: optionalNumber(values['max-cost'], '--max-cost') } : {}),
      ...(values['max-tokens'] ? { maxTokens: positiveInt(values['max-tokens'], '--max-tokens') } : {}),
      ...(values['max-time'] ? { maxWallMs: positiveInt(values['max-time'], '--max-time') * 1000 } : {}),
    },
    extraProtected: values.protected,
    unprotected: values.unprotect,
    commandRules: { allow: values.allow, deny: values.deny },
    sandbox: parseSandbox(values.sandbox),
    allowHosts: values['allow-host'],
    passEnv: values['pass-env'],
    allowTestEdits: values['allow-test-edits'] ?? false,
    knownSecrets: model.apiKey && model.apiKey !== 'local' ? [{ name: 'the API key', value: model.apiKey }] : [],
    mcpServers: loadMcpConfigs(values['mcp-config'] ?? []),
    mcpAllow: values['allow-mcp'],
    trusted: !values.untrusted,
    testTimeoutMs: values['test-timeout'] ? positiveInt(values['test-timeout'], '--test-timeout') * 1000 : undefined,
    // The window the flag says, else the one the provider told (a profile, Ollama's num_ctx).
    context: contextWindow ?? model.contextWindow ? { windowTokens: contextWindow ?? model.contextWindow } : undefined,
  };
  if (!values.quiet) {
    process.stdout.write(`model: ${model.describe}\n`);
    for (const note of model.notes) process.stdout.write(`${note}\n`);
  }
  const session = mode === 'resume'
    ? AgentSession.resume(journalDir, values.task!, { ...shared, testCommand: undefined })
    : AgentSession.create({ ...shared, goal: goal!, cwd, ...(hooks.taskId ? { taskId: hooks.taskId } : {}) });
  hooks.onSession?.(session);
  session.onEvent(print);
  if (!values.quiet) session.onStream(createStreamPrinter({ write: (t) => process.stdout.write(t), verbose: false, color }));
  const stop = () => session.cancel();
  process.once('SIGINT', stop);
  let result: TaskResult;
  try {
    result = await session.run();
  } finally {
    process.off('SIGINT', stop);
    terminal?.close();
    await model.scripted?.close();
  }
  const costNote = model.costLabel(result.usage.costUsd);
  if (values.report) writeFileSync(values.report, JSON.stringify({ ...result, usage: { ...result.usage, costNote } }, null, 2) + '\n');
  if (!values.quiet) printEnd(result, costNote);
  // unverified: the model finished and nothing failed, but nothing proved it (no test command, no tests ran).
  return result.status === 'verified' || result.status === 'unverified' ? 0 : 1;
}

function printEnd(result: TaskResult, costNote: string): void {
  const usage = result.usage;
  const cost = usage.costUsd === null ? `cost: ${costNote} (set --price-input/--price-output, or prices in a profile)` : `$${usage.costUsd.toFixed(4)} ${costNote}`;
  process.stdout.write(`steps: ${result.steps}, tokens: ${usage.promptTokens} in / ${usage.completionTokens} out, ${cost}\n`);
  for (const change of result.changes) process.stdout.write(change.diff.endsWith('\n') ? change.diff : change.diff + '\n');
}

/** The servers of every --mcp-config file (VS Code's mcp.json shape); a bad file is a usage error naming the field. */
function loadMcpConfigs(files: readonly string[]): McpServerConfig[] {
  const servers: McpServerConfig[] = [];
  for (const file of files) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(resolve(file), 'utf8'));
    } catch (error) {
      throw new UsageError(`--mcp-config ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      servers.push(...parseMcpConfig(parsed, file));
    } catch (error) {
      if (error instanceof McpConfigError) throw new UsageError(error.message);
      throw error;
    }
  }
  const names = servers.map((server) => server.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new UsageError(`--mcp-config: the server name "${duplicate}" is defined twice`);
  return servers;
}

function parseSandbox(value: string | undefined): SandboxMode {
  if (value === undefined) return 'workspace-write';
  const mode = SANDBOX_MODES.find((candidate) => candidate === value);
  if (!mode) throw new UsageError(`--sandbox takes ${SANDBOX_MODES.join(', ')}, not "${value}".`);
  return mode;
}

function parseApproval(value: string | undefined, mode: Mode): 'auto' | 'ask' {
  if (value === 'auto' || value === 'ask') return value;
  if (value !== undefined) throw new UsageError(`--approve takes auto or ask, not "${value}".`);
  return mode === 'run' && process.stdin.isTTY ? 'ask' : 'auto';
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} takes a positive whole number, not "${text}".`);
  return n;
}

function optionalNumber(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} takes a number ≥ 0, not "${text}".`);
  return n;
}
