// What every runner-specific parser provides: a detection score and a parse of cleaned (ANSI-free) output.
import type { TestFailure, TestRunner } from './types';

export interface RunnerParseResult {
  failures: TestFailure[];
  passed: number | null;
  failed: number | null;
  /** The output says the run failed even when no failure could be structured. */
  runFailed: boolean;
  /** Which runner produced the output when one parser serves several (generic TAP that turns out to be node's). */
  runner?: TestRunner;
}

export interface RunnerParser {
  runner: TestRunner;
  /** How strongly the text looks like this runner's output; 0 = not at all. Scores compare across parsers. */
  score(text: string): number;
  parse(text: string): RunnerParseResult;
}
