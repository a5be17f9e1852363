// Parser for SEARCH/REPLACE block formats: conflict-marker blocks, Cline's `------- SEARCH`/`+++++++ REPLACE`,
// Roo's `:start_line:` header, and aider's filename line before a (fenced) block, with the filename carrying over.
import { editError } from './errors';
import type { EditError } from './types';

export interface ParsedBlock {
  /** The filename written before the block (or carried over from an earlier block). */
  path?: string;
  search: string;
  replace: string;
  startLine?: number;
}

export type BlocksParse = { ok: true; blocks: ParsedBlock[] } | { ok: false; error: EditError };

// Conflict-marker style (`<<<<<<<`/`>>>>>>>`) uses git's marker lengths, 7 or 8; Cline's `-------`/`+++++++` style
// varies in length, so 3 or more. Exactly one space before the keyword; trailing spaces after it are harmless.
// The divider must stand alone: `======= x` may be content.
const SEARCH_MARKER = /^(?:<{7,8}|-{3,}) SEARCH>?[ \t]*$/;
const DIVIDER = /^={3,}$/;
const REPLACE_MARKER = /^(?:>{7,8}|\+{3,}) REPLACE[<>]?[ \t]*$/;
/** A backslash before a marker-like line (`\=======`, `\<<<<<<< HEAD`) makes it content. */
const ESCAPED_MARKER = /^\\(?=<{3,}|={3,}|>{3,}|-{3,}|\+{3,})/;
const START_LINE = /^\s*:start_line:\s*(\d+)\s*$/;
const END_LINE = /^\s*:end_line:\s*(\d+)\s*$/;
const HEADER_END = /^-{3,}$/;
const FENCE = /^\s*(`{3,}|~{3,})/;
const MAX_FILENAME_LOOKBACK = 3;

export function hasSearchMarker(text: string): boolean {
  return text.split(/\r?\n/).some((line) => SEARCH_MARKER.test(line));
}

type State = 'outside' | 'search' | 'replace';

function malformed(message: string, index: number): BlocksParse {
  return { ok: false, error: editError('malformed_edit', `${message} (block #${index + 1}); nothing was changed. Each block is: SEARCH marker line, the exact current lines, a ======= line, the new lines, REPLACE marker line.`, { editIndex: index }) };
}

/** Parses every block of an edit text; markers out of order make the whole text malformed. */
export function parseBlocks(text: string): BlocksParse {
  const lines = text.split(/\r?\n/);
  const blocks: ParsedBlock[] = [];
  let state: State = 'outside';
  let outside: string[] = [];
  let search: string[] = [];
  let replace: string[] = [];
  let currentPath: string | undefined;
  const finish = (): void => {
    blocks.push(makeBlock(search, replace, currentPath));
    search = [];
    replace = [];
    outside = [];
  };
  for (const line of lines) {
    if (state === 'outside') {
      if (SEARCH_MARKER.test(line)) {
        currentPath = filenameBefore(outside) ?? currentPath;
        state = 'search';
      } else if (DIVIDER.test(line) || REPLACE_MARKER.test(line)) {
        return malformed(`Found "${line}" outside a block`, blocks.length);
      } else outside.push(line);
    } else if (state === 'search') {
      if (DIVIDER.test(line)) state = 'replace';
      else if (SEARCH_MARKER.test(line) || REPLACE_MARKER.test(line)) return malformed(`Found "${line}" before the ======= divider`, blocks.length);
      else search.push(unescape(line));
    } else if (REPLACE_MARKER.test(line)) {
      finish();
      state = 'outside';
    } else if (SEARCH_MARKER.test(line) || DIVIDER.test(line)) {
      return malformed(`Found "${line}" where the REPLACE marker was expected`, blocks.length);
    } else if (START_LINE.test(line) || END_LINE.test(line)) {
      return malformed(':start_line:/:end_line: belongs in the SEARCH part, not the REPLACE part', blocks.length);
    } else replace.push(unescape(line));
  }
  if (state === 'search') return malformed('The text ended inside a SEARCH part', blocks.length);
  // A reply cut off by the token limit also ends inside a REPLACE part: applying it would write half a change.
  if (state === 'replace') return malformed('The text ended before the REPLACE marker (was the reply cut off?)', blocks.length);
  if (blocks.length === 0) return { ok: false, error: editError('malformed_edit', 'No SEARCH/REPLACE block found in the edit; nothing was changed. Write each change as a "<<<<<<< SEARCH" line, the exact current lines, a "=======" line, the new lines, and a ">>>>>>> REPLACE" line.') };
  return { ok: true, blocks };
}

function unescape(line: string): string {
  return ESCAPED_MARKER.test(line) ? line.slice(1) : line;
}

function joinLines(lines: string[]): string {
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

function makeBlock(searchLines: string[], replaceLines: string[], path: string | undefined): ParsedBlock {
  let startLine: number | undefined;
  let body = searchLines;
  const header = body.findIndex((line) => !START_LINE.test(line) && !END_LINE.test(line));
  if (header > 0) {
    const start = body.slice(0, header).map((line) => START_LINE.exec(line)).find((m) => m !== null);
    if (start) startLine = Number(start[1]);
    body = body.slice(header);
    if (body.length > 0 && HEADER_END.test(body[0])) body = body.slice(1);
  }
  return { path, search: joinLines(body), replace: joinLines(replaceLines), startLine };
}

/** Aider writes the filename on its own line just before the block or its opening fence. */
function filenameBefore(outside: string[]): string | undefined {
  let looked = 0;
  for (let i = outside.length - 1; i >= 0 && looked < MAX_FILENAME_LOOKBACK; i--) {
    const line = outside[i].trim();
    if (line === '') continue;
    looked++;
    if (FENCE.test(line)) {
      const afterFence = line.replace(/^(`{3,}|~{3,})/, '').trim();
      if (looksLikePath(afterFence) && /[./\\]/.test(afterFence)) return afterFence;
      continue;
    }
    const candidate = line.replace(/^[#*`\s]+|[*`:\s]+$/g, '');
    return looksLikePath(candidate) ? candidate : undefined;
  }
  return undefined;
}

/** A path names something: `...` (an elision between blocks) or other bare punctuation is not one. */
function looksLikePath(candidate: string): boolean {
  return candidate.length > 0 && candidate.length < 256 && /^[^\s'"<>|`]+$/.test(candidate) && !/^[-=+<>]{3,}/.test(candidate) && /[\p{L}\p{N}_]/u.test(candidate);
}
