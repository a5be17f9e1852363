// Provider profiles: named, validated connection settings ({ name, type, baseUrl, model, apiKeyEnv, headers,
// contextWindow, prices, apiVersion }) that the CLI reads from a file and the extension from its settings. A profile
// never holds a key: it names the environment variable that does (the extension passes its SecretStorage key as an
// override). resolveProvider turns a profile plus explicit overrides into the client's options.
import type { ProviderType } from './endpoint';
import { isLocalUrl } from './endpoint';
import type { OpenAIModelClientOptions } from './openaiClient';
import type { Pricing } from './pricing';

export const PROVIDER_TYPES: readonly ProviderType[] = ['openai-compatible', 'azure', 'ollama'];

export interface ProviderPrices {
  inputPerMillion: number;
  outputPerMillion: number;
}

export interface ProviderProfile {
  name: string;
  type?: ProviderType;
  baseUrl: string;
  model: string;
  /** The environment variable holding the API key (never the key itself). */
  apiKeyEnv?: string;
  /** Send the key in this header instead of Authorization (e.g. "x-api-key"); Azure uses "api-key" by itself. */
  apiKeyHeader?: string;
  /** Extra headers; a value may name environment variables as ${NAME}. */
  headers?: Record<string, string>;
  contextWindow?: number;
  prices?: ProviderPrices;
  apiVersion?: string;
}

export class ProfileError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

const FIELDS = ['name', 'type', 'baseUrl', 'model', 'apiKeyEnv', 'apiKeyHeader', 'headers', 'contextWindow', 'prices', 'apiVersion'];
/** Headers whose value is a credential: only from the environment (${NAME}), never written in the file. */
const SECRET_HEADERS = /^(authorization|proxy-authorization|api-key|x-api-key|x-goog-api-key|cookie)$/i;

/**
 * Parses a providers file: `{ "providers": [profile, …] }` (or the list alone). Throws a ProfileError whose message
 * names the exact field, e.g. `providers[1].contextWindow must be a whole number of tokens ≥ 1024, not "big"`.
 */
export function parseProviderProfiles(value: unknown): ProviderProfile[] {
  const list = Array.isArray(value) ? value : isRecord(value) ? value.providers : undefined;
  const root = Array.isArray(value) ? '' : 'providers';
  if (!Array.isArray(list)) throw new ProfileError('providers', 'The providers file must hold {"providers": [ … ]}: a list of profiles.');
  const seen = new Set<string>();
  return list.map((entry, i) => {
    const profile = parseProfile(entry, `${root}[${i}]`);
    if (seen.has(profile.name)) throw new ProfileError(`${root}[${i}].name`, `${root}[${i}].name: "${profile.name}" is the name of an earlier profile; names must be unique.`);
    seen.add(profile.name);
    return profile;
  });
}

/** One profile (the extension's settings hold one at a time); `at` prefixes field names in errors. */
export function parseProfile(value: unknown, at = 'profile'): ProviderProfile {
  if (!isRecord(value)) throw new ProfileError(at, `${at} must be an object with at least name, baseUrl and model.`);
  for (const key of Object.keys(value)) {
    if (FIELDS.includes(key)) continue;
    if (/^(api[_-]?key|key|token|secret|password)$/i.test(key)) {
      throw new ProfileError(`${at}.${key}`, `${at}.${key}: a profile never holds a key; put it in an environment variable and name that variable with "apiKeyEnv".`);
    }
    throw new ProfileError(`${at}.${key}`, `${at}.${key} is not a profile field (known: ${FIELDS.join(', ')}).`);
  }
  const field = (name: string) => `${at}.${name}`;
  const name = requiredString(value, 'name', at);
  if (!/^[\w.@-]+$/.test(name)) throw new ProfileError(field('name'), `${field('name')} may use letters, digits, ".", "_", "-" and "@", not "${name}".`);
  const type = value.type;
  if (type !== undefined && !PROVIDER_TYPES.includes(type as ProviderType)) {
    throw new ProfileError(field('type'), `${field('type')} must be one of ${PROVIDER_TYPES.join(', ')}, not ${JSON.stringify(type)}.`);
  }
  const baseUrl = requiredString(value, 'baseUrl', at);
  if (!/^https?:\/\/[^/]/i.test(baseUrl) || !canParse(baseUrl)) throw new ProfileError(field('baseUrl'), `${field('baseUrl')} must be an http(s) URL, not "${baseUrl}".`);
  const profile: ProviderProfile = { name, baseUrl, model: requiredString(value, 'model', at) };
  if (type !== undefined) profile.type = type as ProviderType;
  const apiKeyEnv = optionalString(value, 'apiKeyEnv', at);
  if (apiKeyEnv !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(apiKeyEnv)) {
      throw new ProfileError(field('apiKeyEnv'), `${field('apiKeyEnv')} names an environment variable (like OPENROUTER_API_KEY), not "${apiKeyEnv.length > 12 ? `${apiKeyEnv.slice(0, 4)}…` : apiKeyEnv}"; a profile never holds the key itself.`);
    }
    profile.apiKeyEnv = apiKeyEnv;
  }
  const apiKeyHeader = optionalString(value, 'apiKeyHeader', at);
  if (apiKeyHeader !== undefined) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(apiKeyHeader)) throw new ProfileError(field('apiKeyHeader'), `${field('apiKeyHeader')} must be a header name, not "${apiKeyHeader}".`);
    profile.apiKeyHeader = apiKeyHeader;
  }
  if (value.headers !== undefined) profile.headers = parseHeaders(value.headers, field('headers'));
  if (value.contextWindow !== undefined) {
    const window = value.contextWindow;
    if (typeof window !== 'number' || !Number.isInteger(window) || window < 1024) {
      throw new ProfileError(field('contextWindow'), `${field('contextWindow')} must be a whole number of tokens ≥ 1024, not ${JSON.stringify(window)}.`);
    }
    profile.contextWindow = window;
  }
  if (value.prices !== undefined) profile.prices = parsePrices(value.prices, field('prices'));
  const apiVersion = optionalString(value, 'apiVersion', at);
  if (apiVersion !== undefined) profile.apiVersion = apiVersion;
  return profile;
}

