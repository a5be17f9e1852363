// From a provider profile and explicit overrides to a connected model client: the one path the CLI and the extension
// share. It resolves the profile (profiles.ts), builds the client (Azure and the rest through endpoint.ts), asks a
// server on this machine whether it is Ollama and sizes the task's window to what Ollama really runs (ollama.ts), and
// says in words what it connected to and how a cost should be labelled. No 'vscode', no flags, no files: callers
// turn ProfileError and EndpointError into their own kind of message (a usage error, a notification).
import { isLocalUrl } from './endpoint';
import { ollamaSizing, probeOllama } from './ollama';
import { OpenAIModelClient, type OpenAIModelClientOptions } from './openaiClient';
import { DEFAULT_PRICES_DATE, describePriceBasis, priceBasis, type Pricing } from './pricing';
import { parseProfile, ProfileError, resolveProvider, type ProviderOverrides, type ProviderProfile } from './profiles';
import type { Fetch } from './transport';

export interface ConnectOptions {
  env?: NodeJS.ProcessEnv;
  /** Prices by model name under the profile's own (the extension's patchpilot.modelPrices). */
  pricing?: Pricing;
  /** How to name a key given as overrides.apiKey in the description (e.g. "VS Code's Secret Storage"). */
  apiKeySource?: string;
  /** How long the Ollama probe of a local server may take (default 2000 ms): a server that is not Ollama answers 404 at once. */
  probeTimeoutMs?: number;
  /** Client options the caller owns (retries, timeouts, onRetry); provider settings win over them. */
  client?: Partial<OpenAIModelClientOptions>;
  fetch?: Fetch;
}

export interface ModelConnection {
  client: OpenAIModelClient;
  /** "gpt4o-prod at https://…/openai/deployments/gpt4o-prod (Azure deployment, api-version 2024-10-21), profile azure, key from AZURE_OPENAI_API_KEY" */
  describe: string;
  /** The profile's name, or null without one. */
  profile: string | null;
  /** The API key in use, so it can be masked wherever it shows up; absent for a local server that needs none. */
  apiKey?: string;
  /** The window to size the task's context to (the profile's, an override's, Ollama's), when known. */
  contextWindow?: number;
  /** What was detected, to say before the task starts. */
  notes: string[];
  /** What the person should act on (a small Ollama window); the CLI prints them, the extension shows them once. */
  warnings: string[];
  /** "estimate (prices of …)", "estimate (your prices)" or "price unknown". */
  costLabel(costUsd: number | null): string;
}

