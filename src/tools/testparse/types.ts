// Contract of the test-output parsers: raw runner output in, structured failures and per-test outcomes out.

export type TestRunner = 'mocha' | 'jest' | 'vitest' | 'node' | 'pytest' | 'go' | 'cargo' | 'tap' | 'junit' | 'ava';

export interface TestFailure {
  /** Full test name with the runner's own separator (jest ` › `, vitest/node ` > `, pytest `path::Class::name`, go `Test/sub`, ava ` › `). */
  name: string;
  /** File of the failing assertion (or of the test), relative as the runner prints it; null when unknown. */
  file: string | null;
  line: number | null;
  /**
   * The error: its first line, then (for JavaScript runners) the lines that carry the values, such as
   * Expected/Received or "2 !== 3", compacted to a few lines. Compare failures by the first line only.
   */
  message: string;
  /** e.g. 'suite-error', 'compile-error', 'build-failure' when the failure is not a single test. */
  kind?: string;
}

export type TestOutcomeStatus = 'passed' | 'failed' | 'skipped' | 'todo';

export interface TestOutcome {
  /** Same naming as TestFailure.name for the same test, so failures and outcomes can be joined. */
  name: string;
  file: string | null;
  status: TestOutcomeStatus;
}

export interface ParsedTestOutput {
  /** Which parser produced the result; 'unknown' when none recognised the output. */
  runner: TestRunner | 'unknown';
  failures: TestFailure[];
  /** Counts from the runner's summary; null when the output did not say. */
  passed: number | null;
  failed: number | null;
  /** Counts from the runner's summary; null when the output did not say. */
  skipped: number | null;
  todo: number | null;
  /** Every individual test the output names with its status (passed ones included), in output order; absent when the runner's output does not list individual tests (e.g. jest's default reporter lists only failures). */
  tests?: TestOutcome[];
  /** When nothing structured was found: the last lines of the log, so the caller never gets nothing. */
  tail?: string;
}

/** Optional context for parsing; absolute paths inside `cwd` are reported relative to it. */
export interface ParseOptions {
  cwd?: string;
}