function parseHeaders(value: unknown, at: string): Record<string, string> {
  if (!isRecord(value)) throw new ProfileError(at, `${at} must be an object of header names to values.`);
  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries(value)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new ProfileError(`${at}.${name}`, `${at}: "${name}" is not a header name.`);
    if (typeof header !== 'string') throw new ProfileError(`${at}.${name}`, `${at}.${name} must be a string, not ${JSON.stringify(header)}.`);
    if (SECRET_HEADERS.test(name) && !/\$\{[A-Za-z_][A-Za-z0-9_]*\}/.test(header)) {
      throw new ProfileError(`${at}.${name}`, `${at}.${name} holds a credential in plain text; use apiKeyEnv (with apiKeyHeader "${name}") or write the value as \${ENV_VAR}.`);
    }
    headers[name] = header;
  }
  return headers;
}

function parsePrices(value: unknown, at: string): ProviderPrices {
  if (!isRecord(value)) throw new ProfileError(at, `${at} must be {"inputPerMillion": USD, "outputPerMillion": USD}.`);
  for (const key of Object.keys(value)) {
    if (key !== 'inputPerMillion' && key !== 'outputPerMillion') throw new ProfileError(`${at}.${key}`, `${at}.${key} is not a price field (inputPerMillion, outputPerMillion).`);
  }
  const number = (key: 'inputPerMillion' | 'outputPerMillion'): number => {
    const price = value[key];
    if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) {
      throw new ProfileError(`${at}.${key}`, `${at}.${key} must be a number of US dollars per million tokens ≥ 0, not ${JSON.stringify(price)}.`);
    }
    return price;
  };
  return { inputPerMillion: number('inputPerMillion'), outputPerMillion: number('outputPerMillion') };
}

/** Explicit settings that win over the profile's (CLI flags; the extension's own settings and its secret key). */
export interface ProviderOverrides {
  baseUrl?: string;
  model?: string;
  type?: ProviderType;
  /** The key itself (the extension's SecretStorage), over the profile's apiKeyEnv. */
  apiKey?: string;
  apiKeyHeader?: string;
  /** Added to (and over) the profile's headers. */
  headers?: Record<string, string>;
  contextWindow?: number;
  prices?: Partial<ProviderPrices>;
  apiVersion?: string;
}

export interface ResolvedProvider {
  /** Everything the client needs but callbacks (onRetry, sleep) and timeouts. */
  options: OpenAIModelClientOptions;
  /** The profile's (or override's) context window, for the session's context manager. */
  contextWindow?: number;
  /** Where the key came from ("MY_KEY", "the extension's secret storage", "none needed (local server)"). */
  keySource: string;
  /** The profile's name, or null when there was none. */
  profile: string | null;
}

/**
 * A profile with explicit overrides, as client options. The key: overrides.apiKey, else the profile's apiKeyEnv
 * (an error when that variable is unset), else PATCHPILOT_API_KEY, AZURE_OPENAI_API_KEY for Azure, OPENAI_API_KEY,
 * else none for a server on this machine.
 */
