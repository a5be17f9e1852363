// Error text from every body shape, bounded.
import * as assert from 'node:assert/strict';
import { embeddedError, errorText, MAX_ERROR_TEXT } from '../../../src/agent/model/errorBody';

describe('error bodies', () => {
  it('reads OpenAI objects, lists, FastAPI details, gateway messages, plain text and HTML', () => {
    assert.equal(errorText('{"error":{"message":"Invalid model","type":"invalid_request_error"}}'), 'Invalid model');
    assert.equal(errorText('[{"error":{"code":400,"message":"Bad","status":"INVALID_ARGUMENT"}}]'), 'Bad (INVALID_ARGUMENT)');
    assert.equal(errorText('{"detail":[{"loc":["body","stream_options"],"msg":"Extra inputs are not permitted"},{"loc":["body","n"],"msg":"Input should be 1"}]}'),
      'body.stream_options: Extra inputs are not permitted; body.n: Input should be 1');
    assert.equal(errorText('{"detail":"Not authenticated"}'), 'Not authenticated');
    assert.equal(errorText('{"error":"rate limited"}'), 'rate limited');
    assert.equal(errorText('{"message":"Unauthorized","code":"AUTH_FAILED"}'), 'Unauthorized (AUTH_FAILED)');
    assert.equal(errorText('upstream connect error\n'), 'upstream connect error');
    assert.equal(errorText('<!DOCTYPE html><html><head><title>Bad Gateway</title><script>x()</script></head><body><h1>502 Bad Gateway</h1><p>cloudflare &amp; co</p></body></html>'),
      'Bad Gateway: 502 Bad Gateway cloudflare & co');
    assert.equal(errorText('   '), '');
  });

  it('bounds what it returns', () => {
    const text = errorText('x'.repeat(10_000));
    assert.equal(text.length, MAX_ERROR_TEXT);
    assert.ok(text.endsWith('…'));
  });

  it('finds an error object in a 200 answer, and nothing in a normal chunk', () => {
    assert.equal(embeddedError({ error: { message: 'quota', code: 'insufficient_quota' } }), 'quota (insufficient_quota)');
    assert.equal(embeddedError({ id: 'x', choices: [] }), null);
    assert.equal(embeddedError({ error: null, choices: [] }), null);
  });
});
