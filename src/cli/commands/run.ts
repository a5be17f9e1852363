// `patchpilot run`, `fix-tests` and `resume`: one task through the real loop, printed live, with an optional JSON report.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AgentSession, type SessionOptions } from '../../agent/session';
import { ensurePatchpilotIgnore, spillDirFor } from '../../agent/projectContext';
import type { TaskResult } from '../../agent/result';
import { NodeCommandRunner } from '../../tools/process/runProcess';
import { autoApprover, TerminalApprover } from '../approvers';
import { buildModels, type ModelFlags, type ModelSlot, type RoleModelFlags } from '../modelFactory';
import { attemptCount, runWithAttempts } from './attempts';
import { cleanupStaleWorktrees } from '../../tools/changes/worktrees';
import { createPrinter, createStreamPrinter } from '../printer';
import { UsageError } from '../usage';
import { SANDBOX_MODES, type SandboxMode } from '../../tools/process/sandbox/policy';
import { unprotectProblems } from '../../agent/policy/pathPolicy';
import { McpConfigError, parseMcpConfig, type McpServerConfig } from '../../tools/mcp/config';

export const FIX_TESTS_GOAL = 'make the failing tests pass';
const FIX_TESTS_TRIAGES_BY_DEFAULT = true;

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
  // Roles and escalation (src/agent/orchestrator): each role's model and endpoint, defaulting to --model/--base-url.
  roles: { type: 'boolean' }, 'verifier-rounds': { type: 'string' },
  'planner-model': { type: 'string' }, 'planner-base-url': { type: 'string' }, 'planner-scripted-model': { type: 'string' },
  'coder-model': { type: 'string' }, 'coder-base-url': { type: 'string' }, 'coder-scripted-model': { type: 'string' },
  'verifier-model': { type: 'string' }, 'verifier-base-url': { type: 'string' }, 'verifier-scripted-model': { type: 'string' },
  'escalate-model': { type: 'string' }, 'escalate-base-url': { type: 'string' }, 'escalate-scripted-model': { type: 'string' },
  triage: { type: 'boolean' }, 'no-triage': { type: 'boolean' }, bisect: { type: 'boolean' }, 'bisect-depth': { type: 'string' },
  'no-targeted-runs': { type: 'boolean' },
  attempts: { type: 'string' }, 'attempt-models': { type: 'string' }, 'attempt-scripted-models': { type: 'string' }, parallel: { type: 'string' },
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
  const attempts = attemptCount(values);
  if (mode === 'resume' && attempts > 1) throw new UsageError('resume continues one task; --attempts is for run and fix-tests.');
  const approval = parseApproval(values.approve, mode);
  const unprotectErrors = unprotectProblems(values.unprotect ?? []);
  if (unprotectErrors.length) throw new UsageError(`--unprotect: ${unprotectErrors.join(' ')}`);
  const color = process.stdout.isTTY === true;
  const print = values.quiet ? () => undefined : createPrinter({ write: (t) => process.stdout.write(t), verbose: values.verbose ?? false, color });
  const contextWindow = values['context-window'] ? positiveInt(values['context-window'], '--context-window') : undefined;
  if (values['verifier-rounds'] !== undefined && !values.roles) throw new UsageError('--verifier-rounds needs --roles.');
  const slot = (name: ModelSlot): RoleModelFlags => ({ model: values[`${name}-model`], baseUrl: values[`${name}-base-url`], scriptedModel: values[`${name}-scripted-model`] });
  const modelFlags: ModelFlags = {
    baseUrl: values['base-url'], model: values.model, scriptedModel: values['scripted-model'],
    priceInput: optionalNumber(values['price-input'], '--price-input'), priceOutput: optionalNumber(values['price-output'], '--price-output'),
    provider: values.provider, providersFile: values.providers ? resolve(values.providers) : undefined,
    apiVersion: values['api-version'], apiKeyHeader: values['api-key-header'], headers: values.header, contextWindow,
  };
  const models = await buildModels(modelFlags, { planner: slot('planner'), coder: slot('coder'), verifier: slot('verifier'), escalate: slot('escalate') }, values.roles ?? false);
  const model = models.coder;
  const apiKeys = [...new Set(models.all.map((built) => built.model.apiKey).filter((key): key is string => !!key && key !== 'local'))];
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
    knownSecrets: apiKeys.map((value, i) => ({ name: i === 0 ? 'the API key' : `API key ${i + 1}`, value })),
    mcpServers: loadMcpConfigs(values['mcp-config'] ?? []),
    mcpAllow: values['allow-mcp'],
    trusted: !values.untrusted,
    triage: triageOption(mode, values),
    targetedRuns: !values['no-targeted-runs'],
    testTimeoutMs: values['test-timeout'] ? positiveInt(values['test-timeout'], '--test-timeout') * 1000 : undefined,
    // The window the flag says, else the one the provider told (a profile, Ollama's num_ctx).
    context: contextWindow ?? model.contextWindow ? { windowTokens: contextWindow ?? model.contextWindow } : undefined,
    ...(models.planner && models.verifier ? { roles: { models: { planner: models.planner.client, verifier: models.verifier.client },
      ...(values['verifier-rounds'] !== undefined ? { maxSendBacks: nonNegativeInt(values['verifier-rounds'], '--verifier-rounds') } : {}) } } : {}),
    ...(models.escalate ? { escalateTo: models.escalate.client } : {}),
  };
  if (!values.quiet) {
    for (const built of models.all) {
      process.stdout.write(`${modelLine(built.slot, models)}: ${built.model.describe}\n`);
      for (const note of built.model.notes) process.stdout.write(`${note}\n`);
    }
  }
  // Worktrees a crashed run left behind (parallel attempts) are removed when a task starts.
  await cleanupStaleWorktrees(cwd).catch(() => []);
  if (attempts > 1) {
    try {
      return await runWithAttempts({ count: attempts, flags: values, modelFlags, base: model, task: { ...shared, goal: goal!, cwd },
        verbose: values.verbose ?? false, quiet: values.quiet ?? false, color, report: values.report });
    } finally {
      terminal?.close();
      for (const built of models.all) await built.model.scripted?.close();
    }
  }
  const session = mode === 'resume'
    ? AgentSession.resume(journalDir, values.task!, { ...shared, testCommand: undefined })
    : AgentSession.create({ ...shared, goal: goal!, cwd, ...(hooks.taskId ? { taskId: hooks.taskId } : {}) });
  hooks.onSession?.(session);
  let role: string | undefined;
  session.onEvent((event) => { role = event.role; print(event); });
  if (!values.quiet) session.onStream(createStreamPrinter({ write: (t) => process.stdout.write(t), verbose: false, color, role: () => role }));
  const stop = () => session.cancel();
  process.once('SIGINT', stop);
  let result: TaskResult;
  try {
    result = await session.run();
  } finally {
    process.off('SIGINT', stop);
    terminal?.close();
    for (const built of models.all) await built.model.scripted?.close();
  }
  const costNote = model.costLabel(result.usage.costUsd);
  if (values.report) writeFileSync(values.report, JSON.stringify({ ...result, usage: { ...result.usage, costNote } }, null, 2) + '\n');
  if (!values.quiet) printEnd(result, costNote, models.all.length > 1 || values.roles === true);
  // unverified: the model finished and nothing failed, but nothing proved it (no test command, no tests ran).
  return result.status === 'verified' || result.status === 'unverified' ? 0 : 1;
}

