// Ollama: finding out how large a context the model really runs with, because Ollama silently drops the start of a
// prompt longer than that. The OpenAI-compatible endpoint cannot change it — its request type has no `options`
// (ollama/openai/openai.go, ChatCompletionRequest; FromChatRequest builds options from stop, max_tokens, temperature,
// seed, penalties and top_p only), so an `options.num_ctx` sent there is ignored and is not sent. Instead the agent's
// window is sized to what Ollama will use, and the person is told how to raise it (OLLAMA_CONTEXT_LENGTH, or a
// Modelfile with PARAMETER num_ctx; https://docs.ollama.com/context-length).
//
// What Ollama uses, in order: the loaded model's context (GET /api/ps `context_length`), the model's own num_ctx
// parameter (POST /api/show `parameters`), else the server's default — 4096 on machines with less than 24 GiB of VRAM,
// more on larger ones, or OLLAMA_CONTEXT_LENGTH; unknown from outside, so the smallest is assumed and said. The
// model's trained maximum (`model_info["<arch>.context_length"]`) caps all of them.
import type { Fetch } from './transport';

export const OLLAMA_SMALLEST_DEFAULT_CONTEXT = 4096;
/** Below this an agent's system prompt, tool schemas and a few tool results barely fit. */
export const SMALL_AGENT_WINDOW = 16_384;

export interface OllamaModelInfo {
  version: string;
  model: string;
  /** The model's trained maximum, from model_info["<arch>.context_length"]. */
  trainedContext: number | null;
  /** num_ctx set in the model's Modelfile parameters. */
  numCtx: number | null;
  /** The context of the model as loaded right now (GET /api/ps). */
  loadedContext: number | null;
}

export interface OllamaSizing {
  windowTokens: number;
  /** Where the figure comes from, in words. */
  source: string;
  /** How to give the model a larger window. */
  advice: string;
  /** Said at the start when the window is small for an agent. */
  warnings: string[];
}

/** Ollama's answers about the model, or null when the server is not Ollama (GET /api/version does not answer). */
export async function probeOllama(nativeRoot: string, model: string, options: { fetch?: Fetch; timeoutMs?: number } = {}): Promise<OllamaModelInfo | null> {
  const fetchJson = async (path: string, init?: RequestInit): Promise<Record<string, unknown> | null> => {
    try {
      const response = await (options.fetch ?? globalThis.fetch)(`${nativeRoot}${path}`, { ...init, signal: AbortSignal.timeout(options.timeoutMs ?? 3000) });
      if (!response.ok) return null;
      const value: unknown = await response.json();
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  };
  const version = await fetchJson('/api/version');
  if (!version || typeof version.version !== 'string') return null;
  const show = await fetchJson('/api/show', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model }) });
  const ps = await fetchJson('/api/ps');
  return { version: version.version, model, trainedContext: trainedContext(show), numCtx: numCtxParameter(show), loadedContext: loadedContext(ps, model) };
}

export function ollamaSizing(info: OllamaModelInfo): OllamaSizing {
  let windowTokens: number;
  let source: string;
  if (info.loadedContext) {
    windowTokens = info.loadedContext;
    source = `as loaded now (ollama ps)`;
  } else if (info.numCtx) {
    windowTokens = info.numCtx;
    source = `num_ctx in its Modelfile`;
  } else {
    windowTokens = OLLAMA_SMALLEST_DEFAULT_CONTEXT;
    source = `not loaded and no num_ctx in its Modelfile, so Ollama's smallest default is assumed; if you set OLLAMA_CONTEXT_LENGTH, say it with --context-window`;
  }
  if (info.trainedContext && info.trainedContext < windowTokens) {
    windowTokens = info.trainedContext;
    source = `the model's trained maximum`;
  }
  const larger = Math.min(info.trainedContext ?? 65_536, 65_536);
  const advice = `Ollama's OpenAI-compatible endpoint ignores num_ctx in a request; to give ${info.model} a larger window, restart Ollama with OLLAMA_CONTEXT_LENGTH=${larger} ollama serve, or create a model from a Modelfile with "FROM ${info.model}" and "PARAMETER num_ctx ${larger}" (ollama create NAME -f Modelfile).`;
  const warnings = windowTokens < SMALL_AGENT_WINDOW
    ? [`Ollama runs ${info.model} with a ${windowTokens.toLocaleString('en-US')}-token context window (${source}): small for an agent, whose instructions and tools alone take several thousand tokens. ${advice}`]
    : [];
  return { windowTokens, source, advice, warnings };
}

function trainedContext(show: Record<string, unknown> | null): number | null {
  const info = show?.model_info;
  if (typeof info !== 'object' || info === null) return null;
  const record = info as Record<string, unknown>;
  const arch = record['general.architecture'];
  const exact = typeof arch === 'string' ? record[`${arch}.context_length`] : undefined;
  if (typeof exact === 'number' && exact > 0) return exact;
  // Some models name the architecture differently from the key prefix: take any "*.context_length".
  const any = Object.entries(record).find(([key, value]) => key.endsWith('.context_length') && typeof value === 'number' && value > 0);
  return any ? (any[1] as number) : null;
}

function numCtxParameter(show: Record<string, unknown> | null): number | null {
  const parameters = show?.parameters;
  if (typeof parameters !== 'string') return null;
  const match = /^\s*num_ctx\s+(\d+)/m.exec(parameters);
  return match ? Number(match[1]) : null;
}

function loadedContext(ps: Record<string, unknown> | null, model: string): number | null {
  const models = ps?.models;
  if (!Array.isArray(models)) return null;
  const names = new Set([model, model.includes(':') ? model : `${model}:latest`]);
  const entry = models.find((m) => typeof m === 'object' && m !== null && (names.has((m as { name?: string }).name ?? '') || names.has((m as { model?: string }).model ?? ''))) as { context_length?: unknown } | undefined;
  return typeof entry?.context_length === 'number' && entry.context_length > 0 ? entry.context_length : null;
}
