// The vscode.lm provider's pure parts: the vscode-lm:<vendor>/<id> setting, the conversation as user/assistant turns
// with tool-call and tool-result parts, tools as name/description/inputSchema, and LanguageModelError codes in words.
import * as assert from 'node:assert/strict';
import type { ChatMessage } from '../../../src/agent/ports';
import { toLmModelError } from '../../../src/host/lmErrors';
import { formatLmModelRef, parseLmModelRef, toLmMessages, toLmTools, toolInput } from '../../../src/host/lmMessages';

/** What VS Code's LanguageModelError looks like after it crossed the extension host: a name and a code. */
function languageModelError(code: string, message: string): Error {
  const error = new Error(message);
  error.name = 'LanguageModelError';
  Object.defineProperty(error, 'code', { value: code });
  return error;
}

const model = { name: 'Fake Coder', vendor: 'patchpilot-test' };

describe('vscode.lm model setting', () => {
  it('reads vscode-lm:<vendor>/<id> and writes it back', () => {
    assert.deepEqual(parseLmModelRef('vscode-lm:copilot/gpt-4.1'), { vendor: 'copilot', id: 'gpt-4.1' });
    assert.equal(formatLmModelRef({ vendor: 'copilot', id: 'gpt-4.1' }), 'vscode-lm:copilot/gpt-4.1');
  });

  it('keeps a slash inside the id, and is null for HTTP model names and broken values', () => {
    assert.deepEqual(parseLmModelRef('vscode-lm:ollama/library/qwen2.5-coder:7b'), { vendor: 'ollama', id: 'library/qwen2.5-coder:7b' });
    for (const value of ['gpt-4.1-mini', 'qwen2.5-coder:7b', 'vscode-lm:', 'vscode-lm:copilot', 'vscode-lm:/gpt-4.1', 'vscode-lm:copilot/']) {
      assert.equal(parseLmModelRef(value), null, value);
    }
  });
});

describe('vscode.lm messages', () => {
  const conversation: ChatMessage[] = [
    { role: 'system', content: 'You are Patchpilot.' },
    { role: 'user', content: 'Fix the failing tests.' },
    { role: 'assistant', content: 'Running them first.', tool_calls: [
      { id: 'call_1', type: 'function', function: { name: 'run_tests', arguments: '{}' } },
      { id: 'call_2', type: 'function', function: { name: 'read_file', arguments: '{"path":"src/math.js"}' } },
    ] },
    { role: 'tool', tool_call_id: 'call_1', content: 'not ok 1 - add adds two numbers' },
    { role: 'tool', tool_call_id: 'call_2', content: 'function add(a, b) { return a - b; }' },
    { role: 'user', content: 'Only touch src/.' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_3', type: 'function', function: { name: 'finish', arguments: '{"summary":"done"}' } }] },
  ];

  it('sends the system prompt as the first user turn (the stable API has no System role)', () => {
    const [first, second] = toLmMessages(conversation);
    assert.deepEqual(first, { role: 'user', parts: [{ type: 'text', text: 'You are Patchpilot.' }] });
    assert.deepEqual(second, { role: 'user', parts: [{ type: 'text', text: 'Fix the failing tests.' }] });
  });

  it('puts an assistant turn\'s text and tool calls in one message, the calls\' input as objects', () => {
    const assistant = toLmMessages(conversation)[2];
    assert.deepEqual(assistant, { role: 'assistant', parts: [
      { type: 'text', text: 'Running them first.' },
      { type: 'toolCall', callId: 'call_1', name: 'run_tests', input: {} },
      { type: 'toolCall', callId: 'call_2', name: 'read_file', input: { path: 'src/math.js' } },
    ] });
  });

  it('sends the results of one batch of calls together in the next user turn, by call id', () => {
    const messages = toLmMessages(conversation);
    assert.deepEqual(messages[3], { role: 'user', parts: [
      { type: 'toolResult', callId: 'call_1', text: 'not ok 1 - add adds two numbers' },
      { type: 'toolResult', callId: 'call_2', text: 'function add(a, b) { return a - b; }' },
    ] });
    assert.deepEqual(messages[4], { role: 'user', parts: [{ type: 'text', text: 'Only touch src/.' }] }, 'a person\'s message after the results is its own turn');
    assert.deepEqual(messages[5], { role: 'assistant', parts: [{ type: 'toolCall', callId: 'call_3', name: 'finish', input: { summary: 'done' } }] });
    assert.equal(messages.length, 6);
  });

  it('drops an empty assistant turn, and passes malformed call arguments on as text', () => {
    assert.deepEqual(toLmMessages([{ role: 'user', content: 'hi' }, { role: 'assistant', content: '' }]), [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }]);
    assert.deepEqual(toolInput('{"path": '), { arguments: '{"path": ' });
    assert.deepEqual(toolInput('[1, 2]'), { arguments: '[1, 2]' });
    assert.deepEqual(toolInput(''), {});
  });

  it('turns tool schemas into name, description and inputSchema', () => {
    const parameters = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };
    assert.deepEqual(toLmTools([{ name: 'read_file', description: 'Read a file', parameters }]), [{ name: 'read_file', description: 'Read a file', inputSchema: parameters }]);
  });
});

