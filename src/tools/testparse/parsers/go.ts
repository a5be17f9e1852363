// Parser for `go test` output: -v text, plain text, and the -json event stream (read as the text it carries).
import type { RunnerParser, RunnerParseResult } from '../parser';
import type { TestFailure, TestOutcome } from '../types';
import { countMatches, indentOf, splitLines } from '../text';

const testSwitch = /^=== (?:RUN|CONT|NAME|PAUSE)\s+(\S+)/;
const resultLine = /^(\s*)--- (FAIL|PASS|SKIP): (\S+) \([\d.]+s\)/;
// Go before 1.14 prefixed log lines with the test name: "    TestX: file_test.go:12: msg".
const logLine = /^\s+(?:(Test\S*|Example\S*|Benchmark\S*|Fuzz\S*): )?(\S+\.go):(\d+): ?(.*)$/;
const packageEnd = /^(FAIL|ok)\s+(\S+)(?:\s+(?:\[([^\]]+)\]|[\d.]+s|\(cached\)).*)?$/;
const buildHeader = /^# (\S+)(?: \[.*\])?$/;
const compileError = /^(\S+\.go):(\d+)(?::\d+)?: (.*)$/;
const frameworkLine = /^(?:=== |--- |\s*--- |PASS$|FAIL$|ok\s|FAIL\s|testing: |coverage: |exit status \d+)/;

interface GoTest {
  failed: boolean;
  file: string | null;
  line: number | null;
  message: string | null;
}

