// A small shell-aware scanner: splits a command line into the simple commands it would run, so the command
// policy can judge each one. It is deliberately not a full shell grammar: it knows quotes, escapes, operators
// (&& || ; | |& & newline), redirections, heredocs, comments, subshell groups ( … ), and the places where
// commands hide inside words — $( … ), backticks, <( … ) / >( … ) — and descends into those.
// Anything it cannot close (an unterminated quote or parenthesis) marks the parse incomplete, and the policy
// then refuses to auto-allow: a guard that guesses is worse than one that asks.

export interface ShellRedirect {
  /** The operator, with its file-descriptor prefix if any: '>', '2>', '>>', '&>', '<', '<<', '>&'. */
  op: string;
  /** The target word with quotes removed (for heredocs: the delimiter). */
  target: string;
}

export interface ShellSegment {
  /** The source text of the simple command, trimmed. */
  text: string;
  /** Words with quotes and escapes removed; substitutions are kept as their source text. */
  words: string[];
  redirects: ShellRedirect[];
  /** Commands nested in substitutions inside this segment's words or redirect targets. */
  nested: ShellPipeline[];
  /** Set when the segment is a subshell group `( … )`; its commands are here. */
  group?: ShellPipeline[];
}

export interface ShellPipeline {
  /** Source text of the whole pipeline, trimmed. */
  text: string;
  segments: ShellSegment[];
}

export interface ParsedCommand {
  pipelines: ShellPipeline[];
  /** False when a quote, substitution or group was left open. */
  complete: boolean;
}

type Closer = ')' | '`' | null;
type OperatorKind = 'pipe' | 'separator' | 'close' | 'eof';

const WORD_BREAKS = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>']);

export function parseCommand(command: string): ParsedCommand {
  const scanner = new ShellScanner(command);
  const pipelines = scanner.parseList(null);
  return { pipelines, complete: scanner.complete };
}

/** Every simple command in the pipelines, in source order, groups and substitutions expanded in place. */
export function flattenSegments(pipelines: readonly ShellPipeline[]): ShellSegment[] {
  const out: ShellSegment[] = [];
  for (const pipeline of pipelines) {
    for (const segment of pipeline.segments) {
      if (segment.group) out.push(...flattenSegments(segment.group));
      else out.push(segment);
      out.push(...flattenSegments(segment.nested));
    }
  }
  return out;
}

class ShellScanner {
  complete = true;
  private pos = 0;
  private pendingHeredocs: { delimiter: string; stripTabs: boolean }[] = [];

  constructor(private readonly src: string) {}

  parseList(closer: Closer): ShellPipeline[] {
    const pipelines: ShellPipeline[] = [];
    let segments: ShellSegment[] = [];
    let pipelineStart = this.pos;
    let pipelineEnd = this.pos;
    for (;;) {
      const segment = this.parseSegment(closer);
      if (segment) {
        segments.push(segment);
        pipelineEnd = this.pos;
      }
      const operator = this.readOperator(closer);
      if (operator === 'pipe') continue;
      if (segments.length > 0) {
        pipelines.push({ text: this.src.slice(pipelineStart, pipelineEnd).trim(), segments });
      }
      segments = [];
      if (operator === 'close') return pipelines;
      if (operator === 'eof') {
        if (closer !== null) this.complete = false;
        return pipelines;
      }
      pipelineStart = this.pos;
    }
  }

  private parseSegment(closer: Closer): ShellSegment | null {
    const start = this.pos;
    let contentEnd = this.pos;
    const segment: ShellSegment = { text: '', words: [], redirects: [], nested: [] };
    for (;;) {
      this.skipBlanks();
      const c = this.src[this.pos];
      const next = this.src[this.pos + 1];
      if (c === undefined || c === '\n' || c === ';' || c === '|' || (c === '&' && next !== '>')) break;
      if ((c === ')' && closer === ')') || (c === '`' && closer === '`')) break;
      if (c === '#') {
        this.skipComment();
        continue; // a comment is not part of the command's text
      }
      if (c === ')') {
        this.pos++; // a stray parenthesis (e.g. a case pattern): not a command
      } else if (c === '(' && segment.words.length === 0 && !segment.group) {
        this.pos++;
        segment.group = this.parseList(')');
      } else if ((c === '<' || c === '>') && next === '(') {
        const wordStart = this.pos;
        this.pos += 2;
        segment.nested.push(...this.parseList(')'));
        segment.words.push(this.src.slice(wordStart, this.pos));
      } else if (c === '<' || c === '>' || c === '&') {
        segment.redirects.push(this.readRedirect('', segment.nested, closer));
      } else {
        const word = this.readWord(closer, segment.nested);
        const after = this.src[this.pos];
        if (/^\d+$/.test(word) && (after === '<' || after === '>')) {
          segment.redirects.push(this.readRedirect(word, segment.nested, closer));
        } else {
          segment.words.push(word);
        }
      }
      contentEnd = this.pos;
    }
    segment.text = this.src.slice(start, contentEnd).trim();
    const empty = segment.words.length === 0 && segment.redirects.length === 0 && !segment.group;
    return empty && segment.nested.length === 0 ? null : segment;
  }

