// The LmChat port over vscode.lm (stable API since VS Code 1.95; nothing proposed): the plain messages of
// lmMessages.ts become LanguageModelChatMessages with Text/ToolCall/ToolResult parts, the abort signal a cancellation
// token, and the reply's parts plain parts again. Also lists the models and finds one by its `vscode-lm:` setting.
import * as vscode from 'vscode';
import type { Pricing } from '../agent/model/pricing';
import { modelGoneError } from './lmErrors';
import { LmModelClient, type LmChat, type LmResponsePart } from './lmModelClient';
import { formatLmModelRef, parseLmModelRef, type LmMessage, type LmModelRef, type LmPart, type LmTool } from './lmMessages';

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

/**
 * A model VS Code offers, found again by vendor and id for every request: models come and go with the extensions that
 * offer them (one may register after a window reload, another be signed out), and a model that is gone fails the
 * request with a message that says so instead of failing the task's start.
 */
class VscodeLmChat implements LmChat {
  constructor(private readonly ref: LmModelRef, private chat: vscode.LanguageModelChat | undefined) {}

  get vendor(): string { return this.chat?.vendor ?? this.ref.vendor; }
  get id(): string { return this.ref.id; }
  get name(): string { return this.chat?.name || this.ref.id; }
  get family(): string { return this.chat?.family ?? ''; }
  get maxInputTokens(): number { return this.chat?.maxInputTokens ?? 0; }

  private async current(): Promise<vscode.LanguageModelChat> {
    const [chat] = await vscode.lm.selectChatModels({ vendor: this.ref.vendor, id: this.ref.id });
    if (chat) {
      this.chat = chat;
      return chat;
    }
    const others = (await vscode.lm.selectChatModels()).length;
    throw modelGoneError({ name: this.name, vendor: this.vendor }, others > 0 ? `VS Code offers ${others} other chat model(s), not this one` : 'VS Code offers no chat models now');
  }

  async send(messages: LmMessage[], tools: LmTool[], options: { justification: string }, signal: AbortSignal): Promise<AsyncIterable<LmResponsePart>> {
    const chat = await this.current();
    const source = tokenFor(signal);
    try {
      const response = await chat.sendRequest(messages.map(toVscodeMessage), {
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
    const chat = this.chat ?? await this.current();
    const source = tokenFor(signal);
    try {
      return await chat.countTokens(typeof value === 'string' ? value : toVscodeMessage(value), source.token);
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

/**
 * The client for a `vscode-lm:<vendor>/<id>` setting. A model VS Code does not offer now still gives a client: its
 * first request fails with a message naming the model and Select Model, the way an unreachable provider fails.
 */
export async function lmModelClientFor(value: string, pricing: Pricing): Promise<LmModelClient> {
  const ref = parseLmModelRef(value);
  if (!ref) throw new Error(`"${value}" is not a VS Code model: the setting's form is vscode-lm:<vendor>/<id>. Choose one with Patchpilot: Select Model.`);
  const [chat] = await vscode.lm.selectChatModels({ vendor: ref.vendor, id: ref.id });
  return new LmModelClient(new VscodeLmChat(ref, chat), { model: value, pricing });
}
