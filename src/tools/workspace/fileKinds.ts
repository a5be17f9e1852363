// Tells text from binary files and decodes text while remembering what a faithful write-back needs (BOM, line ending).

/** How much of a file's head is inspected, like git's own binary heuristic. */
export const BINARY_SNIFF_BYTES = 8 * 1024;

/** Above this share of control bytes in the head, a file without NUL bytes still counts as binary. */
const CONTROL_BYTE_RATIO = 0.1;

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/** True for bytes that text files do not contain: control characters other than tab, newlines, form feed, backspace and escape. */
function isSuspiciousControlByte(byte: number): boolean {
  if (byte >= 0x20 && byte !== 0x7f) return false;
  return byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c && byte !== 0x08 && byte !== 0x1b;
}

/**
 * A NUL byte in the first 8 KiB (what git checks) or a high share of control bytes means binary.
 * UTF-16 text counts as binary too: the tools read and write UTF-8 only, so it must not be edited as text.
 */
export function isBinary(buf: Buffer): boolean {
  const sampleLength = Math.min(buf.length, BINARY_SNIFF_BYTES);
  if (sampleLength === 0) return false;
  const sample = buf.subarray(0, sampleLength);
  if (sample.indexOf(0) !== -1) return true;
  let suspicious = 0;
  for (let i = 0; i < sampleLength; i++) {
    if (isSuspiciousControlByte(sample[i])) suspicious++;
  }
  return suspicious / sampleLength > CONTROL_BYTE_RATIO;
}

export function hasUtf8Bom(buf: Buffer): boolean {
  return buf.length >= 3 && buf[0] === UTF8_BOM[0] && buf[1] === UTF8_BOM[1] && buf[2] === UTF8_BOM[2];
}

export interface DecodedText {
  /** The content without the BOM. */
  text: string;
  hasBom: boolean;
  /** The dominant line ending; '\n' when the file has none. */
  eol: '\n' | '\r\n';
}

/** The line ending most lines use, so edits can write new lines the way the file already does. */
export function detectEol(text: string): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

export function decodeText(buf: Buffer): DecodedText {
  const hasBom = hasUtf8Bom(buf);
  const text = (hasBom ? buf.subarray(3) : buf).toString('utf8');
  return { text, hasBom, eol: detectEol(text) };
}

/** The inverse of decodeText: the bytes to write for a text, with the BOM restored when the file had one. */
export function encodeText(text: string, hasBom: boolean): Buffer {
  const body = Buffer.from(text, 'utf8');
  return hasBom ? Buffer.concat([Buffer.from(UTF8_BOM), body]) : body;
}
