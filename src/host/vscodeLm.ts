// The LmChat port over vscode.lm (stable API since VS Code 1.95; nothing proposed): the plain messages of
// lmMessages.ts become LanguageModelChatMessages with Text/ToolCall/ToolResult parts, the abort signal a cancellation
// token, and the reply's parts plain parts again. Also finds a model by the `vscode-lm:<vendor>/<id>` setting.
import * as vscode from 'vscode';
import type { Pricing } from '../agent/model/pricing';
import { modelGoneError } from './lmErrors';
import { LmModelClient, type LmChat, type LmResponsePart } from './lmModelClient';
import { formatLmModelRef, parseLmModelRef, type LmMessage, type LmPart, type LmTool } from './lmMessages';

function toVscodePart(part: LmPart): vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart | vscode.LanguageModelToolResultPart {
  switch (part.type) {
    case 'text':
      return new vscode.LanguageModelTextPart(part.text);
    case 'toolCall':
      return new vscode.LanguageModelToolCallPart(part.callId, part.name, part.input);
    case 'toolResult':
      return new vscode.LanguageModelToolResultPart(part.callId, [new vscode.LanguageModelTextPart(part.text)]);
  }
}

export function toVscodeMessage(message: LmMessage): vscode.LanguageModelChatMessage {
  const role = message.role === 'assistant' ? vscode.LanguageModelChatMessageRole.Assistant : vscode.LanguageModelChatMessageRole.User;
  return new vscode.LanguageModelChatMessage(role, message.parts.map(toVscodePart));
}

function fromVscodePart(part: unknown): LmResponsePart {
  if (part instanceof vscode.LanguageModelTextPart) return { type: 'text', text: part.value };
  if (part instanceof vscode.LanguageModelToolCallPart) return { type: 'toolCall', callId: part.callId, name: part.name, input: part.input };
  return { type: 'other' };
}

/** A cancellation token that follows the signal; dispose it when the work is over. */
function tokenFor(signal: AbortSignal): vscode.CancellationTokenSource {
  const source = new vscode.CancellationTokenSource();
  if (signal.aborted) source.cancel();
  else signal.addEventListener('abort', () => source.cancel(), { once: true });
  return source;
}

async function* partsOf(response: vscode.LanguageModelChatResponse, source: vscode.CancellationTokenSource): AsyncIterable<LmResponsePart> {
  try {
    for await (const part of response.stream) yield fromVscodePart(part);
  } finally {
    source.dispose();
  }
}

class VscodeLmChat implements LmChat {
  constructor(private readonly chat: vscode.LanguageModelChat) {}

  get vendor(): string { return this.chat.vendor; }
  get id(): string { return this.chat.id; }
  get name(): string { return this.chat.name || this.chat.id; }
  get family(): string { return this.chat.family; }
  get maxInputTokens(): number { return this.chat.maxInputTokens; }

  async send(messages: LmMessage[], tools: LmTool[], options: { justification: string }, signal: AbortSignal): Promise<AsyncIterable<LmResponsePart>> {
    const source = tokenFor(signal);
    try {
      const response = await this.chat.sendRequest(messages.map(toVscodeMessage), {
        justification: options.justification,
        ...(tools.length > 0 ? { tools, toolMode: vscode.LanguageModelChatToolMode.Auto } : {}),
      }, source.token);
      return partsOf(response, source);
    } catch (error) {
      source.dispose();
      throw error;
    }
  }

  async countTokens(value: string | LmMessage, signal: AbortSignal): Promise<number> {
    const source = tokenFor(signal);
    try {
      return await this.chat.countTokens(typeof value === 'string' ? value : toVscodeMessage(value), source.token);
    } finally {
      source.dispose();
    }
  }
}

/** What Select Model shows of a model VS Code offers, and the setting value that picks it. */
export interface LmModelChoice {
  value: string;
  name: string;
  vendor: string;
  family: string;
  id: string;
  maxInputTokens: number;
}

export async function listLmModels(): Promise<LmModelChoice[]> {
  const models = await vscode.lm.selectChatModels();
  return models.map((model) => ({
    value: formatLmModelRef({ vendor: model.vendor, id: model.id }), name: model.name || model.id, vendor: model.vendor, family: model.family,
    id: model.id, maxInputTokens: model.maxInputTokens,
  }));
}

/** The client for a `vscode-lm:<vendor>/<id>` setting; a model VS Code does not offer (any more) is a clear error. */
export async function lmModelClientFor(value: string, pricing: Pricing): Promise<LmModelClient> {
  const ref = parseLmModelRef(value);
  if (!ref) throw new Error(`"${value}" is not a VS Code model: the setting's form is vscode-lm:<vendor>/<id>. Choose one with Patchpilot: Select Model.`);
  const [chat] = await vscode.lm.selectChatModels({ vendor: ref.vendor, id: ref.id });
  if (!chat) {
    const others = (await vscode.lm.selectChatModels()).length;
    throw modelGoneError({ name: ref.id, vendor: ref.vendor }, others > 0 ? `VS Code offers ${others} other model(s), not this one` : 'VS Code offers no chat models now');
  }
  return new LmModelClient(new VscodeLmChat(chat), { model: value, pricing });
}
