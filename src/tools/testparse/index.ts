// Entry point of the test-output parsers: detect the runner, parse its output, never return nothing.
import { avaParser } from './parsers/ava';
import { cargoParser } from './parsers/cargo';
import { goParser } from './parsers/go';
import { jestParser } from './parsers/jest';
import { junitParser } from './parsers/junit';
import { mochaParser } from './parsers/mocha';
import { nodeSpecParser } from './parsers/nodeSpec';
import { pytestParser, pytestRoot } from './parsers/pytest';
import { tapParser } from './parsers/tap';
import { vitestParser, vitestRoot } from './parsers/vitest';
import type { RunnerParser } from './parser';
import { cleanOutput, lastLines, relativeTo, relativiseFailures } from './text';
import type { ParsedTestOutput, ParseOptions, TestOutcome, TestRunner } from './types';

export { failureSignature, normaliseFailureMessage } from './signature';
export type { ParsedTestOutput, ParseOptions, TestFailure, TestOutcome, TestOutcomeStatus, TestRunner } from './types';

const parsers: readonly RunnerParser[] = [
  jestParser,
  vitestParser,
  avaParser,
  mochaParser,
  nodeSpecParser,
  tapParser,
  pytestParser,
  goParser,
  cargoParser,
  junitParser,
];

/** Below this score no parser is trusted and the output is returned as a tail. */
const minimumScore = 4;
const tailLines = 40;

export interface RunnerScore {
  parser: RunnerParser;
  score: number;
}

/** Scores every parser against the (cleaned) text, best first. */
export function scoreRunners(text: string): RunnerScore[] {
  return parsers.map((parser) => ({ parser, score: parser.score(text) })).sort((a, b) => b.score - a.score);
}

export function detectRunner(output: string): TestRunner | 'unknown' {
  const text = cleanOutput(output);
  const best = scoreRunners(text)[0];
  if (!best || best.score < minimumScore) return 'unknown';
  // node's and AVA's TAP output is parsed by the TAP parser but reported as theirs.
  return best.parser === tapParser ? tapParser.parse(text).runner ?? 'tap' : best.parser.runner;
}

function parserFor(runner: TestRunner, text: string): RunnerParser {
  if (runner === 'node') return nodeSpecParser.score(text) >= tapParser.score(text) ? nodeSpecParser : tapParser;
  if (runner === 'ava') return avaParser.score(text) >= tapParser.score(text) ? avaParser : tapParser;
  return parsers.find((parser) => parser.runner === runner) ?? tapParser;
}

function pickParser(text: string, runner: TestRunner | 'auto'): RunnerParser | null {
  if (runner !== 'auto') return parserFor(runner, text);
  const best = scoreRunners(text)[0];
  return best && best.score >= minimumScore ? best.parser : null;
}

function isAbsolute(file: string): boolean {
  return file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file);
}

/** Directories the runner printed (vitest's RUN line, pytest's rootdir) plus the caller's cwd. */
function rootsFor(text: string, options: ParseOptions | undefined): string[] {
  const roots = [vitestRoot(text), pytestRoot(text), options?.cwd ?? null];
  return roots.filter((root): root is string => root !== null && isAbsolute(root));
}

function relativiseOutcomes(tests: TestOutcome[], roots: readonly string[]): TestOutcome[] {
  if (roots.length === 0) return tests;
  return tests.map((test) => (test.file ? { ...test, file: relativeTo(test.file, roots) } : test));
}

/**
 * Parses raw test-runner output (ANSI colours allowed) into structured failures and summary counts.
 * Unknown output, or a failed run whose failures could not be structured, still returns the last lines.
 */
export function parseTestOutput(output: string, runner: TestRunner | 'auto' = 'auto', options?: ParseOptions): ParsedTestOutput {
  const text = cleanOutput(output);
  const parser = pickParser(text, runner);
  if (!parser) return { runner: 'unknown', failures: [], passed: null, failed: null, skipped: null, todo: null, tail: lastLines(text, tailLines) };
  const result = parser.parse(text);
  const roots = rootsFor(text, options);
  const parsed: ParsedTestOutput = {
    runner: result.runner ?? parser.runner,
    failures: relativiseFailures(result.failures, roots),
    passed: result.passed,
    failed: result.failed,
    skipped: result.skipped,
    todo: result.todo,
  };
  if (result.tests) parsed.tests = relativiseOutcomes(result.tests, roots);
  const looksFailed = result.runFailed || (result.failed ?? 0) > 0;
  if (parsed.failures.length === 0 && looksFailed) parsed.tail = lastLines(text, tailLines);
  return parsed;
}