describe('vscode.lm errors', () => {
  it('no consent: says to allow Patchpilot in the consent dialog or to choose another model', () => {
    const error = toLmModelError(languageModelError('NoPermissions', "Language model 'x' cannot be used by 'patchpilot.patchpilot'."), model, false);
    assert.equal(error.kind, 'auth');
    assert.match(error.message, /Patchpilot may not use "Fake Coder" \(patchpilot-test\)/);
    assert.match(error.message, /Allow Patchpilot to use Fake Coder in the consent dialog/);
    assert.match(error.message, /Patchpilot: Select Model/);
    assert.match(error.message, /cannot be used by/, 'what VS Code said is kept');
  });

  it('blocked: names the quota and the vendor, and Select Model', () => {
    const error = toLmModelError(languageModelError('Blocked', 'quota exceeded'), model, false);
    assert.equal(error.kind, 'rate_limited');
    assert.match(error.message, /the quota is used up/);
    assert.match(error.message, /quota exceeded/);
    assert.match(error.message, /Select Model/);
  });

  it('not found, or cancelled by VS Code when the model went away: the model is no longer available', () => {
    assert.match(toLmModelError(languageModelError('NotFound', 'unknown'), model, false).message, /no longer available/);
    const canceled = new Error('Canceled');
    canceled.name = 'Canceled';
    const gone = toLmModelError(canceled, model, false);
    assert.equal(gone.kind, 'bad_request');
    assert.match(gone.message, /no longer available.*Select Model/);
  });

  it('a LanguageModelError whose code VS Code 1.100 lost on the way (thrown as the request started) is read from its words', () => {
    assert.equal(toLmModelError(languageModelError('', "Language model 'x' cannot be used by 'patchpilot.patchpilot'."), model, false).kind, 'auth');
    assert.equal(toLmModelError(languageModelError('', 'You have exceeded your premium request quota.'), model, false).kind, 'rate_limited');
    assert.equal(toLmModelError(languageModelError('', "Language model 'x' is unknown."), model, false).kind, 'bad_request');
    assert.equal(toLmModelError(languageModelError('', 'something else'), model, false).kind, 'server');
  });

  it('our own cancel is an AbortError whatever the provider threw; other failures keep their text', () => {
    const cancelled = toLmModelError(languageModelError('Blocked', 'late'), model, true);
    assert.equal(cancelled.name, 'AbortError');
    const failed = toLmModelError(new Error('Request Failed: 500 upstream'), model, false);
    assert.equal(failed.kind, 'server');
    assert.match(failed.message, /"Fake Coder" \(patchpilot-test\) failed: Request Failed: 500 upstream/);
  });
});
