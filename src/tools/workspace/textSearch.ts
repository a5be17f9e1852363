// The in-process text search behind search_text: reads files synchronously into one reusable buffer, in slices.
// Measured on 52,000 files: sync reads into a shared buffer ~0.3 s, an async pool of 64 reads ~1 s (threadpool overhead).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WorkspaceError, throwIfCancelled, type SearchHit } from './types';
import { BINARY_SNIFF_BYTES } from './fileKinds';

/** Files above this size are skipped: generated bundles and data files, not code the model should read. */
export const MAX_SEARCHED_FILE_BYTES = 2 * 1024 * 1024;
/** Longer lines are cut to a window around the match (minified code would flood the model). */
export const MAX_HIT_TEXT_CHARS = 300;
/** Files searched between two yields to the event loop and two cancellation checks. */
const FILES_PER_SLICE = 256;
// O_NOFOLLOW: a symlink could point outside the workspace. O_NONBLOCK: opening a FIFO must not hang the search.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

export interface SearchRequest {
  root: string;
  /** Root-relative POSIX paths, in the order hits should come back. */
  files: readonly string[];
  query: string;
  regex: boolean;
  caseSensitive: boolean;
  maxResults: number;
  signal?: AbortSignal;
}

export interface SearchOutcome {
  hits: SearchHit[];
  truncated: boolean;
  filesSearched: number;
}

interface LineMatch { line: number; text: string }

/** Finds the matching lines of one file's bytes, at most `limit` of them. */
type FileMatcher = (content: Buffer, limit: number) => LineMatch[];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Cuts a long line to a window that shows the match, marking what was left out. */
export function clipLine(text: string, matchColumn: number): string {
  if (text.length <= MAX_HIT_TEXT_CHARS) return text;
  const start = Math.max(0, Math.min(matchColumn - 100, text.length - MAX_HIT_TEXT_CHARS));
  const end = start + MAX_HIT_TEXT_CHARS;
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}

