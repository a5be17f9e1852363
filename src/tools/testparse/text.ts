// Text helpers shared by the test-output parsers: ANSI stripping, stack frames, messages, paths and counts.
import type { TestFailure } from './types';

// CSI sequences (colours, cursor moves) and OSC sequences (hyperlinks, titles).
const ansiPattern = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/** Removes colour codes and resolves carriage-return overwrites the way a terminal would show them. */
export function cleanOutput(raw: string): string {
  const noAnsi = raw.replace(ansiPattern, '');
  return noAnsi
    .split(/\r?\n/)
    .map((line) => {
      const lastReturn = line.lastIndexOf('\r');
      return lastReturn >= 0 ? line.slice(lastReturn + 1) : line;
    })
    .join('\n');
}

export function splitLines(text: string): string[] {
  return text.split('\n');
}

export function lastLines(text: string, count = 40): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  return lines.slice(-count).join('\n');
}

export function indentOf(line: string): number {
  const match = /^[ \t]*/.exec(line);
  return match ? match[0].length : 0;
}

export interface StackFrame {
  file: string;
  line: number;
  column: number | null;
}

// `at fn (file:L:C)`, `at file:L:C`, `at async fn (file:L:C)`; file may be a file:// URL.
// node appends " {" when the error object carries extra properties.
const jsFramePattern = /^\s*at (?:.*?\()?((?:file:\/\/)?[^()\s][^()]*?):(\d+):(\d+)\)?(?: \{)?\s*$/;

export function parseJsFrame(line: string): StackFrame | null {
  const match = jsFramePattern.exec(line);
  if (!match) return null;
  return { file: match[1].replace(/^file:\/\//, ''), line: Number(match[2]), column: Number(match[3]) };
}

/** True for frames in the runtime, in dependencies or in the runner itself: never where the test failed. */
export function isLibraryFrame(file: string): boolean {
  return (
    file.startsWith('node:') ||
    file.startsWith('internal/') ||
    file.includes('/node_modules/') ||
    file.startsWith('node_modules/') ||
    file.includes('\\node_modules\\') ||
    file === '<anonymous>' ||
    file.startsWith('native')
  );
}

/** True when two spellings of a path name the same file (one absolute, one relative to some root). */
export function samePath(a: string, b: string): boolean {
  const left = normaliseSlashes(a).replace(/^\.\//, '');
  const right = normaliseSlashes(b).replace(/^\.\//, '');
  if (left === right) return true;
  return left.endsWith('/' + right) || right.endsWith('/' + left);
}

export function normaliseSlashes(file: string): string {
  return file.replace(/\\/g, '/');
}

/**
 * Picks the frame that locates the failure: one in the test file when we know it, else the first frame
 * outside libraries and the runtime, else null.
 */
export function pickFrame(frames: StackFrame[], testFile?: string | null): StackFrame | null {
  if (testFile) {
    const inTestFile = frames.find((frame) => samePath(frame.file, testFile));
    if (inTestFile) return inTestFile;
  }
  return frames.find((frame) => !isLibraryFrame(frame.file)) ?? null;
}

export function collectJsFrames(lines: readonly string[]): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of lines) {
    const frame = parseJsFrame(line);
    if (frame) frames.push(frame);
  }
  return frames;
}

/** The first non-blank line, trimmed; quotes around a bare string value are removed. */
export function firstMessageLine(lines: readonly string[]): string {
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed) return unquote(trimmed);
  }
  return '';
}

/** The first line of a (possibly multi-line) message: what signatures and comparisons look at. */
export function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').trim();
}

const maxMessageLines = 6;
const maxMessageChars = 400;

/**
 * The first message line (whole, as firstMessageLine gives it) followed by the next non-blank lines, trimmed,
 * up to 6 lines and about 400 characters: enough for "Expected: 3 / Received: 2" or "2 !== 3" without the
 * whole diff. Callers pass only the message part of a block (no stack frames, no code frame).
 */
export function compactMessage(lines: readonly string[]): string {
  const kept = lines.map((line) => line.trim()).filter((line) => line !== '');
  if (kept.length === 0) return '';
  const out = [unquote(kept[0])];
  let length = out[0].length;
  for (const line of kept.slice(1)) {
    if (out.length >= maxMessageLines) break;
    const room = maxMessageChars - length - 1;
    if (room < 20) break;
    const piece = line.length > room ? line.slice(0, room - 1) + '…' : line;
    out.push(piece);
    length += piece.length + 1;
  }
  return out.join('\n');
}

export function unquote(text: string): string {
  const match = /^'(.*)'$/.exec(text) ?? /^"(.*)"$/.exec(text);
  return match ? match[1] : text;
}

/** Makes an absolute path relative to one of the given roots when it lies inside it. */
export function relativeTo(file: string, roots: readonly string[]): string {
  const normal = normaliseSlashes(file);
  for (const root of roots) {
    const base = normaliseSlashes(root).replace(/\/+$/, '');
    if (base && normal.startsWith(base + '/')) return normal.slice(base.length + 1);
  }
  return file;
}

export function relativiseFailures(failures: TestFailure[], roots: readonly string[]): TestFailure[] {
  if (roots.length === 0) return failures;
  return failures.map((failure) =>
    failure.file ? { ...failure, file: relativeTo(failure.file, roots) } : failure,
  );
}

/** Keeps the first failure of each name+file+line: runners print one block per error, not per test. */
export function dedupeFailures(failures: TestFailure[], key: (f: TestFailure) => string = (f) => f.name): TestFailure[] {
  const seen = new Set<string>();
  return failures.filter((failure) => {
    const id = key(failure);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

export function countMatches(text: string, pattern: RegExp): number {
  const flags = pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g';
  return (text.match(new RegExp(pattern.source, flags)) ?? []).length;
}

/** Reads `<n> <word>` out of a summary line such as "3 failed, 10 passed". */
export function numberBefore(text: string, word: string): number | null {
  const match = new RegExp(`(\\d+)\\s+${word}\\b`).exec(text);
  return match ? Number(match[1]) : null;
}
