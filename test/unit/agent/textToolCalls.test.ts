// Tool calls printed as text by servers without a tool-call parser: each common shape, and what must not count.
import * as assert from 'node:assert/strict';
import { toolCallsFromText } from '../../../src/agent/model/textToolCalls';

const tools = new Set(['read_file', 'edit_file', 'finish']);

describe('tool calls written as text', () => {
  it('reads Hermes/Qwen <tool_call> tags, several in a reply, and keeps the prose', () => {
    const found = toolCallsFromText('Reading both.\n<tool_call>\n{"name": "read_file", "arguments": {"path": "a.js"}}\n</tool_call>\n<tool_call>{"name":"read_file","arguments":{"path":"b.js"}}</tool_call>', tools);
    assert.equal(found?.format, 'tool_call_tags');
    assert.deepEqual(found?.calls, [{ name: 'read_file', argumentsText: '{"path":"a.js"}' }, { name: 'read_file', argumentsText: '{"path":"b.js"}' }]);
    assert.equal(found?.rest, 'Reading both.');
  });

  it('reads Llama <|python_tag|> with parameters, Mistral [TOOL_CALLS], <function=…> and fenced JSON', () => {
    assert.deepEqual(toolCallsFromText('<|python_tag|>{"name": "finish", "parameters": {"summary": "ok"}}<|eom_id|>', tools)?.calls,
      [{ name: 'finish', argumentsText: '{"summary":"ok"}' }]);
    assert.equal(toolCallsFromText('[TOOL_CALLS] [{"name": "read_file", "arguments": {"path": "x"}}]', tools)?.format, 'mistral');
    assert.deepEqual(toolCallsFromText('<function=read_file>{"path": "x"}</function>', tools)?.calls, [{ name: 'read_file', argumentsText: '{"path":"x"}' }]);
    const fenced = toolCallsFromText('```json\n{"type": "function", "function": {"name": "read_file", "arguments": "{\\"path\\": \\"x\\"}"}}\n```', tools);
    assert.deepEqual(fenced?.calls, [{ name: 'read_file', argumentsText: '{"path": "x"}' }]);
  });

  it('ignores JSON that names no offered tool, and plain prose', () => {
    assert.equal(toolCallsFromText('Example config:\n```json\n{"name": "my-package", "arguments": []}\n```', tools), null);
    assert.equal(toolCallsFromText('I will call read_file next.', tools), null);
    assert.equal(toolCallsFromText('<tool_call>not json</tool_call>', tools), null);
  });
});