function printEnd(result: TaskResult, costNote: string, perRole: boolean): void {
  const usage = result.usage;
  const cost = usage.costUsd === null ? `cost: ${costNote} (set --price-input/--price-output, or prices in a profile)` : `$${usage.costUsd.toFixed(4)} ${costNote}`;
  process.stdout.write(`steps: ${result.steps}, tokens: ${usage.promptTokens} in / ${usage.completionTokens} out, ${cost}\n`);
  // With roles or an escalation, what each role and each model spent (the budgets bound the sum above).
  if (perRole) {
    for (const [role, share] of Object.entries(result.roles)) process.stdout.write(`  ${role}: ${shareLine(share)}, model ${share.model}\n`);
    const byModel = Object.entries(result.usageByModel);
    // Per model only where it says more than per role: the coder's two models after an escalation.
    if (result.escalation) for (const [name, share] of byModel) process.stdout.write(`  model ${name}: ${shareLine(share)}\n`);
    if (result.escalation) process.stdout.write(`  escalated at step ${result.escalation.step}: ${result.escalation.from} → ${result.escalation.to}\n`);
  }
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

/**
 * Triage: on by default for fix-tests (--no-triage turns it off), asked for with --triage for run; --bisect implies it.
 * Its baseline run is not counted by the no-progress guard.
 */
function triageOption(mode: Mode, values: { triage?: boolean; 'no-triage'?: boolean; bisect?: boolean; 'bisect-depth'?: string; test?: string }): SessionOptions['triage'] {
  if (values.triage && values['no-triage']) throw new UsageError('--triage and --no-triage contradict each other.');
  if (values['bisect-depth'] !== undefined && !values.bisect) throw new UsageError('--bisect-depth needs --bisect.');
  if (values.bisect && values['no-triage']) throw new UsageError('--bisect is part of triage: drop --no-triage.');
  if ((values.triage || values.bisect) && !values.test && mode !== 'resume') throw new UsageError('--triage and --bisect need --test CMD.');
  const wanted = values.bisect || values.triage || (FIX_TESTS_TRIAGES_BY_DEFAULT && mode === 'fix-tests' && !values['no-triage']);
  if (!wanted) return null;
  const depth = values['bisect-depth'] !== undefined ? positiveInt(values['bisect-depth'], '--bisect-depth') : undefined;
  return { bisect: values.bisect ? (depth ? { depth } : {}) : null };
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

function modelLine(slot: ModelSlot | 'main', models: { all: { slot: string }[] }): string {
  if (slot !== 'main') return `${slot} model`;
  return models.all.length > 1 ? 'model (default)' : 'model';
}

function shareLine(share: { modelCalls: number; usage: { promptTokens: number; completionTokens: number; costUsd: number | null } }): string {
  const cost = share.usage.costUsd === null ? 'cost unknown' : `$${share.usage.costUsd.toFixed(4)}`;
  return `${share.modelCalls} call(s), ${share.usage.promptTokens} in / ${share.usage.completionTokens} out, ${cost}`;
}

function nonNegativeInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} takes a whole number ≥ 0, not "${text}".`);
  return n;
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
