// Parser for vitest's default reporter: "Failed Tests"/"Failed Suites" sections of " FAIL  file > name" blocks,
// and the per-file listing ("❯ file (3 tests | 1 failed)" with ×/✓/↓ lines) above them.
import type { RunnerParser, RunnerParseResult } from '../parser';
import type { TestFailure, TestOutcome, TestOutcomeStatus } from '../types';
import { collectJsFrames, compactMessage, countMatches, dedupeFailures, firstMessageLine, isLibraryFrame, numberBefore, parseJsFrame, samePath, splitLines, type StackFrame } from '../text';

const failHeader = /^ ?FAIL {1,2}(?:\|[^|]+\| )?(.+?)(?: > (.*)| \[ (.+) \])?\s*$/;
const sectionBanner = /^⎯+ (Failed Tests|Failed Suites|Unhandled Errors?|Unhandled Rejection)(?: \d+)? ⎯+$/;
const blockSeparator = /^⎯{3,}(?:\[\d+\/\d+\])?⎯*$/;
const vitestFrame = /^\s*❯ (?:.*\s)?(\S+?):(\d+):(\d+)\s*$/;
const runRoot = /^\s*RUN\s+v[\d.]+\S*\s+(\S.*?)\s*$/m;
const codeFrameLine = /^\s*\d+\|/;
const listedFile = /^ [❯✓×↓] (\S.*?) \(\d+ tests?(?: \|[^)]*)?\)(?: \d+m?s)?$/;
const listedTest = /^ {3}([×✓↓]) (.*?)(?: \d+m?s)?$/;
const listedStatus: Record<string, TestOutcomeStatus> = { '×': 'failed', '✓': 'passed', '↓': 'skipped' };

export const vitestParser: RunnerParser = {
  runner: 'vitest',
  score(text) {
    let score = 0;
    if (/^\s*Test Files\s+\d+/m.test(text)) score += 5;
    if (runRoot.test(text)) score += 3;
    if (/⎯{3,}/.test(text)) score += 3;
    score += Math.min(3, countMatches(text, /^ FAIL {2}\S+ > /m));
    return score;
  },
  parse(text) {
    return parseVitest(text);
  },
};

/** The directory vitest prints on its RUN line; file names in the report are relative to it. */
export function vitestRoot(text: string): string | null {
  const match = runRoot.exec(text);
  return match ? match[1] : null;
}

function parseVitest(text: string): RunnerParseResult {
  const lines = splitLines(text);
  const failures: TestFailure[] = [];
  let section: string | null = null;
  for (let index = 0; index < lines.length; index++) {
    const banner = sectionBanner.exec(lines[index]);
    if (banner) {
      section = banner[1];
      if (section.startsWith('Unhandled')) {
        const end = findBlockEnd(lines, index + 1);
        failures.push(unhandledFailure(lines.slice(index + 1, end)));
        index = end - 1;
      }
      continue;
    }
    if (!section) continue;
    // vitest prints one error once for all the tests that share it (test.each cases, a failing beforeEach):
    // several FAIL headers in a row, then the common body.
    const headers: RegExpExecArray[] = [];
    let cursor = index;
    for (let header = failHeader.exec(lines[cursor]); header; header = failHeader.exec(lines[cursor] ?? '')) {
      headers.push(header);
      cursor++;
    }
    if (headers.length === 0) continue;
    const end = findBlockEnd(lines, cursor);
    const body = lines.slice(cursor, end);
    for (const header of headers) failures.push(parseBlock(header, body, section === 'Failed Suites'));
    index = end - 1;
  }
  const testsLine = /^\s*Tests\s{2,}(.*)$/m.exec(text);
  const summary = testsLine ? testsLine[1] : '';
  const failedFiles = /^\s*Test Files\s+.*\b\d+ failed/m.test(text);
  // The "Tests" line leaves out the categories that are zero.
  const count = (word: string): number | null => (testsLine ? numberBefore(summary, word) ?? 0 : null);
  const failed = count('failed');
  const tests = listedTests(lines);
  const result: RunnerParseResult = {
    failures: dedupeFailures(failures, (f) => `${f.name}\u0000${f.file ?? ''}\u0000${f.kind ?? ''}`),
    passed: count('passed'),
    failed,
    skipped: count('skipped'),
    todo: count('todo'),
    runFailed: failedFiles || (failed ?? 0) > 0 || failures.length > 0,
  };
  if (tests.length > 0) result.tests = tests;
  return result;
}

/**
 * The listing names every test of a file that failed (and slow tests elsewhere); a passing file is one line.
 * "↓" is printed for skipped and todo tests alike, so both read as skipped here.
 */
function listedTests(lines: string[]): TestOutcome[] {
  const tests: TestOutcome[] = [];
  let file: string | null = null;
  for (const line of lines) {
    if (sectionBanner.test(line)) break;
    const fileLine = listedFile.exec(line);
    if (fileLine) {
      file = fileLine[1];
      continue;
    }
    const test = file ? listedTest.exec(line) : null;
    if (test) tests.push({ name: test[2].trim(), file, status: listedStatus[test[1]] });
  }
  return tests;
}

function findBlockEnd(lines: string[], from: number): number {
  let end = from;
  while (end < lines.length && !blockSeparator.test(lines[end]) && !failHeader.test(lines[end]) && !sectionBanner.test(lines[end])) {
    end++;
  }
  return end;
}

/** What vitest prints above the stack and the code frame: the error line, then Expected/Received or the diff. */
function messageLines(body: string[]): string[] {
  const end = body.findIndex((line) => vitestFrame.test(line) || codeFrameLine.test(line) || parseJsFrame(line) !== null);
  return end >= 0 ? body.slice(0, end) : body;
}

function parseBlock(header: RegExpExecArray, body: string[], inSuitesSection: boolean): TestFailure {
  const file = header[1];
  const wholeFile = header[3] !== undefined || header[2] === undefined;
  const name = wholeFile ? file : header[2].trim();
  const frame = pickVitestFrame(body, file);
  const failure: TestFailure = {
    name,
    file: frame ? frame.file : file,
    line: frame ? frame.line : null,
    message: compactMessage(messageLines(body)),
  };
  if (wholeFile || inSuitesSection) failure.kind = 'suite-error';
  return failure;
}

function pickVitestFrame(body: string[], testFile: string): StackFrame | null {
  const frames: StackFrame[] = [];
  for (const line of body) {
    const match = vitestFrame.exec(line);
    if (match) frames.push({ file: match[1], line: Number(match[2]), column: Number(match[3]) });
  }
  frames.push(...collectJsFrames(body));
  return frames.find((f) => samePath(f.file, testFile)) ?? null;
}

function unhandledFailure(body: string[]): TestFailure {
  const frames = collectJsFrames(body);
  const frame = frames.find((f) => !isLibraryFrame(f.file)) ?? null;
  return {
    name: '(unhandled error)',
    file: frame ? frame.file : null,
    line: frame ? frame.line : null,
    message: firstMessageLine(body.filter((line) => !/^Vitest caught/.test(line) && !/^This error originated/.test(line))),
    kind: 'unhandled-error',
  };
}
