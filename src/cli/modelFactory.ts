// Builds the model client from CLI flags, provider profiles and the environment: a real OpenAI-compatible endpoint
// (Azure, Ollama and the rest, connected by agent/model/connect.ts, which the extension shares), or the scripted model
// served over real HTTP on loopback. This file owns only what is the CLI's: flags, the providers file, usage errors.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { connectModel, costLabeller } from '../agent/model/connect';
import { EndpointError, type ProviderType } from '../agent/model/endpoint';
import { OpenAIModelClient } from '../agent/model/openaiClient';
import type { Pricing } from '../agent/model/pricing';
import { parseProviderProfiles, PROVIDER_TYPES, ProfileError, type ProviderOverrides, type ProviderProfile } from '../agent/model/profiles';
import type { ModelClient } from '../agent/ports';
import { startScriptedServer, type ScriptedServer } from '../scripted/server';
import { UsageError } from './usage';

export interface ModelFlags {
  baseUrl?: string;
  model?: string;
  scriptedModel?: string;
  priceInput?: number;
  priceOutput?: number;
  /** A profile name from the providers file, or a provider type (azure, ollama, openai-compatible). */
  provider?: string;
  providersFile?: string;
  apiVersion?: string;
  apiKeyHeader?: string;
  /** "Name: value" pairs. */
  headers?: string[];
  contextWindow?: number;
  /** The scripted client's model name (default "scripted"): a role's or an escalation's own scripted server is told apart by it. */
  scriptedName?: string;
}

export interface BuiltModel {
  client: ModelClient;
  /** Set when the scripted model was started: close it when the task ends. */
  scripted?: ScriptedServer;
  describe: string;
  /** The API key in use, so it can be masked wherever it shows up (never given to commands). */
  apiKey?: string;
  /** The context window to size the task's context to (a profile, Ollama's num_ctx), when known. */
  contextWindow?: number;
  /** Lines to print before the task starts (what was detected, what is small). */
  notes: string[];
  /** How a cost should be labelled: "estimate (prices of …)", "estimate (your prices)", "price unknown". */
  costLabel(costUsd: number | null): string;
}

export async function buildModel(flags: ModelFlags, env: NodeJS.ProcessEnv = process.env): Promise<BuiltModel> {
  if (flags.scriptedModel) {
    const server = await startScriptedServer(flags.scriptedModel);
    const name = flags.scriptedName ?? 'scripted';
    const pricing = flagPricing(name, flags);
    const client = new OpenAIModelClient({ baseURL: server.url, apiKey: 'scripted', model: name, pricing });
    return { client, scripted: server, describe: `scripted model ${flags.scriptedModel} at ${server.url}`, notes: [], costLabel: costLabeller(name, pricing) };
  }
  const { profile, type } = selectProvider(flags, env);
  const baseUrl = flags.baseUrl ?? profile?.baseUrl ?? env.PATCHPILOT_BASE_URL ?? env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1';
  const model = flags.model ?? profile?.model ?? env.PATCHPILOT_MODEL;
  if (!model && !/\/openai\/deployments\/[^/?]+/.test(baseUrl)) {
    throw new UsageError('Say which model to use: --model NAME (or PATCHPILOT_MODEL), --provider PROFILE, or --scripted-model FILE.');
  }
  const overrides: ProviderOverrides = {
    baseUrl, ...(model ? { model } : {}), ...(type ? { type } : {}),
    ...(flags.apiVersion ? { apiVersion: flags.apiVersion } : {}),
    ...(flags.apiKeyHeader ? { apiKeyHeader: flags.apiKeyHeader } : {}),
    ...(flags.headers?.length ? { headers: parseHeaderFlags(flags.headers) } : {}),
    ...(flags.contextWindow ? { contextWindow: flags.contextWindow } : {}),
    ...(flags.priceInput !== undefined || flags.priceOutput !== undefined
      ? { prices: { ...(flags.priceInput !== undefined ? { inputPerMillion: flags.priceInput } : {}), ...(flags.priceOutput !== undefined ? { outputPerMillion: flags.priceOutput } : {}) } }
      : {}),
  };
  let connection;
  try {
    connection = await connectModel(profile, overrides, { env });
  } catch (error) {
    if (error instanceof ProfileError || error instanceof EndpointError) throw new UsageError(error.message);
    throw error;
  }
  return {
    client: connection.client,
    describe: connection.describe,
    ...(connection.apiKey ? { apiKey: connection.apiKey } : {}),
    ...(connection.contextWindow ? { contextWindow: connection.contextWindow } : {}),
    notes: [...connection.notes, ...connection.warnings.map((w) => `warning: ${w}`)],
    costLabel: connection.costLabel,
  };
}

