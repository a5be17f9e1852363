// Reads the `patchpilot.*` settings into one typed object; the only place that knows their names and defaults.
import * as vscode from 'vscode';
import type { Budgets } from '../agent/events';
import type { Pricing } from '../agent/model/pricing';
import { findProfile, parseProfileList, type ProfileList } from '../agent/model/connect';
import type { ProviderProfile } from '../agent/model/profiles';
import { SANDBOX_MODES, type SandboxMode } from '../tools/process/sandbox/policy';

export type ApprovalMode = 'ask' | 'auto';

export interface PatchpilotSettings {
  baseUrl: string;
  model: string;
  /** patchpilot.provider: the profile in use, or null for patchpilot.baseUrl and patchpilot.model. */
  provider: string | null;
  /** patchpilot.providers: the valid profiles, and a message naming the field of each invalid one. */
  providers: ProfileList;
  models: string[];
  pricing: Pricing;
  testCommand: string | null;
  approval: { newTask: ApprovalMode; fixFailingTests: ApprovalMode };
  budgets: Partial<Budgets>;
  commandRules: { allow: string[]; deny: string[] };
  /** Added to the built-in protected paths. */
  protectedPaths: string[];
  /** Built-in protected patterns the person removed explicitly. */
  unprotectedPaths: string[];
  sandbox: { mode: SandboxMode; allowHosts: string[] };
  passEnv: string[];
  allowTestEdits: boolean;
  /** Planner → coder → verifier (off by default); each role's model name ('' = patchpilot.model), same provider and key. */
  roles: { enabled: boolean; plannerModel: string; coderModel: string; verifierModel: string };
  /** The model the coder escalates to once on no progress ('' = no escalation). */
  escalateModel: string;
  /** Fix Failing Tests triages first (failing vs flaky; with `bisect`, the commit that broke each test). */
  triage: { enabled: boolean; bisect: boolean };
  /** While tests fail, run_tests re-runs only the failing ones (finish always runs the full suite). */
  targetedRuns: boolean;
  /** Parallel attempts of Fix Failing Tests: how many (1 = none), their models cycled ('' = patchpilot.model), how many at once (null = cores). */
  attempts: { count: number; models: string[]; parallel: number | null };
}

/** The most attempts a setting or the command may ask for (the CLI's bound). */
export const MAX_SETTING_ATTEMPTS = 16;

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.trim() !== '') : [];
}

function positiveOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

/** A whole number within bounds; anything else (a fraction, a string, out of range) is the default. */
function wholeNumberIn(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : fallback;
}

function sandboxMode(value: unknown): SandboxMode {
  return SANDBOX_MODES.find((mode) => mode === value) ?? 'workspace-write';
}

function approvalMode(value: unknown, fallback: ApprovalMode): ApprovalMode {
  return value === 'ask' || value === 'auto' ? value : fallback;
}

/** Settings prices are "per million" in dollars; the core's Pricing uses the same unit under other names. */
function readPricing(value: unknown): Pricing {
  const pricing: Pricing = {};
  if (typeof value !== 'object' || value === null) return pricing;
  for (const [model, price] of Object.entries(value)) {
    if (typeof price !== 'object' || price === null) continue;
    const input: unknown = Reflect.get(price, 'inputPerMillion');
    const output: unknown = Reflect.get(price, 'outputPerMillion');
    if (typeof input === 'number' && typeof output === 'number') pricing[model] = { inputPerMTok: input, outputPerMTok: output };
  }
  return pricing;
}

/**
 * The profile patchpilot.provider names, or null when none is selected; a name without a valid profile is an error
 * that says why (the profile's field error when it is invalid), never a quiet fallback to another endpoint.
 */
export function selectedProfile(settings: Pick<PatchpilotSettings, 'provider' | 'providers'>): ProviderProfile | null {
  return findProfile(settings.provider, settings.providers, { list: 'patchpilot.providers', selector: 'patchpilot.provider', fix: 'Fix the setting or pick another with "Patchpilot: Select Model".' });
}

