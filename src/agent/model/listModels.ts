// The provider's model list (GET /models) for pickers: any OpenAI-compatible server (OpenAI, Azure, Ollama,
// LM Studio, vLLM, OpenRouter) answers it, though some leave it out; the caller falls back to configured names.
import OpenAI from 'openai';
import { readableErrorsFetch } from './transport';

export interface ListModelsOptions {
  baseURL: string;
  apiKey: string;
  /** A picker should not wait long: a slow or silent server just means "type the name yourself". */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Send the key in this header instead of Authorization (Azure: "api-key"). */
  apiKeyHeader?: string;
  headers?: Record<string, string>;
}

export class ModelListError extends Error {
  constructor(message: string, readonly status: number | null) {
    super(message);
    this.name = 'ModelListError';
  }
}

/** Model ids the provider offers, sorted and without duplicates; throws a ModelListError that says what went wrong. */
export async function listModels(options: ListModelsOptions): Promise<string[]> {
  // The base URL's own query (Azure's api-version) is sent as a query, not glued in front of the path.
  const url = new URL(options.baseURL);
  const defaultQuery = Object.fromEntries(url.searchParams);
  url.search = '';
  const headers: Record<string, string | null> = { ...options.headers };
  if (options.apiKeyHeader) {
    headers[options.apiKeyHeader] = options.apiKey;
    headers.authorization = null;
  }
  const client = new OpenAI({
    baseURL: url.toString().replace(/\/$/, ''), apiKey: options.apiKey, maxRetries: 0, timeout: options.timeoutMs ?? 10_000,
    defaultQuery, defaultHeaders: headers, fetch: readableErrorsFetch(),
  });
  const ids = new Set<string>();
  try {
    for await (const model of client.models.list({ signal: options.signal })) {
      if (typeof model.id === 'string' && model.id.trim() !== '') ids.add(model.id);
    }
  } catch (error) {
    throw describeFailure(error, options.baseURL);
  }
  return [...ids].sort((a, b) => a.localeCompare(b));
}

function describeFailure(error: unknown, baseURL: string): ModelListError {
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const hint = error.status === 401 || error.status === 403 ? ' (check the API key)' : error.status === 404 ? ' (this server does not list its models)' : '';
    return new ModelListError(`${baseURL} answered ${error.status} to GET /models${hint}: ${error.message}`, error.status);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ModelListError(`could not reach ${baseURL} to list its models: ${message}`, null);
}