  private readOperator(closer: Closer): OperatorKind {
    this.skipBlanks();
    const c = this.src[this.pos];
    const next = this.src[this.pos + 1];
    if (c === undefined) return 'eof';
    if ((c === ')' && closer === ')') || (c === '`' && closer === '`')) {
      this.pos++;
      return 'close';
    }
    if (c === '\n') {
      this.pos++;
      this.skipHeredocBodies();
      return 'separator';
    }
    if (c === '|') {
      if (next === '|') { this.pos += 2; return 'separator'; }
      this.pos += next === '&' ? 2 : 1;
      return 'pipe';
    }
    // ';', ';;', ';&', '&', '&&' all end the pipeline; anything else is consumed so the scan always advances.
    this.pos += (c === ';' || c === '&') && (next === ';' || next === '&') ? 2 : 1;
    return 'separator';
  }

  private readRedirect(fdPrefix: string, nested: ShellPipeline[], closer: Closer): ShellRedirect {
    const match = /^(&>>|&>|<<<|<<-|<<|<>|<&|<|>>|>&|>\|)|^>/.exec(this.src.slice(this.pos, this.pos + 3));
    const operator = match ? match[0] : this.src[this.pos] ?? '';
    this.pos += operator.length;
    this.skipBlanks();
    const target = this.readWord(closer, nested);
    if (operator === '<<' || operator === '<<-') {
      this.pendingHeredocs.push({ delimiter: target, stripTabs: operator === '<<-' });
    }
    return { op: fdPrefix + operator, target };
  }

  private readWord(closer: Closer, nested: ShellPipeline[]): string {
    let value = '';
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      const next = this.src[this.pos + 1];
      if (WORD_BREAKS.has(c)) break;
      if (c === ')' && closer === ')') break;
      if (c === '`') {
        if (closer === '`') break;
        value += this.readSubstitution(1, '`', nested);
      } else if (c === '\\') {
        if (next !== '\n') value += next ?? '';
        this.pos += 2;
      } else if (c === "'") {
        value += this.readSingleQuoted(this.pos + 1);
      } else if (c === '"') {
        value += this.readDoubleQuoted(nested);
      } else if (c === '$' && next === "'") {
        value += this.readSingleQuoted(this.pos + 2);
      } else if (c === '$' && next === '(' && this.src[this.pos + 2] === '(') {
        value += this.readBalanced('(', ')'); // arithmetic $(( … )): no commands inside
      } else if (c === '$' && next === '(') {
        value += this.readSubstitution(2, ')', nested);
      } else if (c === '$' && next === '{') {
        value += this.readBalanced('{', '}');
      } else {
        value += c;
        this.pos++;
      }
    }
    return value;
  }

  /** Reads `$( … )` or a backtick substitution, parsing its commands into `nested`; returns the source text. */
  private readSubstitution(openerLength: number, closer: ')' | '`', nested: ShellPipeline[]): string {
    const start = this.pos;
    this.pos += openerLength;
    nested.push(...this.parseList(closer));
    return this.src.slice(start, this.pos);
  }

  private readSingleQuoted(contentStart: number): string {
    const end = this.src.indexOf("'", contentStart);
    if (end < 0) {
      this.complete = false;
      this.pos = this.src.length;
      return this.src.slice(contentStart);
    }
    this.pos = end + 1;
    return this.src.slice(contentStart, end);
  }

  private readDoubleQuoted(nested: ShellPipeline[]): string {
    let value = '';
    this.pos++;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      const next = this.src[this.pos + 1];
      if (c === '"') {
        this.pos++;
        return value;
      }
      if (c === '\\' && next !== undefined && '"\\$`\n'.includes(next)) {
        if (next !== '\n') value += next;
        this.pos += 2;
      } else if (c === '$' && next === '(' && this.src[this.pos + 2] !== '(') {
        value += this.readSubstitution(2, ')', nested);
      } else if (c === '`') {
        value += this.readSubstitution(1, '`', nested);
      } else {
        value += c;
        this.pos++;
      }
    }
    this.complete = false;
    return value;
  }

  /** Skips a balanced `$( ( … ) )` or `${ … }` without looking for commands; returns its source text. */
  private readBalanced(open: string, close: string): string {
    const start = this.pos;
    let depth = 0;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos++];
      if (c === '\\') this.pos++;
      else if (c === open) depth++;
      else if (c === close && --depth === 0) return this.src.slice(start, this.pos);
    }
    this.complete = false;
    return this.src.slice(start);
  }

  private skipBlanks(): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c === ' ' || c === '\t' || c === '\r') this.pos++;
      else if (c === '\\' && this.src[this.pos + 1] === '\n') this.pos += 2;
      else return;
    }
  }

  private skipComment(): void {
    const newline = this.src.indexOf('\n', this.pos);
    this.pos = newline < 0 ? this.src.length : newline;
  }

  /** After a newline, the bodies of pending heredocs are data for the command, not commands. */
  private skipHeredocBodies(): void {
    for (const heredoc of this.pendingHeredocs) {
      while (this.pos < this.src.length) {
        const newline = this.src.indexOf('\n', this.pos);
        const lineEnd = newline < 0 ? this.src.length : newline;
        const line = this.src.slice(this.pos, lineEnd);
        this.pos = newline < 0 ? this.src.length : newline + 1;
        if ((heredoc.stripTabs ? line.replace(/^\t+/, '') : line) === heredoc.delimiter) break;
      }
    }
    this.pendingHeredocs = [];
  }
}