/** The profile named by --provider (from --providers FILE, PATCHPILOT_PROVIDERS or ~/.config/patchpilot/providers.json), or a bare provider type. */
function selectProvider(flags: ModelFlags, env: NodeJS.ProcessEnv): { profile: ProviderProfile | null; type?: ProviderType } {
  if (!flags.provider) return { profile: null };
  const file = flags.providersFile ?? env.PATCHPILOT_PROVIDERS ?? join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'patchpilot', 'providers.json');
  const explicit = flags.providersFile !== undefined || env.PATCHPILOT_PROVIDERS !== undefined;
  const profiles = existsSync(file) ? loadProfiles(file) : explicit ? missingFile(file) : [];
  const profile = profiles.find((p) => p.name === flags.provider);
  if (profile) return { profile };
  const type = PROVIDER_TYPES.find((t) => t === flags.provider);
  if (type) return { profile: null, type };
  const known = profiles.map((p) => p.name);
  throw new UsageError(`--provider ${flags.provider}: no such profile in ${file}${known.length ? ` (it has: ${known.join(', ')})` : existsSync(file) ? ' (it has none)' : ' (no such file)'}, and not a provider type (${PROVIDER_TYPES.join(', ')}).`);
}

function loadProfiles(file: string): ProviderProfile[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file}: not readable JSON (${(error as Error).message}).`);
  }
  try {
    return parseProviderProfiles(value);
  } catch (error) {
    if (error instanceof ProfileError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
}

function missingFile(file: string): never {
  throw new UsageError(`The providers file ${file} does not exist.`);
}

/** `--header 'Name: value'`, repeatable. */
export function parseHeaderFlags(values: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values) {
    const colon = value.indexOf(':');
    const name = colon > 0 ? value.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError(`--header takes "Name: value", not "${value}".`);
    headers[name] = value.slice(colon + 1).trim();
  }
  return headers;
}

function flagPricing(model: string, flags: ModelFlags): Pricing | undefined {
  if (flags.priceInput === undefined && flags.priceOutput === undefined) return undefined;
  return { [model]: { inputPerMTok: flags.priceInput ?? 0, outputPerMTok: flags.priceOutput ?? 0 } };
}

/** One role's (or the escalation's) own model flags: `--planner-model`, `--planner-base-url`, `--planner-scripted-model` … */
export interface RoleModelFlags { model?: string; baseUrl?: string; scriptedModel?: string }

export type ModelSlot = 'planner' | 'coder' | 'verifier' | 'escalate';

export interface BuiltModels {
  /** The coder's model: the task's model with or without roles. */
  coder: BuiltModel;
  planner?: BuiltModel;
  verifier?: BuiltModel;
  escalate?: BuiltModel;
  /** Every distinct model built, to print, to mask their keys, and to close their scripted servers. */
  all: { slot: ModelSlot | 'main'; model: BuiltModel }[];
}

/**
 * The models of a task: each role's from its own flags, else from --model/--base-url (keys found as for the main
 * model). A role flag without --roles is a usage error, never silently ignored; the escalation model works either way.
 */
export async function buildModels(base: ModelFlags, slots: Partial<Record<ModelSlot, RoleModelFlags>>, roles: boolean, env: NodeJS.ProcessEnv = process.env): Promise<BuiltModels> {
  const given = (slot: ModelSlot) => { const f = slots[slot]; return !!f && (f.model !== undefined || f.baseUrl !== undefined || f.scriptedModel !== undefined); };
  if (!roles) {
    const stray = (['planner', 'coder', 'verifier'] as const).find(given);
    if (stray) throw new UsageError(`--${stray}-model, --${stray}-base-url and --${stray}-scripted-model need --roles.`);
  }
  const all: BuiltModels['all'] = [];
  let main: BuiltModel | undefined;
  const mainModel = async () => {
    if (!main) all.push({ slot: 'main', model: (main = await buildModel(base, env)) });
    return main;
  };
  const build = async (slot: ModelSlot): Promise<BuiltModel> => {
    if (!given(slot)) return mainModel();
    const model = await buildModel(roleFlags(base, slots[slot]!, slot), env);
    all.push({ slot, model });
    return model;
  };
  const coder = await build('coder');
  const planner = roles ? await build('planner') : undefined;
  const verifier = roles ? await build('verifier') : undefined;
  const escalate = given('escalate') ? await build('escalate') : undefined;
  return { coder, ...(planner ? { planner } : {}), ...(verifier ? { verifier } : {}), ...(escalate ? { escalate } : {}), all };
}

/** A slot's flags over the main ones. Flag prices belong to the main model's name: another name is priced from the table. */
function roleFlags(base: ModelFlags, own: RoleModelFlags, slot: ModelSlot): ModelFlags {
  if (own.scriptedModel) return { scriptedModel: own.scriptedModel, scriptedName: `scripted-${slot}` };
  const sameName = own.model === undefined || own.model === base.model;
  return {
    ...base, scriptedModel: undefined, baseUrl: own.baseUrl ?? base.baseUrl, model: own.model ?? base.model,
    ...(sameName ? {} : { priceInput: undefined, priceOutput: undefined }),
  };
}
