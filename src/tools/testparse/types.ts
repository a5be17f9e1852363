// Contract of the test-output parsers: raw runner output in, structured failures out.

export type TestRunner = 'mocha' | 'jest' | 'vitest' | 'node' | 'pytest' | 'go' | 'cargo' | 'tap' | 'junit';

export interface TestFailure {
  /** Full test name with the runner's own separator (jest ` › `, vitest/node ` > `, pytest `path::Class::name`, go `Test/sub`). */
  name: string;
  /** File of the failing assertion (or of the test), relative as the runner prints it; null when unknown. */
  file: string | null;
  line: number | null;
  /** First line of the error message. */
  message: string;
  /** e.g. 'suite-error', 'compile-error', 'build-failure' when the failure is not a single test. */
  kind?: string;
}

export interface ParsedTestOutput {
  /** Which parser produced the result; 'unknown' when none recognised the output. */
  runner: TestRunner | 'unknown';
  failures: TestFailure[];
  /** Counts from the runner's summary; null when the output did not say. */
  passed: number | null;
  failed: number | null;
  /** When nothing structured was found: the last lines of the log, so the caller never gets nothing. */
  tail?: string;
}

/** Optional context for parsing; absolute paths inside `cwd` are reported relative to it. */
export interface ParseOptions {
  cwd?: string;
}
