// Parser for mocha's epilogue (spec, dot and most built-in reporters): "N failing" then numbered failure blocks.
import type { RunnerParser, RunnerParseResult } from '../parser';
import type { TestFailure } from '../types';
import { collectJsFrames, countMatches, firstMessageLine, parseJsFrame, pickFrame, splitLines } from '../text';

const passingLine = /^\s*(\d+) passing \(\d+(?:\.\d+)?\s*(?:ms|s|m)\)\s*$/m;
const failingLine = /^\s*(\d+) failing\s*$/m;
const blockStart = /^ {2}(\d+)\) (.*)$/;

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
  const failed = matchNumber(text, failingLine);
  const epilogueStart = lines.findIndex((line) => failingLine.test(line));
  const failures: TestFailure[] = [];
  if (epilogueStart >= 0) {
    let index = epilogueStart + 1;
    while (index < lines.length) {
      if (!blockStart.test(lines[index])) {
        index++;
        continue;
      }
      let end = index + 1;
      while (end < lines.length && !blockStart.test(lines[end])) end++;
      failures.push(parseBlock(lines.slice(index, end)));
      index = end;
    }
  }
  return { failures, passed, failed, runFailed: (failed ?? 0) > 0 || failures.length > 0 };
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
    message: firstMessageLine(messageLines),
  };
}

function matchNumber(text: string, pattern: RegExp): number | null {
  const match = pattern.exec(text);
  return match ? Number(match[1]) : null;
}
