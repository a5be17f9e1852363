// Parser for mocha's epilogue (spec, dot and most built-in reporters): "N failing" then numbered failure blocks;
// with the spec reporter also the tree of ✔ / N) / - lines above it, for every test's outcome.
import type { RunnerParser, RunnerParseResult } from '../parser';
import type { TestFailure, TestOutcome } from '../types';
import { collectJsFrames, compactMessage, countMatches, indentOf, parseJsFrame, pickFrame, splitLines } from '../text';

const passingLine = /^\s*(\d+) passing \(\d+(?:\.\d+)?\s*(?:ms|s|m)\)\s*$/m;
const failingLine = /^\s*(\d+) failing\s*$/m;
const pendingLine = /^\s*(\d+) pending\s*$/m;
const blockStart = /^ {2}(\d+)\) (.*)$/;
// "✔ title (12ms)", "1) title", "- title" in the spec tree; ✓ is mocha's tick on older versions and Windows.
const treeTest = /^(\s+)(✔|✓|\d+\)|-) (.+?)(?: \(\d+ms\))?$/;

export const mochaParser: RunnerParser = {
  runner: 'mocha',
  score(text) {
    let score = 0;
    if (passingLine.test(text)) score += 4;
    if (failingLine.test(text)) score += 4;
    score += Math.min(3, countMatches(text, /^ {2}\d+\) .+:$/m));
    return score;
  },
  parse(text) {
    return parseMochaEpilogue(text);
  },
};

function parseMochaEpilogue(text: string): RunnerParseResult {
  const lines = splitLines(text);
  const passed = matchNumber(text, passingLine);
  // The epilogue prints "N failing" and "N pending" only when N > 0.
  const failed = matchNumber(text, failingLine) ?? (passed !== null ? 0 : null);
  const skipped = matchNumber(text, pendingLine) ?? (passed !== null ? 0 : null);
  const epilogueStart = lines.findIndex((line) => failingLine.test(line));
  const numbered = new Map<string, TestFailure>();
  const failures: TestFailure[] = [];
  if (epilogueStart >= 0) {
    let index = epilogueStart + 1;
    while (index < lines.length) {
      const start = blockStart.exec(lines[index]);
      if (!start) {
        index++;
        continue;
      }
      let end = index + 1;
      while (end < lines.length && !blockStart.test(lines[end])) end++;
      const failure = parseBlock(lines.slice(index, end));
      failures.push(failure);
      if (!numbered.has(start[1])) numbered.set(start[1], failure);
      index = end;
    }
  }
  const result: RunnerParseResult = { failures, passed, failed, skipped, todo: null, runFailed: (failed ?? 0) > 0 || failures.length > 0 };
  const summaryAt = lines.findIndex((line) => passingLine.test(line));
  const tests = summaryAt >= 0 ? readTree(lines.slice(0, summaryAt), numbered) : [];
  if (tests.length > 0) result.tests = tests;
  return result;
}

/**
 * The spec tree: suite titles are indented plain lines, tests carry ✔, "N)" or "-". Unindented lines are the
 * tests' own console output. A failing test takes the name of its numbered epilogue block, so names join.
 */
function readTree(lines: string[], numbered: Map<string, TestFailure>): TestOutcome[] {
  const tests: TestOutcome[] = [];
  const open: { indent: number; title: string }[] = [];
  for (const line of lines) {
    const indent = indentOf(line);
    if (line.trim() === '' || indent === 0) continue;
    while (open.length > 0 && open[open.length - 1].indent >= indent) open.pop();
    const test = treeTest.exec(line);
    if (!test) {
      open.push({ indent, title: line.trim() });
      continue;
    }
    const mark = test[2];
    const number = /^(\d+)\)$/.exec(mark);
    const failure = number ? numbered.get(number[1]) : undefined;
    const name = failure ? failure.name : [...open.map((o) => o.title), test[3]].join(' ');
    tests.push({ name, file: null, status: number ? 'failed' : mark === '-' ? 'skipped' : 'passed' });
  }
  return tests;
}

/** One block: title lines (the last ends with ':'), then the error message, then the stack. */
function parseBlock(block: string[]): TestFailure {
  const first = blockStart.exec(block[0]);
  const titleParts: string[] = [first ? first[2] : block[0].trim()];
  let cursor = 1;
  if (!titleParts[0].endsWith(':')) {
    while (cursor < block.length) {
      const part = block[cursor].trim();
      cursor++;
      if (!part) continue;
      titleParts.push(part);
      if (part.endsWith(':')) break;
    }
  }
  const last = titleParts.length - 1;
  titleParts[last] = titleParts[last].replace(/:$/, '');
  const rest = block.slice(cursor);
  const stackStart = rest.findIndex((line) => parseJsFrame(line) !== null);
  const messageLines = stackStart >= 0 ? rest.slice(0, stackStart) : rest;
  const frame = pickFrame(collectJsFrames(rest));
  return {
    name: titleParts.join(' '),
    file: frame ? frame.file : null,
    line: frame ? frame.line : null,
    message: compactMessage(messageLines),
  };
}

function matchNumber(text: string, pattern: RegExp): number | null {
  const match = pattern.exec(text);
  return match ? Number(match[1]) : null;
}