export function resolveProvider(profile: ProviderProfile | null, overrides: ProviderOverrides = {}, env: NodeJS.ProcessEnv = process.env): ResolvedProvider {
  const baseUrl = overrides.baseUrl ?? profile?.baseUrl;
  const model = overrides.model ?? profile?.model;
  const label = profile ? `profile "${profile.name}"` : 'the command line';
  if (!baseUrl) throw new ProfileError('baseUrl', `No base URL in ${label}.`);
  if (!model && !/\/openai\/deployments\/[^/?]+/.test(baseUrl)) throw new ProfileError('model', `No model in ${label}: say which model to use.`);
  const type = overrides.type ?? profile?.type;
  const headers = interpolate({ ...profile?.headers, ...overrides.headers }, env, label);
  const { key, source } = findKey(profile, overrides, env, baseUrl, type);
  const prices = profile?.prices || overrides.prices ? { ...profile?.prices, ...definedOnly(overrides.prices) } : undefined;
  const resolvedModel = model ?? '';
  const options: OpenAIModelClientOptions = {
    baseURL: baseUrl,
    apiKey: key,
    model: resolvedModel,
    ...(type ? { type } : {}),
    ...(overrides.apiVersion ?? profile?.apiVersion ? { apiVersion: overrides.apiVersion ?? profile?.apiVersion } : {}),
    ...(overrides.apiKeyHeader ?? profile?.apiKeyHeader ? { apiKeyHeader: overrides.apiKeyHeader ?? profile?.apiKeyHeader } : {}),
    ...(Object.keys(headers).length ? { extraHeaders: headers } : {}),
    ...(prices ? { pricing: pricingFor(resolvedModel, baseUrl, prices) } : {}),
  };
  const contextWindow = overrides.contextWindow ?? profile?.contextWindow;
  if (contextWindow) options.contextWindow = contextWindow;
  return { options, ...(contextWindow ? { contextWindow } : {}), keySource: source, profile: profile?.name ?? null };
}

function findKey(profile: ProviderProfile | null, overrides: ProviderOverrides, env: NodeJS.ProcessEnv, baseUrl: string, type: ProviderType | undefined): { key: string; source: string } {
  if (overrides.apiKey) return { key: overrides.apiKey, source: 'given' };
  if (profile?.apiKeyEnv) {
    const key = env[profile.apiKeyEnv];
    if (!key) throw new ProfileError(`${profile.name}.apiKeyEnv`, `Profile "${profile.name}" takes its API key from ${profile.apiKeyEnv}, which is not set.`);
    return { key, source: profile.apiKeyEnv };
  }
  const azure = type === 'azure' || /\/openai\/(deployments|v1)\b/.test(baseUrl) || /\.azure\.com\b/.test(baseUrl);
  for (const name of ['PATCHPILOT_API_KEY', ...(azure ? ['AZURE_OPENAI_API_KEY'] : []), 'OPENAI_API_KEY']) {
    const key = env[name];
    if (key) return { key, source: name };
  }
  if (isLocalUrl(baseUrl)) return { key: 'local', source: 'none needed (local server)' };
  throw new ProfileError('apiKeyEnv', `No API key for ${baseUrl}: set PATCHPILOT_API_KEY or OPENAI_API_KEY${azure ? ' (or AZURE_OPENAI_API_KEY)' : ''}, or name the variable in the profile's "apiKeyEnv" (local servers such as Ollama need none).`);
}

/** Prices keyed by the model name the client will report (an Azure deployment's name comes from its URL). */
function pricingFor(model: string, baseUrl: string, prices: Partial<ProviderPrices>): Pricing {
  const name = model || decodeURIComponent(/\/openai\/deployments\/([^/?]+)/.exec(baseUrl)?.[1] ?? '');
  return { [name]: { inputPerMTok: prices.inputPerMillion ?? 0, outputPerMTok: prices.outputPerMillion ?? 0 } };
}

function interpolate(headers: Record<string, string>, env: NodeJS.ProcessEnv, label: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    result[name] = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, variable: string) => {
      const found = env[variable];
      if (found === undefined) throw new ProfileError(`headers.${name}`, `Header "${name}" of ${label} uses \${${variable}}, which is not set.`);
      return found;
    });
  }
  return result;
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function requiredString(record: Record<string, unknown>, key: string, at: string): string {
  const value = record[key];
  if (typeof value !== 'string' || value.trim() === '') throw new ProfileError(`${at}.${key}`, `${at}.${key} is required: a non-empty string${value === undefined ? '' : `, not ${JSON.stringify(value)}`}.`);
  return value.trim();
}

function optionalString(record: Record<string, unknown>, key: string, at: string): string | undefined {
  const value = record[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new ProfileError(`${at}.${key}`, `${at}.${key} must be a non-empty string, not ${JSON.stringify(value)}.`);
  return value.trim();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function canParse(url: string): boolean {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}
