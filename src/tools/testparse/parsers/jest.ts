// Parser for jest's default reporter: "FAIL <file>" sections with "● Suite › test" failure blocks, plus the
// ✓/✕ tree jest prints for a single test file or with --verbose.
import type { RunnerParser, RunnerParseResult } from '../parser';
import type { TestFailure, TestOutcome, TestOutcomeStatus } from '../types';
import { collectJsFrames, compactMessage, countMatches, dedupeFailures, indentOf, numberBefore, parseJsFrame, pickFrame, splitLines } from '../text';

const suiteLine = /^\s*(FAIL|PASS)\s+(\S.*?)(?:\s+\([\d.]+\s*m?s\))?\s*$/;
const failureHeader = /^ {2}● (.*)$/;
const blockEnd = /^(?:\s*(?:FAIL|PASS)\s+\S|Test Suites:|Snapshot Summary|Tests:\s)/;
const codeFrameLine = /^\s*>?\s*\d+ \|/;
const codeFrameMarker = /^\s*> (\d+) \|/;
const suiteFailedTitle = 'Test suite failed to run';
// "✓ name (3 ms)", "✕ name", "○ skipped name", "✎ todo name" in the verbose tree.
const treeTest = /^(\s+)([✓✕○✎]) (?:(skipped|todo) )?(.*?)(?: \(\d+(?:\.\d+)? m?s\))?$/;
const treeStatus: Record<string, TestOutcomeStatus> = { '✓': 'passed', '✕': 'failed', '○': 'skipped', '✎': 'todo' };

export const jestParser: RunnerParser = {
  runner: 'jest',
  score(text) {
    let score = 0;
    if (/^Test Suites:\s+.*total/m.test(text)) score += 5;
    if (/^Tests:\s+.*total/m.test(text)) score += 2;
    score += Math.min(3, countMatches(text, /^\s*(?:FAIL|PASS)\s+\S+\.\w+/m));
    score += Math.min(3, countMatches(text, /^ {2}● .+/m));
    return score;
  },
  parse(text) {
    return parseJest(text);
  },
};

function parseJest(text: string): RunnerParseResult {
  const lines = splitLines(text);
  const failures: TestFailure[] = [];
  const tests: TestOutcome[] = [];
  let suiteFile: string | null = null;
  for (let index = 0; index < lines.length; index++) {
    const suite = suiteLine.exec(lines[index]);
    if (suite) {
      suiteFile = suite[2];
      index = readTree(lines, index + 1, suiteFile, tests) - 1;
      continue;
    }
    const header = failureHeader.exec(lines[index]);
    if (!header) continue;
    let end = index + 1;
    while (end < lines.length && !failureHeader.test(lines[end]) && !blockEnd.test(lines[end])) end++;
    failures.push(parseBlock(header[1].trim(), lines.slice(index + 1, end), suiteFile));
    index = end - 1;
  }
  const testsLine = /^Tests:\s+(.*)$/m.exec(text);
  const summary = testsLine ? testsLine[1] : '';
  const failedSuites = /^Test Suites:\s+.*\b\d+ failed/m.test(text);
  // jest's "Tests:" line leaves out the categories that are zero.
  const count = (word: string): number | null => (testsLine ? numberBefore(summary, word) ?? 0 : null);
  const failed = count('failed');
  const result: RunnerParseResult = {
    failures: dedupeFailures(failures, (f) => `${f.name}\u0000${f.file ?? ''}`),
    passed: count('passed'),
    failed,
    skipped: count('skipped'),
    todo: count('todo'),
    runFailed: failedSuites || (failed ?? 0) > 0 || /^\s*FAIL\s+\S/m.test(text),
  };
  if (tests.length > 0) result.tests = tests;
  return result;
}

/**
 * Reads the tree right under a FAIL/PASS line: describe titles are plain indented lines, tests carry an icon.
 * The tree has no blank lines; it ends at the first blank line or failure header. Returns where it stopped.
 */
function readTree(lines: string[], from: number, file: string, into: TestOutcome[]): number {
  const open: { indent: number; title: string }[] = [];
  let index = from;
  for (; index < lines.length; index++) {
    const line = lines[index];
    if (line.trim() === '' || failureHeader.test(line) || suiteLine.test(line) || blockEnd.test(line)) break;
    const indent = indentOf(line);
    while (open.length > 0 && open[open.length - 1].indent >= indent) open.pop();
    const test = treeTest.exec(line);
    if (test) {
      const name = [...open.map((o) => o.title), test[4].trim()].join(' › ');
      into.push({ name, file, status: treeStatus[test[2]] });
    } else {
      open.push({ indent, title: line.trim() });
    }
  }
  return index;
}

/** The message is what jest prints above the code frame and the stack: the matcher line and its values. */
function messageLines(body: string[]): string[] {
  const end = body.findIndex((line) => codeFrameLine.test(line) || parseJsFrame(line) !== null);
  return end >= 0 ? body.slice(0, end) : body;
}

function parseBlock(name: string, body: string[], suiteFile: string | null): TestFailure {
  const frame = pickFrame(collectJsFrames(body), suiteFile);
  let file = frame ? frame.file : null;
  let line = frame ? frame.line : null;
  if (!frame && suiteFile) {
    // No stack frame printed (e.g. a thrown non-Error): the code frame's marked line is in the test file.
    const marked = body.map((l) => codeFrameMarker.exec(l)).find((m) => m !== null);
    file = suiteFile;
    line = marked ? Number(marked[1]) : null;
  }
  const failure: TestFailure = { name, file, line, message: compactMessage(messageLines(body)) };
  if (name === suiteFailedTitle) {
    failure.kind = 'suite-error';
    failure.file = suiteFile ?? failure.file;
  }
  return failure;
}
