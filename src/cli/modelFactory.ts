// Builds the model client from CLI flags and the environment: a real OpenAI-compatible endpoint, or the scripted
// model served over real HTTP on loopback.
import { OpenAIModelClient } from '../agent/model/openaiClient';
import type { Pricing } from '../agent/model/pricing';
import type { ModelClient } from '../agent/ports';
import { startScriptedServer, type ScriptedServer } from '../scripted/server';
import { UsageError } from './usage';

export interface ModelFlags {
  baseUrl?: string;
  model?: string;
  scriptedModel?: string;
  priceInput?: number;
  priceOutput?: number;
}

export interface BuiltModel {
  client: ModelClient;
  /** Set when the scripted model was started: close it when the task ends. */
  scripted?: ScriptedServer;
  describe: string;
  /** The API key in use, so it can be masked wherever it shows up (never given to commands). */
  apiKey?: string;
}

export async function buildModel(flags: ModelFlags): Promise<BuiltModel> {
  if (flags.scriptedModel) {
    const server = await startScriptedServer(flags.scriptedModel);
    const client = new OpenAIModelClient({ baseURL: server.url, apiKey: 'scripted', model: 'scripted', pricing: pricingFor('scripted', flags) });
    return { client, scripted: server, describe: `scripted model ${flags.scriptedModel} at ${server.url}` };
  }
  const baseURL = flags.baseUrl ?? process.env.PATCHPILOT_BASE_URL ?? process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1';
  const model = flags.model ?? process.env.PATCHPILOT_MODEL;
  if (!model) throw new UsageError('Say which model to use: --model NAME (or PATCHPILOT_MODEL), or --scripted-model FILE.');
  const apiKey = process.env.PATCHPILOT_API_KEY ?? process.env.OPENAI_API_KEY ?? (isLoopback(baseURL) ? 'local' : undefined);
  if (!apiKey) throw new UsageError('No API key: set OPENAI_API_KEY or PATCHPILOT_API_KEY (local servers such as Ollama need none).');
  const client = new OpenAIModelClient({ baseURL, apiKey, model, pricing: pricingFor(model, flags) });
  return { client, describe: `${model} at ${baseURL}`, apiKey };
}

function pricingFor(model: string, flags: ModelFlags): Pricing | undefined {
  if (flags.priceInput === undefined && flags.priceOutput === undefined) return undefined;
  return { [model]: { inputPerMTok: flags.priceInput ?? 0, outputPerMTok: flags.priceOutput ?? 0 } };
}

function isLoopback(url: string): boolean {
  try {
    return ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}
