// Scripted chat models for vscode.lm, the way the scripted HTTP server is one for OpenAI-compatible providers: each
// request takes the next turn of a script the test sets (text, tool calls, or a LanguageModelError), checks the texts
// the turn expects, and is recorded (messages with their parts, tools, tool mode) with every token count asked for.
//   patchpilotTest.lm.setScript({ turns: [...] })   replaces the script and clears the records
//   patchpilotTest.lm.state()                        { api, requests, tokenCounts, remaining, violations }
// A turn: { expect?: string[], content?: string, tool_calls?: [{ name, arguments }], chunk_delay_ms?: number,
//           error?: { code: 'NoPermissions' | 'Blocked' | 'NotFound', message?: string, when?: 'start' | 'stream' } }
// Registered with vscode.lm.registerChatModelProvider (VS Code 1.100, proposal "chatProvider") or, where VS Code has it,
// vscode.lm.registerLanguageModelChatProvider (finalized in 1.104).
'use strict';
const vscode = require('vscode');

const VENDOR = 'patchpilot-test';
const MODELS = [
  { id: 'fake-coder', name: 'Fake Coder', family: 'scripted', auth: false },
  // Offered by this extension under consent: VS Code asks the person before another extension may use it.
  { id: 'fake-guarded', name: 'Fake Guarded', family: 'scripted', auth: true },
];

const state = { turns: [], next: 0, requests: [], tokenCounts: [], violations: [], api: null };

function roleName(role) {
  return role === vscode.LanguageModelChatMessageRole.Assistant ? 'assistant' : role === vscode.LanguageModelChatMessageRole.User ? 'user' : `role ${role}`;
}

/** Parts by shape: VS Code hands providers its own part classes (ToolResultPart2 and others), not always the public ones. */
function describePart(part) {
  if (part instanceof vscode.LanguageModelTextPart) return { type: 'text', text: part.value };
  if (part && typeof part.callId === 'string' && typeof part.name === 'string' && 'input' in part) {
    return { type: 'toolCall', callId: part.callId, name: part.name, input: part.input };
  }
  if (part && typeof part.callId === 'string' && Array.isArray(part.content)) {
    return { type: 'toolResult', callId: part.callId, text: part.content.map((c) => (c && typeof c.value === 'string' ? c.value : '')).join('') };
  }
  return { type: 'other' };
}

function describeMessage(message) {
  const content = typeof message.content === 'string' ? [new vscode.LanguageModelTextPart(message.content)] : message.content;
  return { role: roleName(message.role), parts: content.map(describePart) };
}

function textOf(messages) {
  return messages.flatMap((m) => m.parts).map((p) => (p.type === 'toolCall' ? `${p.name} ${JSON.stringify(p.input)}` : p.text || '')).join('\n');
}

function countTokens(value) {
  const text = typeof value === 'string' ? value : textOf([describeMessage(value)]);
  // Its own tokenizer: one token per three characters, so counts from the model differ from characters / 4.
  const count = Math.ceil(text.length / 3);
  state.tokenCounts.push({ kind: typeof value === 'string' ? 'text' : 'message', count });
  return count;
}

function lmError(error) {
  const make = vscode.LanguageModelError[error.code];
  if (typeof make !== 'function') return new Error(`fake model: unknown error code ${error.code}`);
  return make(error.message || `${error.code} (scripted)`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Answers one request from the next turn; `report` sends one part. Synchronous up to the first await, so a turn's
 * error with when: 'start' is thrown while VS Code starts the request (the request then fails to start).
 */
function answer(modelId, messages, options, report, token) {
  const request = { model: modelId, turn: null, messages: messages.map(describeMessage), tools: (options.tools || []).map((t) => t.name),
    toolMode: options.toolMode === undefined ? null : options.toolMode, outcome: 'pending' };
  state.requests.push(request);
  const turn = state.turns[state.next];
  if (!turn) {
    request.outcome = 'exhausted';
    state.violations.push(`script exhausted after ${state.turns.length} turns`);
    throw new Error(`fake model: script exhausted after ${state.turns.length} turns`);
  }
  const text = textOf(request.messages);
  const missing = (turn.expect || []).find((needle) => !text.includes(needle));
  if (missing) {
    request.outcome = 'violation';
    const message = `fake model: turn ${state.next + 1} expected the request to contain "${missing}", but no message did`;
    state.violations.push(message);
    throw new Error(message);
  }
  request.turn = ++state.next;
  if (turn.error && turn.error.when !== 'stream') {
    request.outcome = 'error';
    throw lmError(turn.error);
  }
  return (async () => {
    const chunks = (turn.content || '').match(/[\s\S]{1,12}/g) || [];
    for (const chunk of chunks) {
      if (token.isCancellationRequested) { request.outcome = 'cancelled'; return; }
      if (turn.chunk_delay_ms) await sleep(turn.chunk_delay_ms);
      report(new vscode.LanguageModelTextPart(chunk));
    }
    if (turn.error) {
      request.outcome = 'error';
      throw lmError(turn.error);
    }
    (turn.tool_calls || []).forEach((call, index) => {
      const input = typeof call.arguments === 'string' ? JSON.parse(call.arguments) : (call.arguments || {});
      report(new vscode.LanguageModelToolCallPart(`fake-call-${request.turn}-${index + 1}`, call.name, input));
    });
    request.outcome = 'reply';
  })();
}

const info = (model) => ({
  id: model.id, name: model.name, family: model.family, version: '1', maxInputTokens: 128000, maxOutputTokens: 8192,
  capabilities: { toolCalling: true }, ...(model.auth ? { requiresAuthorization: true } : {}),
});

/** VS Code 1.104 and later: one provider for the vendor, models by id. */
function registerFinal() {
  state.api = 'registerLanguageModelChatProvider';
  return [vscode.lm.registerLanguageModelChatProvider(VENDOR, {
    provideLanguageModelChatInformation: () => MODELS.map(info),
    provideLanguageModelChatResponse: (model, messages, options, progress, token) => answer(model.id, messages, options, (part) => progress.report(part), token),
    provideTokenCount: async (_model, value) => countTokens(value),
  })];
}

/** VS Code 1.100 (proposal "chatProvider"): one registration per model, parts reported with an index. */
function registerProposed() {
  state.api = 'registerChatModelProvider';
  return MODELS.map((model) => vscode.lm.registerChatModelProvider(model.id, {
    provideLanguageModelResponse: (messages, options, _extensionId, progress, token) => answer(model.id, messages, options, (part) => progress.report({ index: 0, part }), token),
    provideTokenCount: async (value) => countTokens(value),
  }, {
    vendor: VENDOR, name: model.name, family: model.family, version: '1', maxInputTokens: 128000, maxOutputTokens: 8192,
    isUserSelectable: true, capabilities: { toolCalling: true }, ...(model.auth ? { auth: { label: 'Patchpilot tests' } } : {}),
  }));
}

function activate(context) {
  const registrations = typeof vscode.lm.registerLanguageModelChatProvider === 'function' ? registerFinal() : registerProposed();
  context.subscriptions.push(...registrations,
    vscode.commands.registerCommand('patchpilotTest.lm.setScript', (script) => {
      state.turns = Array.isArray(script && script.turns) ? script.turns : [];
      state.next = 0;
      state.requests = [];
      state.tokenCounts = [];
      state.violations = [];
    }),
    vscode.commands.registerCommand('patchpilotTest.lm.state', () => ({
      api: state.api, requests: state.requests, tokenCounts: state.tokenCounts, remaining: state.turns.length - state.next, violations: state.violations,
    })));
}

module.exports = { activate };
