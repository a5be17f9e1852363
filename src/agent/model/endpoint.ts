// Where requests go and how they authenticate: the base URL split into path and query, the key's header, extra
// headers, and the kind of server (Azure deployment, Azure v1, Ollama, any other OpenAI-compatible one).
//
// Azure, and why not the SDK's AzureOpenAI class: openai v6's AzureOpenAI (node_modules/openai/azure.js) does three
// things — adds `api-version` as a default query, sends the key as `api-key`, and inserts `/deployments/{model}`
// before `/chat/completions` when the base URL lacks it. A deployment URL the person pastes already holds the
// deployment; the key header is needed for other gateways too (`--api-key-header x-api-key`); and AzureOpenAI also
// reads OPENAI_API_VERSION, AZURE_OPENAI_ENDPOINT and OPENAI_BASE_URL from the environment as hidden defaults. So
// the one OpenAI client is shaped here instead: the query is split off the URL (the SDK appends the path to the
// whole string, so `…/deployments/NAME?api-version=X` became `…?api-version=X/chat/completions`) and sent as the
// default query, and the key goes in the header the endpoint wants with Authorization removed.

/** The latest GA `api-version` of Azure OpenAI's dated data-plane inference API, per Microsoft's REST reference
 * (https://learn.microsoft.com/azure/ai-services/openai/reference, "API specs": Data plane – inference, latest GA
 * release 2024-10-21). Used only when a deployment URL names none; the `/openai/v1/` route needs no version. */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

export type ProviderType = 'openai-compatible' | 'azure' | 'ollama';

export type EndpointKind = 'openai-compatible' | 'azure-deployment' | 'azure-v1' | 'ollama';

export interface EndpointInput {
  baseUrl: string;
  /** The model name; for an Azure deployment URL, the deployment in the URL is the model. */
  model?: string;
  type?: ProviderType;
  /** Overrides the URL's `api-version` (Azure, or gateways that copy its scheme). */
  apiVersion?: string;
  apiKey: string;
  /** Send the key in this header instead of `Authorization: Bearer` (e.g. `api-key`, `x-api-key`). */
  apiKeyHeader?: string;
  headers?: Record<string, string>;
}

export interface Endpoint {
  kind: EndpointKind;
  /** The base URL without its query, for the SDK's baseURL. */
  baseURL: string;
  /** Sent with every request (the URL's own query, `api-version`). */
  query: Record<string, string>;
  /** Sent with every request; null removes a header the SDK would set (Authorization when the key goes elsewhere). */
  headers: Record<string, string | null>;
  model: string;
  /** Where the server's own (non-OpenAI) API lives: Ollama's `/api/*`. */
  nativeRoot: string;
  /** The URL as shown to the person and used as the key of what is learned about the endpoint: no query, no key. */
  label: string;
}

export class EndpointError extends Error {}

const AZURE_HOSTS = /\.(openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com)$/i;

export function resolveEndpoint(input: EndpointInput): Endpoint {
  let url: URL;
  try {
    url = new URL(input.baseUrl);
  } catch {
    throw new EndpointError(`The base URL "${input.baseUrl}" is not a URL (expected e.g. https://api.openai.com/v1).`);
  }
  const query: Record<string, string> = Object.fromEntries(url.searchParams);
  url.search = '';
  url.hash = '';
  let path = url.pathname.replace(/\/+$/, '');
  let model = input.model ?? '';
  const deployment = /^(.*\/openai\/deployments\/)([^/]+)/.exec(path);
  const azureHost = AZURE_HOSTS.test(url.hostname);
  let kind: EndpointKind;
  if (deployment) {
    // A pasted ".../chat/completions" after the deployment is the SDK's to add.
    kind = 'azure-deployment';
    path = deployment[1] + deployment[2];
    model = decodeURIComponent(deployment[2]);
  } else if (/\/openai\/v1$/.test(path) && (azureHost || input.type === 'azure')) {
    kind = 'azure-v1';
  } else if (input.type === 'azure') {
    if (!model) throw new EndpointError('An Azure OpenAI endpoint needs the deployment name: --model DEPLOYMENT (or a URL ending in /openai/deployments/DEPLOYMENT).');
    kind = 'azure-deployment';
    path = `${path.replace(/\/openai$/, '')}/openai/deployments/${encodeURIComponent(model)}`;
  } else {
    kind = input.type === 'ollama' || url.port === '11434' ? 'ollama' : 'openai-compatible';
  }
  if (kind === 'azure-deployment') query['api-version'] = input.apiVersion ?? query['api-version'] ?? AZURE_DEFAULT_API_VERSION;
  else if (input.apiVersion) query['api-version'] = input.apiVersion;
  if (!model) throw new EndpointError('Say which model to use: --model NAME.');

  const headers: Record<string, string | null> = { ...input.headers };
  const keyHeader = input.apiKeyHeader ?? (kind === 'azure-deployment' || kind === 'azure-v1' ? 'api-key' : undefined);
  if (keyHeader && keyHeader.toLowerCase() !== 'authorization') {
    headers[keyHeader] = input.apiKey;
    headers.authorization = null;
  }
  url.pathname = path || '/';
  const baseURL = url.toString().replace(/\/$/, '');
  return {
    kind, baseURL, query, headers, model,
    nativeRoot: baseURL.replace(/\/v1$/, ''),
    label: baseURL,
  };
}

/** True for a server on this machine (no key needed, worth probing for Ollama). */
export function isLocalUrl(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname;
    return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host) || host === '0.0.0.0' || host === 'host.docker.internal';
  } catch {
    return false;
  }
}
