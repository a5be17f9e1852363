// Parser for AVA's default reporter: a list of ✔ / ✘ [fail]: / - [skip] lines, a "─" rule, one block per failure
// (title, "file:line", code excerpt, explanation, "› frame" lines), another rule and the summary counts.
import type { RunnerParser, RunnerParseResult } from '../parser';
import type { TestFailure, TestOutcome } from '../types';
import { compactMessage, countMatches, isLibraryFrame, parseJsFrame, splitLines, type StackFrame } from '../text';
import { avaMessage, pickAvaFrame } from './avaText';

const rule = /^\s*─\s*$/;
const passLine = /^ {2}✔ (?:\[expected fail\] )?(.+?)(?: \(\d+(?:\.\d+)?m?s\))?$/;
const failLine = /^ {2}✘ \[(?:fail|unexpected pass)\]: (.+)$/;
const skipLine = /^ {2}- \[(skip|todo)\] (.+)$/;
const crashHeader = /^ {2}(?:Uncaught exception|Unhandled rejection) in (\S.*)$/;
const exitLine = /^ {2}✘ (\S.+?) (exited with a non-zero exit code: \d+|exited due to .+)$/;
const fileProblem = /^ {2}✘ (?:No tests found in|Exiting due to process\.exit\(\) when running) (\S+?)(?:,.*)?$/;
const pendingHeader = /^ {2}\d+ tests? (?:was|were) pending in (\S.*)$/;
const pendingTest = /^ {2}◌ (.+)$/;
const sourceLine = /^ {2}(\S+?):(\d+)$/;
const excerptLine = /^\s+\d+: /;
const summaryCount = /^ {2}(\d+) (tests? passed|known failures?|hooks? failed|tests? failed|tests? skipped|tests? todo|tests? remained pending after a timeout|uncaught exceptions?|unhandled rejections?)$/;

export const avaParser: RunnerParser = {
  runner: 'ava',
  score(text) {
    let score = 0;
    score += Math.min(4, 2 * countMatches(text, /^ {2}✘ \[fail\]: /m));
    if (/^ {2}- \[(?:skip|todo)\] /m.test(text)) score += 2;
    if (/^ {2}\d+ (?:tests? (?:passed|failed)|hooks? failed|tests? remained pending after a timeout)$/m.test(text)) score += 3;
    if (/^ {2}─$/m.test(text)) score += 2;
    if (/^ {2}› (?:file:\/\/|.*\(file:\/\/)/m.test(text)) score += 2;
    return score;
  },
  parse(text) {
    return parseAva(text);
  },
};

/** Frames as AVA prints them: "› file://test/a.test.js:5:5" under a source excerpt, plain "at …" otherwise. */
function frameOf(line: string): StackFrame | null {
  const pointer = /^\s*› (.+)$/.exec(line);
  return parseJsFrame(pointer ? `    at ${pointer[1]}` : line);
}

function parseBlock(block: string[]): TestFailure {
  const title = block[0].trim();
  const body = block.slice(1);
  const firstText = body.findIndex((line) => line.trim() !== '');
  const source = firstText >= 0 ? sourceLine.exec(body[firstText]) : null;
  const frames = body.map(frameOf).filter((f): f is StackFrame => f !== null);
  const firstFrame = body.findIndex((line) => frameOf(line) !== null);
  const region = (firstFrame >= 0 ? body.slice(0, firstFrame) : body).filter((line, i) => i !== firstText || !source);
  const frame = source ? null : pickAvaFrame(frames, title);
  return {
    name: title,
    file: source ? source[1] : frame?.file ?? null,
    line: source ? Number(source[2]) : frame?.line ?? null,
    message: avaMessage(region.filter((line) => !excerptLine.test(line))),
  };
}

/** Failure blocks sit between the two rules, separated by runs of blank lines. */
function readBlocks(lines: string[]): TestFailure[] {
  const blocks: string[][] = [];
  let current: string[] | null = null;
  let blanks = 2;
  for (const line of lines) {
    if (line.trim() === '') {
      blanks++;
      current?.push(line);
      continue;
    }
    if (blanks >= 2 || current === null) {
      current = [line];
      blocks.push(current);
    } else {
      current.push(line);
    }
    blanks = 0;
  }
  return blocks.map(parseBlock);
}

class ListReader {
  readonly failures: TestFailure[] = [];
  readonly tests: TestOutcome[] = [];
  readonly failedLines: string[] = [];
  ticks = 0;
  private pendingFile: string | null = null;

  suiteError(file: string, message: string): void {
    if (this.failures.some((f) => f.kind === 'suite-error' && f.file === file)) return;
    this.failures.push({ name: file, file, line: null, message, kind: 'suite-error' });
  }

  /** An uncaught exception's block: its message lines up to the stack, then the stack itself. */
  crash(file: string, body: string[]): void {
    const frames = body.map(frameOf).filter((f): f is StackFrame => f !== null && !isLibraryFrame(f.file));
    const end = body.findIndex((line) => frameOf(line) !== null);
    const message = compactMessage([...new Set((end >= 0 ? body.slice(0, end) : body).map((l) => l.trim()))]);
    this.suiteError(file, message);
    const failure = this.failures.find((f) => f.kind === 'suite-error' && f.file === file);
    const inFile = frames.find((f) => f.file.endsWith(file));
    if (failure && inFile) failure.line = inFile.line;
  }

  read(lines: string[]): void {
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index];
      const pass = passLine.exec(line);
      const skip = skipLine.exec(line);
      const crash = crashHeader.exec(line);
      const exit = exitLine.exec(line);
      const problem = fileProblem.exec(line);
      if (pass) {
        this.ticks++;
        this.tests.push({ name: pass[1], file: null, status: 'passed' });
      } else if (failLine.test(line)) {
        this.failedLines.push((failLine.exec(line) as RegExpExecArray)[1]);
        this.tests.push({ name: '', file: null, status: 'failed' });
      } else if (skip) {
        this.tests.push({ name: skip[2], file: null, status: skip[1] === 'skip' ? 'skipped' : 'todo' });
      } else if (crash) {
        let end = index + 1;
        while (end < lines.length && !/^ {2}[✘✔◌-] /.test(lines[end]) && !rule.test(lines[end])) end++;
        this.crash(crash[1], lines.slice(index + 1, end));
        index = end - 1;
      } else if (exit) {
        this.suiteError(exit[1], `${exit[1]} ${exit[2]}`);
      } else if (problem) {
        this.suiteError(problem[1], line.trim().replace(/^✘ /, ''));
      } else if (pendingHeader.test(line)) {
        this.pendingFile = (pendingHeader.exec(line) as RegExpExecArray)[1];
      } else if (pendingTest.test(line)) {
        const name = (pendingTest.exec(line) as RegExpExecArray)[1];
        this.failures.push({ name, file: this.pendingFile, line: null, message: 'Timed out while running tests' });
        this.tests.push({ name, file: this.pendingFile, status: 'failed' });
      }
    }
  }
}

