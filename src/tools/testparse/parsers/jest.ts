// Parser for jest's default reporter: "FAIL <file>" sections with "● Suite › test" failure blocks.
import type { RunnerParser, RunnerParseResult } from '../parser';
import type { TestFailure } from '../types';
import { collectJsFrames, countMatches, dedupeFailures, firstMessageLine, numberBefore, pickFrame, splitLines } from '../text';

const suiteLine = /^\s*(FAIL|PASS)\s+(\S.*?)(?:\s+\([\d.]+\s*m?s\))?\s*$/;
const failureHeader = /^ {2}● (.*)$/;
const blockEnd = /^(?:\s*(?:FAIL|PASS)\s+\S|Test Suites:|Snapshot Summary|Tests:\s)/;
const codeFrameMarker = /^\s*> (\d+) \|/;
const suiteFailedTitle = 'Test suite failed to run';

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
  let suiteFile: string | null = null;
  for (let index = 0; index < lines.length; index++) {
    const suite = suiteLine.exec(lines[index]);
    if (suite) {
      suiteFile = suite[2];
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
  const failed = testsLine ? numberBefore(summary, 'failed') ?? 0 : null;
  return {
    failures: dedupeFailures(failures, (f) => `${f.name}\u0000${f.file ?? ''}`),
    passed: testsLine ? numberBefore(summary, 'passed') ?? 0 : null,
    failed,
    runFailed: failedSuites || (failed ?? 0) > 0 || /^\s*FAIL\s+\S/m.test(text),
  };
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
  const failure: TestFailure = { name, file, line, message: firstMessageLine(body) };
  if (name === suiteFailedTitle) {
    failure.kind = 'suite-error';
    failure.file = suiteFile ?? failure.file;
  }
  return failure;
}
