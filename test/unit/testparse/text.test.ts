import * as assert from 'node:assert/strict';
import { compactMessage, firstLine } from '../../../src/tools/testparse/text';

describe('testparse: message compaction', () => {
  it('keeps the first line whole and the value lines after it, without blank lines', () => {
    const lines = ['    expect(received).toBe(expected) // Object.is equality', '', '    Expected: 3', '    Received: 2', ''];
    assert.equal(compactMessage(lines), 'expect(received).toBe(expected) // Object.is equality\nExpected: 3\nReceived: 2');
  });

  it('stops at six lines and about 400 characters, marking a cut line', () => {
    const many = compactMessage(['head', ...Array.from({ length: 20 }, (_, i) => `line ${i}`)]);
    assert.equal(many.split('\n').length, 6);
    const wide = compactMessage(['head', 'x'.repeat(1000)]);
    assert.ok(wide.length <= 400, `got ${wide.length}`);
    assert.ok(wide.endsWith('…'));
    const longFirst = 'y'.repeat(500);
    assert.equal(compactMessage([longFirst, 'more']), longFirst, 'the first line is never cut');
  });

  it('firstLine gives what signatures and the bench compare', () => {
    assert.equal(firstLine('  Expected values to be strictly equal:\n\n2 !== 3'), 'Expected values to be strictly equal:');
  });
});