/** A line as the person reads it: without its CR and, on line 1, without the BOM. */
function cleanLine(raw: string, lineNumber: number): string {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  return lineNumber === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Case-sensitive literal: searched on the raw bytes, so files without a hit are never decoded. */
function literalBytesMatcher(query: string): FileMatcher {
  const needle = Buffer.from(query, 'utf8');
  return (content, limit) => {
    const matches: LineMatch[] = [];
    let lineNumber = 1;
    let countedUpTo = 0; // newlines before this offset are already counted in lineNumber
    for (let at = content.indexOf(needle); at !== -1 && matches.length < limit; ) {
      const lineStart = content.lastIndexOf(10, at) + 1;
      for (let nl = content.indexOf(10, countedUpTo); nl !== -1 && nl < lineStart; nl = content.indexOf(10, nl + 1)) lineNumber++;
      countedUpTo = lineStart;
      const newline = content.indexOf(10, at + needle.length);
      const lineEnd = newline === -1 ? content.length : newline;
      const line = cleanLine(content.toString('utf8', lineStart, lineEnd), lineNumber);
      const column = Math.max(0, line.indexOf(query)); // first occurrence on the line, the one the byte search found
      matches.push({ line: lineNumber, text: clipLine(line, column) });
      if (newline === -1) break;
      at = content.indexOf(needle, newline + 1);
    }
    return matches;
  };
}

/** A cheap whole-file test that never misses a file with a match; files failing it are not split into lines. */
type Prefilter = (content: Buffer) => boolean;

/** Line by line with a regex, only for files the prefilter lets through. */
function lineRegexMatcher(perLine: RegExp, prefilter: Prefilter): FileMatcher {
  return (content, limit) => {
    if (!prefilter(content)) return [];
    const text = content.toString('utf8');
    const matches: LineMatch[] = [];
    let lineNumber = 1;
    for (let start = 0; start <= text.length && matches.length < limit; lineNumber++) {
      const newline = text.indexOf('\n', start);
      const end = newline === -1 ? text.length : newline;
      const line = cleanLine(text.slice(start, end), lineNumber);
      const found = perLine.exec(line);
      if (found) matches.push({ line: lineNumber, text: clipLine(line, found.index) });
      if (newline === -1) break;
      start = newline + 1;
    }
    return matches;
  };
}

/**
 * An ASCII query ignoring case can be looked for in the latin1 view of the bytes: no byte of a multi-byte UTF-8
 * character folds to ASCII there, and latin1 decoding is a plain copy (measured ~2.5x faster than UTF-8 + regex).
 */
function caseInsensitiveLiteralMatcher(query: string): FileMatcher {
  const perLine = new RegExp(escapeRegExp(query), 'i');
  if (!/^[\x00-\x7f]*$/.test(query)) return lineRegexMatcher(perLine, (content) => perLine.test(content.toString('utf8')));
  return lineRegexMatcher(perLine, (content) => perLine.test(content.toString('latin1')));
}

function userRegexMatcher(pattern: string, caseSensitive: boolean): FileMatcher {
  const wholeFile = new RegExp(pattern, caseSensitive ? 'm' : 'im'); // 'm': ^ and $ still mean line start and end
  const perLine = new RegExp(pattern, caseSensitive ? '' : 'i');
  return lineRegexMatcher(perLine, (content) => wholeFile.test(content.toString('utf8')));
}

export function createMatcher(query: string, regex: boolean, caseSensitive: boolean): FileMatcher {
  if (regex) {
    try {
      return userRegexMatcher(query, caseSensitive);
    } catch (error) {
      throw new WorkspaceError('invalid_arguments', `The query is not a valid regular expression: ${(error as Error).message}`);
    }
  }
  return caseSensitive ? literalBytesMatcher(query) : caseInsensitiveLiteralMatcher(query);
}

/** Reads a regular file into `buffer`; null for anything that is not a searchable text file of bounded size. */
function readSearchable(absolutePath: string, buffer: Buffer): Buffer | null {
  let fd: number;
  try {
    fd = fs.openSync(absolutePath, OPEN_FLAGS);
  } catch {
    return null; // vanished, unreadable, or a symlink
  }
  try {
    let total = 0;
    for (;;) {
      const read = fs.readSync(fd, buffer, total, buffer.length - total, null);
      if (read === 0) break;
      total += read;
      if (total >= buffer.length) return null; // over the size limit
    }
    const content = buffer.subarray(0, total);
    const head = content.subarray(0, Math.min(total, BINARY_SNIFF_BYTES));
    return head.indexOf(0) === -1 ? content : null;
  } catch {
    return null; // a folder (submodule) or a FIFO
  } finally {
    fs.closeSync(fd);
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Hits in file order, then line order; stops reading as soon as one hit more than `maxResults` is known. */
export async function searchFiles(request: SearchRequest): Promise<SearchOutcome> {
  const matcher = createMatcher(request.query, request.regex, request.caseSensitive);
  const buffer = Buffer.allocUnsafe(MAX_SEARCHED_FILE_BYTES + 1);
  const hits: SearchHit[] = [];
  // Concatenation, not path.join: join normalises every path and cost ~60 ms per 50,000 files.
  const rootPrefix = request.root.endsWith(path.sep) ? request.root : request.root + path.sep;
  let filesSearched = 0;
  for (let index = 0; index < request.files.length; index++) {
    if (index % FILES_PER_SLICE === FILES_PER_SLICE - 1) {
      await yieldToEventLoop();
      throwIfCancelled(request.signal, 'The search');
    }
    const relative = request.files[index];
    const content = readSearchable(rootPrefix + relative, buffer);
    if (!content) continue;
    filesSearched++;
    for (const match of matcher(content, request.maxResults + 1 - hits.length)) {
      if (hits.length === request.maxResults) return { hits, truncated: true, filesSearched };
      hits.push({ path: relative, line: match.line, text: match.text });
    }
  }
  return { hits, truncated: false, filesSearched };
}
