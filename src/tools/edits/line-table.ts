// The document an edit is applied to, built once per call and shared by all its pairs or hunks: the text as a
// string for substring matching, and as a table of lines for line matching, each made from the other on demand.
import { dominantEol, type Eol } from './text';

interface ParsedLines {
  texts: string[];
  terms: string[];
}

/**
 * Lines as indexLines reads them (a final newline adds no empty line; \r\n and \n end a line), split at the same
 * places, kept as parallel arrays: no object per line, and a change splices only the lines it touches.
 */
export class LineTable {
  /** Line texts without their terminators, in order. Replaced, not mutated, when a large splice is cheaper that way. */
  texts: string[];
  /** Each line's terminator: '\n', '\r\n', or '' for a last line without one. */
  private terms: string[];
  /** Each line's text as a small integer (equal texts, equal ids), built on the first exact search. */
  private ids: number[] | undefined;
  private readonly idOf = new Map<string, number>();
  /** How many lines have each id now; kept with `ids`. */
  private readonly occurrences: number[] = [];
  private newlines = 0;
  private crlf = 0;

  constructor(body: string) {
    const parsed = parseLines(body);
    this.texts = parsed.texts;
    this.terms = parsed.terms;
    this.count(parsed.terms, 1);
  }

  get length(): number {
    return this.texts.length;
  }

  /** The same answer as dominantEol over the text, kept up to date by counting the terminators spliced in and out. */
  dominantEol(): Eol {
    return this.crlf > this.newlines - this.crlf ? '\r\n' : '\n';
  }

  toBody(): string {
    const parts: string[] = new Array<string>(this.texts.length * 2);
    for (let i = 0; i < this.texts.length; i++) {
      parts[2 * i] = this.texts[i];
      parts[2 * i + 1] = this.terms[i];
    }
    return parts.join('');
  }

  /**
   * Every start line from `from` on where `search` equals the file lines exactly (overlapping ones included), in
   * ascending order. Found through the search line that occurs least often in the file: its occurrences are looked
   * for from `near` (where the caller expects the text) onwards first, and the search stops once all are found,
   * so a text near its expected place costs a short scan, not one over the whole file.
   */
  findExact(search: readonly string[], from: number, near = 0): number[] {
    const starts: number[] = [];
    if (search.length === 0) return starts;
    const ids = this.idsOfLines();
    const wanted: number[] = [];
    let anchor = 0;
    for (let i = 0; i < search.length; i++) {
      const id = this.idOf.get(search[i]);
      if (id === undefined || this.occurrences[id] === 0) return starts;
      wanted.push(id);
      if (this.occurrences[id] < this.occurrences[wanted[anchor]]) anchor = i;
    }
    const lastStart = ids.length - search.length;
    for (const at of this.positionsOf(wanted[anchor], Math.min(Math.max(0, near + anchor), ids.length))) {
      const start = at - anchor;
      if (start < from || start < 0 || start > lastStart) continue;
      let i = 0;
      while (i < wanted.length && ids[start + i] === wanted[i]) i++;
      if (i === wanted.length) starts.push(start);
    }
    return starts;
  }

  /** Every line whose text has `id`, ascending: from `near` to the end first, then from the top, stopping once all are seen. */
  private positionsOf(id: number, near: number): number[] {
    const ids = this.ids as number[];
    const total = this.occurrences[id];
    const found: number[] = [];
    for (let at = ids.indexOf(id, near); at !== -1 && found.length < total; at = ids.indexOf(id, at + 1)) found.push(at);
    if (found.length === total) return found;
    const before: number[] = [];
    for (let at = ids.indexOf(id); at !== -1 && at < near && before.length + found.length < total; at = ids.indexOf(id, at + 1)) before.push(at);
    return before.concat(found);
  }

  /**
   * Swaps `length` lines from `start` for `newLines`, as a string splice would: the last new line ends as the last
   * replaced line did. Deleting the last line of a file without a final newline leaves the line before it as it
   * was, line ending included (an edit changes the lines it names and no others).
   */
  replaceLines(start: number, length: number, newLines: readonly string[], eol: Eol): void {
    if (newLines.length === 0) {
      this.splice(start, length, { texts: [], terms: [] });
      return;
    }
    const hadTerminator = this.terms[start + length - 1] !== '';
    const rendered = newLines.join(eol);
    // A single blank line only exists if it has a line ending, even at the end of a file without one.
    this.splice(start, length, parseLines(rendered + (hadTerminator || rendered === '' ? eol : '')));
  }