export const goParser: RunnerParser = {
  runner: 'go',
  score(text) {
    let score = 0;
    if (/^\{"Time":"[^"]*","Action":"/m.test(text) || /^\{"Action":"/m.test(text)) score += 8;
    score += Math.min(4, countMatches(text, /^=== RUN\s+Test/m));
    score += Math.min(4, countMatches(text, /^\s*--- (?:FAIL|PASS): \S+ \([\d.]+s\)/m));
    if (/^(?:FAIL|ok)\s+\S+\s+(?:[\d.]+s|\(cached\)|\[build failed\])/m.test(text)) score += 4;
    return score;
  },
  parse(text) {
    return parseGoText(isJsonStream(text) ? jsonStreamToText(text) : text);
  },
};

function isJsonStream(text: string): boolean {
  return /^\{"(?:Time|Action|ImportPath)":/m.test(text);
}

/** test2json events carry the exact -v text in their Output fields; other lines pass through unchanged. */
export function jsonStreamToText(text: string): string {
  const out: string[] = [];
  for (const line of splitLines(text)) {
    if (!line.startsWith('{')) {
      if (line.trim()) out.push(line + '\n');
      continue;
    }
    try {
      const event: unknown = JSON.parse(line);
      if (typeof event === 'object' && event !== null && 'Output' in event) {
        const output = (event as { Output: unknown }).Output;
        if (typeof output === 'string') out.push(output);
      }
    } catch {
      out.push(line + '\n');
    }
  }
  return out.join('');
}

class PackageSegment {
  readonly tests = new Map<string, GoTest>();
  readonly otherLines: string[] = [];
  current: string | null = null;
  /** After a "--- FAIL" line, more-indented log lines belong to that test (non -v output). */
  trailer: { name: string; indent: number } | null = null;

  test(name: string): GoTest {
    let entry = this.tests.get(name);
    if (!entry) {
      entry = { failed: false, file: null, line: null, message: null };
      this.tests.set(name, entry);
    }
    return entry;
  }
}

function parseGoText(text: string): RunnerParseResult {
  const lines = splitLines(text);
  const failures: TestFailure[] = [];
  const buildFailed = new Set<string>();
  const tests: TestOutcome[] = [];
  let sawSummary = false;
  let segment = new PackageSegment();
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const build = buildHeader.exec(line);
    if (build && index + 1 < lines.length && compileError.test(lines[index + 1].trim())) {
      const error = compileError.exec(lines[index + 1].trim());
      if (error) {
        failures.push({ name: build[1], file: error[1], line: Number(error[2]), message: error[3], kind: 'build-failure' });
        buildFailed.add(build[1]);
      }
      while (index + 1 < lines.length && compileError.test(lines[index + 1].trim())) index++;
      continue;
    }
    const end = packageEnd.exec(line);
    if (end) {
      sawSummary = true;
      if (end[1] === 'FAIL') failures.push(...closeSegment(segment, end[2], end[3], buildFailed));
      segment = new PackageSegment();
      continue;
    }
    const result = resultLine.exec(line);
    if (result) {
      tests.push({ name: result[3], file: null, status: result[2] === 'PASS' ? 'passed' : result[2] === 'FAIL' ? 'failed' : 'skipped' });
      if (result[2] === 'FAIL') segment.test(result[3]).failed = true;
      segment.trailer = { name: result[3], indent: result[1].length };
      continue;
    }
    const switched = testSwitch.exec(line);
    if (switched) {
      segment.current = switched[1];
      segment.trailer = null;
      continue;
    }
    readOutputLine(segment, line);
  }
  if (!sawSummary) failures.push(...closeSegment(segment, null, undefined, buildFailed));
  const failedTests = failures.filter((f) => !f.kind).length;
  // Without -v, go names only the failing tests: how many passed or were skipped is not said.
  const verbose = /^=== RUN\s/m.test(text);
  const listed = (status: TestOutcome['status']): number => tests.filter((t) => t.status === status).length;
  return {
    failures,
    passed: verbose ? listed('passed') : null,
    failed: failedTests,
    skipped: verbose ? listed('skipped') : null,
    // go has no todo tests.
    todo: null,
    ...(tests.length > 0 ? { tests } : {}),
    runFailed: failures.length > 0 || /^FAIL\b/m.test(text),
  };
}

function readOutputLine(segment: PackageSegment, line: string): void {
  const log = logLine.exec(line);
  const inTrailer = segment.trailer && indentOf(line) > segment.trailer.indent ? segment.trailer.name : null;
  const owner = log?.[1] ?? inTrailer ?? segment.current;
  if (log && owner) {
    const test = segment.test(owner);
    if (test.file === null) {
      test.file = log[2];
      test.line = Number(log[3]);
      test.message = log[4].trim();
    }
    return;
  }
  if (/^panic: /.test(line) && owner) {
    const test = segment.test(owner);
    if (test.message === null) test.message = line.trim();
  }
  // A panicking test has no log line; its location is the first goroutine frame in a _test.go file.
  const panicFrame = /^\s+(\S+_test\.go):(\d+)(?: \+0x[0-9a-f]+)?$/.exec(line);
  if (panicFrame && owner) {
    const test = segment.test(owner);
    if (test.file === null && test.message?.startsWith('panic: ')) {
      test.file = panicFrame[1];
      test.line = Number(panicFrame[2]);
    }
  }
  if (line.trim() && !frameworkLine.test(line)) segment.otherLines.push(line);
}

function closeSegment(segment: PackageSegment, pkg: string | null, note: string | undefined, buildFailed: Set<string>): TestFailure[] {
  const failedNames = [...segment.tests.entries()].filter(([, t]) => t.failed).map(([name]) => name);
  // A test whose subtests failed fails too; the subtests carry the information.
  const leaves = failedNames.filter((name) => !failedNames.some((other) => other.startsWith(name + '/')));
  if (leaves.length > 0) {
    return leaves.map((name) => {
      const test = segment.tests.get(name) as GoTest;
      return { name, file: test.file, line: test.line, message: test.message ?? '' };
    });
  }
  if (pkg === null) return [];
  if (note === 'build failed' && [...buildFailed].some((b) => b === pkg || b.startsWith(pkg + ' '))) return [];
  const panic = segment.otherLines.find((line) => /^panic: /.test(line));
  const message = (panic ?? segment.otherLines.find((line) => !/^\s/.test(line)) ?? note ?? '').trim();
  return [{ name: pkg, file: null, line: null, message, kind: note === 'build failed' ? 'build-failure' : 'package-failure' }];
}
