// Binary detection and text decoding that remembers BOM and line endings.
import * as assert from 'node:assert/strict';
import { decodeText, detectEol, encodeText, isBinary } from '../../../src/tools/workspace/fileKinds';

describe('fileKinds', () => {
  it('calls a file with a NUL byte in its first 8 KiB binary', () => {
    assert.equal(isBinary(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00])), true);
    assert.equal(isBinary(Buffer.concat([Buffer.alloc(8000, 'a'), Buffer.from([0])])), true);
  });

  it('looks only at the head: a NUL after 8 KiB does not make text binary', () => {
    assert.equal(isBinary(Buffer.concat([Buffer.alloc(9000, 'a'), Buffer.from([0])])), false);
  });

  it('calls a head full of control bytes binary even without NUL', () => {
    const noisy = Buffer.from(Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41)));
    assert.equal(isBinary(noisy), true);
  });

  it('keeps text with tabs, CRLF, escape sequences and UTF-8 as text', () => {
    assert.equal(isBinary(Buffer.from('\tconst a = "é😀";\r\n\x1b[31mred\x1b[0m\n')), false);
    assert.equal(isBinary(Buffer.alloc(0)), false);
  });

  it('treats UTF-16 as binary so it is never rewritten as UTF-8', () => {
    assert.equal(isBinary(Buffer.from('\uFEFFhello', 'utf16le')), true);
  });

  it('decodes text, strips and reports the BOM, and detects the dominant line ending', () => {
    assert.deepEqual(decodeText(Buffer.from('\uFEFFa\r\nb\r\nc\n')), { text: 'a\r\nb\r\nc\n', hasBom: true, eol: '\r\n' });
    assert.deepEqual(decodeText(Buffer.from('a\nb')), { text: 'a\nb', hasBom: false, eol: '\n' });
    assert.equal(detectEol('no newline at all'), '\n');
  });

  it('encodes back to the same bytes', () => {
    const original = Buffer.from('\uFEFFx\r\ny');
    const decoded = decodeText(original);
    assert.deepEqual(encodeText(decoded.text, decoded.hasBom), original);
  });
});