  /** Inserts whole lines before 0-based line `at` (or at the end), keeping whether the text ends with a newline. */
  insertLines(at: number, newLines: readonly string[], eol: Eol): void {
    if (newLines.length === 0) return;
    const inserted = newLines.join(eol);
    const last = this.texts.length - 1;
    if (at <= last || last === -1 || this.terms[last] !== '') {
      this.splice(Math.max(0, Math.min(at, last + 1)), 0, parseLines(inserted + eol));
      return;
    }
    // The last line gains a line ending; parsed again, as the new text would be (a text ending in \r then ends in \r\n).
    this.splice(last, 1, parseLines(this.texts[last] + eol + inserted));
  }

  private splice(start: number, deleteCount: number, lines: ParsedLines): void {
    this.count(this.terms.slice(start, start + deleteCount), -1);
    this.count(lines.terms, 1);
    this.texts = spliceArray(this.texts, start, deleteCount, lines.texts);
    this.terms = spliceArray(this.terms, start, deleteCount, lines.terms);
    if (!this.ids) return;
    for (let i = start; i < start + deleteCount; i++) this.occurrences[this.ids[i]]--;
    const added = lines.texts.map((text) => this.idFor(text));
    for (const id of added) this.occurrences[id]++;
    this.ids = spliceArray(this.ids, start, deleteCount, added);
  }

  private count(terms: readonly string[], sign: 1 | -1): void {
    for (const term of terms) {
      if (term === '') continue;
      this.newlines += sign;
      if (term === '\r\n') this.crlf += sign;
    }
  }

  private idsOfLines(): number[] {
    if (!this.ids) {
      this.ids = this.texts.map((text) => this.idFor(text));
      for (const id of this.ids) this.occurrences[id]++;
    }
    return this.ids;
  }

  private idFor(text: string): number {
    let id = this.idOf.get(text);
    if (id === undefined) {
      id = this.idOf.size;
      this.idOf.set(text, id);
      this.occurrences.push(0);
    }
    return id;
  }
}

/** Lines of a text exactly as indexLines splits them, as texts and terminators. */
function parseLines(text: string): ParsedLines {
  const texts: string[] = [];
  const terms: string[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    if (newline === -1) {
      texts.push(text.slice(start));
      terms.push('');
      break;
    }
    const crlf = newline > start && text.charCodeAt(newline - 1) === 13;
    texts.push(text.slice(start, crlf ? newline - 1 : newline));
    terms.push(crlf ? '\r\n' : '\n');
    start = newline + 1;
  }
  return { texts, terms };
}

/** Array splice without spreading a long list of arguments onto the stack. */
function spliceArray<T>(array: T[], start: number, deleteCount: number, items: readonly T[]): T[] {
  if (items.length <= 1000) {
    array.splice(start, deleteCount, ...items);
    return array;
  }
  return array.slice(0, start).concat(items, array.slice(start + deleteCount));
}

/**
 * One document under edit. Substring matching reads `body()`, line matching reads `lines()`; whichever was
 * changed last is the truth and the other is rebuilt only when asked for, so a run of line edits (a diff's hunks)
 * never goes back to the string, and a run of substring edits never builds the table.
 */
export class EditableText {
  private text: string | undefined;
  private table: LineTable | undefined;

  constructor(body: string) {
    this.text = body;
  }

  body(): string {
    if (this.text === undefined) this.text = (this.table as LineTable).toBody();
    return this.text;
  }

  lines(): LineTable {
    if (!this.table) this.table = new LineTable(this.body());
    return this.table;
  }

  startsWith(prefix: string): boolean {
    if (this.text !== undefined || !this.table) return this.body().startsWith(prefix);
    return this.table.length > 0 && this.table.texts[0].startsWith(prefix);
  }

  setBody(body: string): void {
    this.text = body;
    this.table = undefined;
  }

  dominantEol(): Eol {
    return this.table ? this.table.dominantEol() : dominantEol(this.body());
  }

  replaceLines(start: number, length: number, newLines: readonly string[], eol: Eol): void {
    this.lines().replaceLines(start, length, newLines, eol);
    this.text = undefined;
  }

  insertLines(at: number, newLines: readonly string[], eol: Eol): void {
    this.lines().insertLines(at, newLines, eol);
    this.text = undefined;
  }
}