function readBudgets(config: vscode.WorkspaceConfiguration): Partial<Budgets> {
  const budgets: Partial<Budgets> = {};
  const maxSteps = positiveOrNull(config.get('budgets.maxSteps'));
  if (maxSteps !== null) budgets.maxSteps = Math.floor(maxSteps);
  budgets.maxTokens = positiveOrNull(config.get('budgets.maxTokens'));
  budgets.maxCostUsd = positiveOrNull(config.get('budgets.maxCostUsd'));
  const minutes = positiveOrNull(config.get('budgets.maxMinutes'));
  budgets.maxWallMs = minutes === null ? null : minutes * 60_000;
  return budgets;
}

export function readSettings(scope?: vscode.Uri): PatchpilotSettings {
  const config = vscode.workspace.getConfiguration('patchpilot', scope);
  const testCommand = config.get<string>('testCommand', '').trim();
  return {
    baseUrl: config.get<string>('baseUrl', DEFAULT_BASE_URL).trim() || DEFAULT_BASE_URL,
    model: config.get<string>('model', 'gpt-4.1-mini').trim() || 'gpt-4.1-mini',
    provider: config.get<string>('provider', '').trim() || null,
    // User settings only ("scope": "machine"): a workspace cannot point your key at a server of its choosing.
    providers: parseProfileList(config.get('providers'), 'patchpilot.providers'),
    models: stringList(config.get('models')),
    pricing: readPricing(config.get('modelPrices')),
    testCommand: testCommand === '' ? null : testCommand,
    approval: {
      newTask: approvalMode(config.get('approval.newTask'), 'ask'),
      fixFailingTests: approvalMode(config.get('approval.fixFailingTests'), 'auto'),
    },
    budgets: readBudgets(config),
    commandRules: { allow: stringList(config.get('commands.allow')), deny: stringList(config.get('commands.deny')) },
    protectedPaths: stringList(config.get('protectedPaths')),
    unprotectedPaths: stringList(config.get('unprotectedPaths')),
    sandbox: { mode: sandboxMode(config.get('sandbox.mode')), allowHosts: stringList(config.get('sandbox.allowHosts')) },
    passEnv: stringList(config.get('commands.passEnv')),
    allowTestEdits: config.get<boolean>('allowTestEdits', false) === true,
    roles: {
      enabled: config.get<boolean>('roles.enabled', false) === true,
      plannerModel: config.get<string>('roles.plannerModel', '').trim(),
      coderModel: config.get<string>('roles.coderModel', '').trim(),
      verifierModel: config.get<string>('roles.verifierModel', '').trim(),
    },
    escalateModel: config.get<string>('escalation.model', '').trim(),
    triage: { enabled: config.get<boolean>('triage.enabled', true) !== false, bisect: config.get<boolean>('triage.bisect', false) === true },
    targetedRuns: config.get<boolean>('targetedRuns', true) !== false,
    attempts: {
      count: wholeNumberIn(config.get('attempts'), 1, MAX_SETTING_ATTEMPTS, 1),
      models: stringList(config.get('attemptModels')).map((name) => name.trim()),
      parallel: positiveOrNull(config.get('attemptsParallel')) === null ? null : Math.floor(positiveOrNull(config.get('attemptsParallel'))!),
    },
  };
}

/** Remembers the test command for this workspace (Fix Failing Tests asks once). */
export async function rememberTestCommand(command: string, scope?: vscode.Uri): Promise<void> {
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration('patchpilot', scope).update('testCommand', command, target);
}

/** A model name (of patchpilot.baseUrl, or a VS Code model): it takes over from a selected profile. */
export async function rememberModel(model: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('patchpilot');
  await config.update('model', model, vscode.ConfigurationTarget.Global);
  if (config.get<string>('provider')) await config.update('provider', undefined, vscode.ConfigurationTarget.Global);
}

/** A profile of patchpilot.providers: its base URL, model and key are used until another model is picked. */
export async function rememberProvider(name: string): Promise<void> {
  await vscode.workspace.getConfiguration('patchpilot').update('provider', name, vscode.ConfigurationTarget.Global);
}

/** A server on this machine (Ollama, LM Studio, the scripted test server) usually needs no API key. */
export function isLocalBaseUrl(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '::1' || host === '[::1]';
  } catch {
    return false;
  }
}