/** Connects to the provider a profile (or none) and the overrides describe. Throws ProfileError or EndpointError. */
export async function connectModel(profile: ProviderProfile | null, overrides: ProviderOverrides, options: ConnectOptions = {}): Promise<ModelConnection> {
  const resolved = resolveProvider(profile, overrides, options.env ?? process.env);
  const pricing = options.pricing || resolved.options.pricing ? { ...options.pricing, ...resolved.options.pricing } : undefined;
  const clientOptions: OpenAIModelClientOptions = {
    ...options.client, ...resolved.options,
    ...(pricing ? { pricing } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  let client = new OpenAIModelClient(clientOptions);
  const notes: string[] = [];
  const warnings: string[] = [];
  let contextWindow = resolved.contextWindow;
  // Ollama drops the start of a prompt longer than its context, silently: find out what it runs with.
  if (client.endpoint.kind === 'ollama' || isLocalUrl(client.endpoint.baseURL)) {
    const info = await probeOllama(client.endpoint.nativeRoot, client.model, { timeoutMs: options.probeTimeoutMs ?? 2000, ...(options.fetch ? { fetch: options.fetch } : {}) });
    if (info) {
      const sizing = ollamaSizing(info);
      if (contextWindow === undefined) {
        contextWindow = sizing.windowTokens;
        notes.push(`Ollama ${info.version}: ${client.model} runs with a ${sizing.windowTokens.toLocaleString('en-US')}-token context window (${sizing.source}); the task is sized to it.`);
        warnings.push(...sizing.warnings);
      }
      client = new OpenAIModelClient({ ...clientOptions, type: 'ollama', contextWindow: contextWindow ?? sizing.windowTokens, contextAdvice: sizing.advice });
    }
  }
  const key = clientOptions.apiKey;
  const keySource = resolved.keySource === 'given' && options.apiKeySource ? options.apiKeySource : resolved.keySource;
  return {
    client,
    describe: describeConnection(client, resolved.profile, keySource),
    profile: resolved.profile,
    ...(key && key !== 'local' ? { apiKey: key } : {}),
    ...(contextWindow ? { contextWindow } : {}),
    notes,
    warnings,
    costLabel: costLabeller(client.model, clientOptions.pricing),
  };
}

/** The model, where it is, what kind of server, the profile and where the key came from — never the key. */
export function describeConnection(client: OpenAIModelClient, profile: string | null, keySource: string): string {
  const endpoint = client.endpoint;
  const version = endpoint.query['api-version'];
  const kind = endpoint.kind === 'azure-deployment' ? ` (Azure deployment${version ? `, api-version ${version}` : ''})`
    : endpoint.kind === 'azure-v1' ? ' (Azure v1 API)' : endpoint.kind === 'ollama' ? ' (Ollama)' : '';
  const key = keySource === 'given' || keySource.startsWith('none') ? '' : `, key from ${keySource}`;
  return `${client.model} at ${endpoint.label}${kind}${profile ? `, profile ${profile}` : ''}${key}`;
}

/** How a cost is labelled: whose prices it rests on, or that it is unknown. */
export function costLabeller(model: string, configured: Pricing | undefined): (costUsd: number | null) => string {
  return (costUsd) => {
    if (costUsd === null) return 'price unknown';
    const basis = priceBasis(model, configured);
    // A cost without a price for the configured name: the model the server reported (an Azure deployment's) was in the table.
    return describePriceBasis(basis.kind === 'unknown' ? { kind: 'default', asOf: DEFAULT_PRICES_DATE } : basis);
  };
}

/** Profiles read entry by entry: the valid ones, and one message naming the field for each invalid one. */
export interface ProfileList {
  profiles: ProviderProfile[];
  problems: string[];
}

/**
 * A list of profiles from settings (`at` names it in messages, e.g. "patchpilot.providers"). Unlike a providers
 * file, which is all or nothing, a bad entry here is reported and left out so the other profiles stay usable.
 */
export function parseProfileList(value: unknown, at: string): ProfileList {
  if (value === undefined || value === null) return { profiles: [], problems: [] };
  if (!Array.isArray(value)) return { profiles: [], problems: [`${at} must be a list of profiles, [{"name": …, "baseUrl": …, "model": …}], not ${JSON.stringify(value)}.`] };
  const list: ProfileList = { profiles: [], problems: [] };
  value.forEach((entry: unknown, i) => {
    try {
      const profile = parseProfile(entry, `${at}[${i}]`);
      if (list.profiles.some((p) => p.name === profile.name)) list.problems.push(`${at}[${i}].name: "${profile.name}" is the name of an earlier profile; names must be unique.`);
      else list.profiles.push(profile);
    } catch (error) {
      if (!(error instanceof ProfileError)) throw error;
      list.problems.push(error.message);
    }
  });
  return list;
}

/** The named profile (null for no name); an unknown or invalid name throws a message that says which and why. */
export function findProfile(name: string | null, list: ProfileList, words: { list: string; selector: string; fix: string }): ProviderProfile | null {
  if (!name) return null;
  const profile = list.profiles.find((p) => p.name === name);
  if (profile) return profile;
  const names = list.profiles.map((p) => p.name);
  const problems = list.problems.length ? ` ${list.problems.join(' ')}` : '';
  throw new ProfileError(words.selector, `${words.selector} is "${name}", but ${words.list} has no valid profile of that name${names.length ? ` (it has: ${names.join(', ')})` : ''}.${problems} ${words.fix}`);
}