/** "✘ [fail]: title message" runs title and message together: the failure blocks' titles tell them apart. */
function nameFailedLines(reader: ListReader, titles: string[]): void {
  const failed = reader.tests.filter((t) => t.status === 'failed' && t.name === '');
  failed.forEach((test, i) => {
    const text = reader.failedLines[i];
    const title = titles.filter((t) => text === t || text.startsWith(t + ' ')).sort((a, b) => b.length - a.length)[0];
    test.name = title ?? text;
  });
}

function parseAva(text: string): RunnerParseResult {
  const lines = splitLines(text);
  const rules = lines.flatMap((line, i) => (rule.test(line) ? [i] : []));
  const listEnd = rules.length > 0 ? rules[0] : lines.length;
  const reader = new ListReader();
  reader.read(lines.slice(0, listEnd));
  const blocks = rules.length >= 2 ? readBlocks(lines.slice(rules[0] + 1, rules[1])) : [];
  nameFailedLines(reader, blocks.map((b) => b.name));
  const counts = new Map<string, number>();
  const summaryStart = rules.length > 0 ? rules[rules.length - 1] + 1 : lines.length;
  for (const line of lines.slice(summaryStart)) {
    const match = summaryCount.exec(line);
    if (match) counts.set(match[2].replace(/^tests? /, '').replace(/s\b/, ''), Number(match[1]));
  }
  const hasSummary = counts.size > 0;
  const count = (key: string): number => counts.get(key) ?? 0;
  const failures = [...reader.failures.filter((f) => f.kind), ...blocks, ...reader.failures.filter((f) => !f.kind)];
  const failed = hasSummary ? count('failed') + count('hook failed') + count('remained pending after a timeout') : null;
  return {
    failures,
    // AVA states the passed count only when nothing failed; the list above names every test that finished.
    passed: hasSummary ? counts.get('passed') ?? reader.ticks : null,
    failed,
    skipped: hasSummary ? count('skipped') : null,
    todo: hasSummary ? count('todo') : null,
    tests: reader.tests,
    runFailed: failures.length > 0 || (failed ?? 0) > 0 || count('uncaught exception') + count('unhandled rejection') > 0,
  };
}
