// Provider fields: collected from any delta or message, streamed pieces merged, OpenAI's own fields left out.
import * as assert from 'node:assert/strict';
import { StreamAssembler } from '../../../src/agent/model/assembler';
import { mergeFields, messageFields, toolCallFields } from '../../../src/agent/model/providerFields';

describe('provider fields', () => {
  it('keeps unknown message fields and leaves out OpenAI\'s, nulls and empty pieces', () => {
    assert.deepEqual(messageFields({ role: 'assistant', content: 'x', tool_calls: [], refusal: null, annotations: [], reasoning_content: 'why', thinking: '', extra_content: { google: { thought_signature: 'sig' } } }),
      { reasoning_content: 'why', extra_content: { google: { thought_signature: 'sig' } } });
    assert.equal(messageFields({ role: 'assistant', content: 'only ours' }), undefined);
    assert.deepEqual(toolCallFields({ index: 0, id: 'a', type: 'function', function: {}, extra_content: { google: { thought_signature: 's' } } }), { extra_content: { google: { thought_signature: 's' } } });
  });

  it('joins streamed text, merges reasoning_details items by index, and does not double a repeated signature', () => {
    let fields = mergeFields(undefined, { reasoning: 'Let me ', reasoning_details: [{ type: 'reasoning.text', text: 'Let ', index: 0 }] });
    fields = mergeFields(fields, { reasoning: 'think.', reasoning_details: [{ type: 'reasoning.text', text: 'me think.', index: 0 }, { type: 'reasoning.encrypted', data: 'abc', index: 1 }] });
    fields = mergeFields(fields, { extra_content: { google: { thought_signature: 'c2lnbmF0dXJlLW9uZS10d28=' } } });
    fields = mergeFields(fields, { extra_content: { google: { thought_signature: 'c2lnbmF0dXJlLW9uZS10d28=' } } });
    assert.deepEqual(fields, {
      reasoning: 'Let me think.',
      reasoning_details: [{ type: 'reasoning.text', text: 'Let me think.', index: 0 }, { type: 'reasoning.encrypted', data: 'abc', index: 1 }],
      extra_content: { google: { thought_signature: 'c2lnbmF0dXJlLW9uZS10d28=' } },
    });
  });

  it('are assembled from a stream, for the message and for each tool call', () => {
    const assembler = new StreamAssembler();
    assembler.add({ choices: [{ delta: { role: 'assistant', content: null, reasoning_content: 'Read ' } as never }] });
    assembler.add({ choices: [{ delta: { reasoning_content: 'first.' } as never }] });
    assembler.add({ choices: [{ delta: { tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{}' }, extra_content: { google: { thought_signature: 'sig' } } } as never] } }] });
    assembler.add({ choices: [{ delta: {}, finish_reason: 'tool_calls' }] });
    const result = assembler.result();
    assert.deepEqual(result.extra, { reasoning_content: 'Read first.' });
    assert.deepEqual(result.toolCalls, [{ id: 'c1', name: 'read_file', argumentsText: '{}', extra: { extra_content: { google: { thought_signature: 'sig' } } } }]);
  });
});
