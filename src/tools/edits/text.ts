// Text shape helpers for the edit engine: BOM, line-ending style, final newline, and line indexing with offsets.

export type Eol = '\n' | '\r\n';

export const BOM = '\uFEFF';

export interface DocumentShape {
  bom: boolean;
  eol: Eol;
  /** The content without the BOM; edits operate on this. */
  body: string;
}

/** Splits off a UTF-8 BOM and finds the dominant line ending, so edits can keep both. */
export function describeDocument(content: string): DocumentShape {
  const bom = content.startsWith(BOM);
  const body = bom ? content.slice(1) : content;
  return { bom, eol: dominantEol(body), body };
}

export function restoreBom(shape: DocumentShape, body: string): string {
  return shape.bom ? BOM + body : body;
}

/** CRLF when more lines end in \r\n than in a bare \n. One native scan settles the common text without any \r. */
export function dominantEol(text: string): Eol {
  if (text.indexOf('\r') === -1) return '\n';
  let newlines = 0;
  let crlf = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
    newlines++;
    if (at > 0 && text.charCodeAt(at - 1) === 13) crlf++;
  }
  return crlf > newlines - crlf ? '\r\n' : '\n';
}

/** Rewrites every line ending of `text` to `eol`. */
export function convertEol(text: string, eol: Eol): string {
  const lf = text.replace(/\r\n/g, '\n');
  return eol === '\n' ? lf : lf.replace(/\n/g, '\r\n');
}

/** One line of a document: `text` excludes its terminator; `next` is the offset after the terminator. */
export interface IndexedLine {
  text: string;
  start: number;
  end: number;
  next: number;
}

/** Lines of `body` with offsets. A final newline does not produce an extra empty line. */
export function indexLines(body: string): IndexedLine[] {
  const lines: IndexedLine[] = [];
  let start = 0;
  while (start < body.length) {
    const newline = body.indexOf('\n', start);
    if (newline === -1) {
      lines.push({ text: body.slice(start), start, end: body.length, next: body.length });
      break;
    }
    const end = newline > start && body[newline - 1] === '\r' ? newline - 1 : newline;
    lines.push({ text: body.slice(start, end), start, end, next: newline + 1 });
    start = newline + 1;
  }
  return lines;
}

/** Splits edit text (search or replace) into lines: one trailing newline ends the last line, it does not add one. */
export function splitEditLines(text: string): string[] {
  if (text === '') return [];
  const withoutLast = text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
  return withoutLast.split(/\r?\n/);
}

/** 1-based line number of a character offset. */
export function lineNumberAt(body: string, offset: number): number {
  return 1 + countNewlines(body, 0, Math.min(offset, body.length));
}

/** Newlines in text[from, to), found by native search rather than a loop over every character. */
export function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at !== -1 && at < to; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

export function leadingWhitespace(line: string): string {
  const match = /^[ \t]*/.exec(line);
  return match ? match[0] : '';
}

export function isBlank(line: string): boolean {
  return line.trim() === '';
}
