// What every runner-specific parser provides: a detection score and a parse of cleaned (ANSI-free) output.
import type { TestFailure, TestOutcome, TestRunner } from './types';

export interface RunnerParseResult {
  failures: TestFailure[];
  /** Counts the output states (or that follow from a summary that omits zero counts); null when it does not say. */
  passed: number | null;
  failed: number | null;
  skipped: number | null;
  todo: number | null;
  /** Individual tests with their status, when the output lists them; omitted otherwise. */
  tests?: TestOutcome[];
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
