// The document an edit is applied to, built once per call and shared by all its pairs or hunks: the text as a
// string for substring matching, and as a table of lines for line matching, each made from the other on demand.
import { dominantEol, type Eol } from './text';

/**
 * Exact searches answered by a plain scan before the table indexes its lines: indexing costs about as much as a few
 * dozen scans, so an edit with a few pairs or hunks never pays for it, and one with many pays once.
 */
const SCANS_BEFORE_INDEXING = 16;

interface ParsedLines {
  texts: string[];
  terms: string[];
}

/**
 * Lines as indexLines reads them (a final newline adds no empty line; \r\n and \n end a line), split at the same
 * places, kept as parallel arrays: no object per line, and a change splices only the lines it touches.
 */
export class LineTable {
  /** Line texts without their terminators, in order. */
  private lineTexts: string[];
  /** Each line's terminator: '\n', '\r\n', or '' for the last line when the text does not end with a newline. */
  private terms: string[];
  /** Each line's text as a small integer (equal texts, equal ids), built on the first exact search. */
  private ids: number[] | undefined;
  private readonly idOf = new Map<string, number>();
  /** How many lines have each id now; kept with `ids`. */
  private readonly occurrences: number[] = [];
  private newlines = 0;
  private crlf = 0;
  private scans = 0;

  constructor(body: string) {
    const parsed = parseLines(body);
    this.lineTexts = parsed.texts;
    this.terms = parsed.terms;
    this.count(parsed.terms, 1);
  }

  /** The current lines; read it again after a change, which may replace the array. */
  get texts(): readonly string[] {
    return this.lineTexts;
  }

  get length(): number {
    return this.lineTexts.length;
  }

  /** Whether 0-based line `index` ends with a line ending (only the last line of a text can lack one). */
  endsWithNewline(index: number): boolean {
    return (this.terms[index] ?? '') !== '';
  }

  /** The same answer as dominantEol over the text, kept up to date by counting the terminators spliced in and out. */
  dominantEol(): Eol {
    return this.crlf > this.newlines - this.crlf ? '\r\n' : '\n';
  }

  toBody(): string {
    const texts = this.lineTexts;
    if (texts.length === 0) return '';
    // Only the last line can lack a terminator, so one line ending throughout is a plain join.
    const ending = this.terms[texts.length - 1];
    if (this.crlf === 0) return texts.join('\n') + ending;
    if (this.crlf === this.newlines) return texts.join('\r\n') + ending;
    const parts: string[] = new Array<string>(texts.length * 2);
    for (let i = 0; i < texts.length; i++) {
      parts[2 * i] = texts[i];
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
    if (!this.ids && ++this.scans <= SCANS_BEFORE_INDEXING) return this.scanExact(search, from);
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
    const expected = Number.isFinite(near) ? Math.min(Math.max(0, near + anchor), ids.length) : 0;
    for (const at of this.positionsOf(wanted[anchor], expected)) {
      const start = at - anchor;
      if (start < from || start < 0 || start > lastStart) continue;
      let i = 0;
      while (i < wanted.length && ids[start + i] === wanted[i]) i++;
      if (i === wanted.length) starts.push(start);
    }
    return starts;
  }

  /** findExact by comparing the search's first line with every line from `from` on. */
  private scanExact(search: readonly string[], from: number): number[] {
    const texts = this.lineTexts;
    const starts: number[] = [];
    const lastStart = texts.length - search.length;
    for (let at = texts.indexOf(search[0], Math.max(0, from)); at !== -1 && at <= lastStart; at = texts.indexOf(search[0], at + 1)) {
      let i = 1;
      while (i < search.length && texts[at + i] === search[i]) i++;
      if (i === search.length) starts.push(at);
    }
    return starts;
  }

  /** Every line whose text has `id`, ascending: from `near` to the end first, then from the top, stopping once all are seen. */
  private positionsOf(id: number, near: number): number[] {
    const ids = this.ids as number[];
    const total = this.occurrences[id];
    const found: number[] = [];
    // Each search runs only while occurrences are still missing: a search past the last one would scan to the end.
    for (let at = near - 1; found.length < total;) {
      at = ids.indexOf(id, at + 1);
      if (at === -1) break;
      found.push(at);
    }
    if (found.length === total) return found;
    const before: number[] = [];
    for (let at = -1; before.length + found.length < total;) {
      at = ids.indexOf(id, at + 1);
      if (at === -1 || at >= near) break;
      before.push(at);
    }
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
    const last = this.lineTexts.length - 1;
    if (at <= last || last === -1 || this.terms[last] !== '') {
      this.splice(Math.max(0, Math.min(at, last + 1)), 0, parseLines(inserted + eol));
      return;
    }
    // The last line gains a line ending; parsed again, as the new text would be (a text ending in \r then ends in \r\n).
    this.splice(last, 1, parseLines(this.lineTexts[last] + eol + inserted));
  }

  private splice(start: number, deleteCount: number, lines: ParsedLines): void {
    this.count(this.terms.slice(start, start + deleteCount), -1);
    this.count(lines.terms, 1);
    this.lineTexts = spliceArray(this.lineTexts, start, deleteCount, lines.texts);
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
      this.ids = this.lineTexts.map((text) => this.idFor(text));
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
