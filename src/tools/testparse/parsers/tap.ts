// Parser for TAP 13/14 (node --test's TAP reporter, tape, node-tap, ava --tap): nested "ok/not ok" lines with
// YAML diagnostics. Which producer wrote it decides a few readings (node's failed skips, AVA's crash lines).
import type { RunnerParser, RunnerParseResult } from '../parser';
import type { TestFailure, TestOutcome, TestOutcomeStatus } from '../types';
import { compactMessage, countMatches, indentOf, isLibraryFrame, splitLines, unquote, type StackFrame } from '../text';
import { avaExitedFile, avaTapMessage, isAvaCrashTitle, looksLikeAvaTap } from './avaTap';

type Flavour = 'node' | 'ava' | 'tap';

const testLine = /^(\s*)(not ok|ok)\b\s*(\d+)?\s*(?:- )?(.*)$/;
const bailOut = /^\s*Bail out!\s*(.*)$/;
// Stack lines in YAML carry no "at " prefix: "fn (file:L:C)" or "file:L:C".
const looseFrame = /(?:\(|^\s*(?:at:?\s+)?)((?:file:\/\/)?[^()\s'][^()']*?):(\d+):(\d+)\)?'?\s*$/;

interface TapRecord {
  indent: number;
  ownerIndent: number;
  nameParts: string[];
  failed: boolean;
  directive: string | null;
  yaml: string[];
  hasChildren: boolean;
  hasFailingChild: boolean;
}

export const tapParser: RunnerParser = {
  runner: 'tap',
  score(text) {
    let score = 0;
    if (/^TAP version \d+/m.test(text)) score += 6;
    if (/^\s*1\.\.\d+/m.test(text)) score += 2;
    score += Math.min(4, countMatches(text, /^\s*(?:not )?ok \d+ /m));
    if (/^\s*# Subtest: /m.test(text) && /^\s*duration_ms: /m.test(text)) score += 2;
    return score;
  },
  parse(text) {
    return parseTap(text);
  },
};

function splitDirective(rest: string): { name: string; directive: string | null } {
  const match = /\s+#\s*((?:TODO|SKIP)\b.*)$/i.exec(rest);
  if (!match) return { name: rest.trim(), directive: null };
  return { name: rest.slice(0, match.index).trim(), directive: match[1] };
}

function readRecords(lines: string[]): TapRecord[] {
  const records: TapRecord[] = [];
  for (let index = 0; index < lines.length; index++) {
    const match = testLine.exec(lines[index]);
    if (!match) continue;
    const indent = match[1].length;
    const { name, directive } = splitDirective(match[4]);
    const record: TapRecord = {
      indent,
      ownerIndent: indent,
      nameParts: [name],
      failed: match[2] === 'not ok',
      directive,
      yaml: [],
      hasChildren: false,
      hasFailingChild: false,
    };
    // Children are printed before their parent, more indented: adopt every record not yet owned at this depth.
    for (const earlier of records) {
      if (earlier.ownerIndent <= indent) continue;
      if (earlier.ownerIndent > indent) {
        earlier.nameParts.unshift(name);
        earlier.ownerIndent = indent;
        record.hasChildren = true;
        if (earlier.failed && !isExempt(earlier)) record.hasFailingChild = true;
      }
    }
    if (index + 1 < lines.length && lines[index + 1].trim() === '---') {
      const yamlIndent = indentOf(lines[index + 1]);
      let end = index + 2;
      while (end < lines.length && !(lines[end].trim() === '...' && indentOf(lines[end]) === yamlIndent)) end++;
      record.yaml = lines.slice(index + 2, end);
      index = end;
    }
    records.push(record);
  }
  return records;
}

function isExempt(record: TapRecord): boolean {
  return record.directive !== null;
}

/** Reads a YAML scalar (quoted, plain or a `|-` block) and returns its first line. */
function yamlFirstLine(yaml: string[], key: string): string | null {
  const index = yaml.findIndex((line) => new RegExp(`^\\s*${key}:`).test(line));
  if (index < 0) return null;
  const inline = yaml[index].replace(new RegExp(`^\\s*${key}:\\s*`), '');
  if (inline && !/^[|>][-+]?$/.test(inline)) return unquote(inline.trim());
  const keyIndent = indentOf(yaml[index]);
  for (const line of yaml.slice(index + 1)) {
    if (line.trim() === '') continue;
    if (indentOf(line) <= keyIndent) break;
    return line.trim();
  }
  return '';
}

function yamlBlock(yaml: string[], key: string): string[] {
  const index = yaml.findIndex((line) => new RegExp(`^\\s*${key}:`).test(line));
  if (index < 0) return [];
  const keyIndent = indentOf(yaml[index]);
  const block = [yaml[index].replace(new RegExp(`^\\s*${key}:\\s*`), '')];
  for (const line of yaml.slice(index + 1)) {
    if (line.trim() !== '' && indentOf(line) <= keyIndent) break;
    block.push(line);
  }
  return block;
}

function parseLooseFrame(line: string): StackFrame | null {
  // AVA quotes a lone frame: at: 'file:///…/a.test.js:4:9'.
  const match = looseFrame.exec(line.replace(/^(\s*)'/, '$1'));
  return match ? { file: match[1].replace(/^file:\/\//, ''), line: Number(match[2]), column: Number(match[3]) } : null;
}

function locate(yaml: string[]): { file: string | null; line: number | null } {
  for (const key of ['stack', 'at']) {
    for (const line of yamlBlock(yaml, key)) {
      const frame = parseLooseFrame(line);
      if (frame && !isLibraryFrame(frame.file)) return { file: frame.file, line: frame.line };
    }
  }
  const location = yamlFirstLine(yaml, 'location');
  const frame = location ? parseLooseFrame(location) : null;
  return frame ? { file: frame.file, line: frame.line } : { file: null, line: null };
}

/** A scalar's lines: the inline value, or the lines of a |- block (node's multi-line `error`). */
function yamlLines(yaml: string[], key: string): string[] {
  const block = yamlBlock(yaml, key);
  if (block.length === 0) return [];
  const [inline, ...rest] = block;
  return inline && !/^[|>][-+]?$/.test(inline) ? [unquote(inline.trim())] : rest;
}

/** node puts the message under `error`, others under `message`; tape only has a stack and an operator. */
function tapMessage(yaml: string[]): string {
  const stated = yamlFirstLine(yaml, 'error') ?? yamlFirstLine(yaml, 'message');
  if (stated) return compactMessage(yamlLines(yaml, yamlFirstLine(yaml, 'error') !== null ? 'error' : 'message'));
  const stackHead = yamlBlock(yaml, 'stack').map((line) => line.trim()).find((line) => line && !/^[|>][-+]?$/.test(line));
  if (stackHead && !parseLooseFrame(stackHead)) return stackHead;
  const operator = yamlFirstLine(yaml, 'operator');
  if (!operator) return stated ?? '';
  return `${operator}: expected ${yamlFirstLine(yaml, 'expected') ?? '?'}, actual ${yamlFirstLine(yaml, 'actual') ?? '?'}`;
}

function flavourOf(text: string): Flavour {
  if (/^\s*# Subtest: /m.test(text) && /^\s*duration_ms: /m.test(text)) return 'node';
  return looksLikeAvaTap(text) ? 'ava' : 'tap';
}

function statusOf(record: TapRecord, flavour: Flavour): TestOutcomeStatus {
  const directive = record.directive ?? '';
  if (/^TODO\b/i.test(directive)) return 'todo';
  // node reports a skipped test whose body still threw as "not ok … # SKIP" and counts it as failed.
  if (/^SKIP\b/i.test(directive)) return flavour === 'node' && record.failed && record.yaml.some((l) => /^\s*error:/.test(l)) ? 'failed' : 'skipped';
  return record.failed ? 'failed' : 'passed';
}

/** AVA prints a crashed worker as an error-titled record and then "<file> exited …": one suite error per file. */
function avaCrashes(records: TapRecord[]): { failures: TestFailure[]; crashes: Set<TapRecord> } {
  const failures: TestFailure[] = [];
  const crashes = new Set<TapRecord>();
  let pending: TapRecord | null = null;
  for (const record of records) {
    const title = record.nameParts.join(' > ');
    const exited = avaExitedFile(title);
    if (record.failed && isAvaCrashTitle(title, record.yaml)) {
      crashes.add(record);
      pending = record;
    } else if (exited) {
      crashes.add(record);
      const message = pending ? pending.nameParts.join(' > ') : title;
      failures.push({ name: exited, file: exited, line: null, message, kind: 'suite-error' });
      pending = null;
    }
  }
  if (pending) failures.push({ name: '(uncaught exception)', file: null, line: null, message: pending.nameParts.join(' > '), kind: 'suite-error' });
  return { failures, crashes };
}

function countLine(text: string, word: string): number | null {
  const match = new RegExp(`^# ${word}\\s+(\\d+)`, 'm').exec(text);
  return match ? Number(match[1]) : null;
}

function parseTap(text: string): RunnerParseResult {
  const lines = splitLines(text);
  const flavour = flavourOf(text);
  const records = readRecords(lines);
  const { failures, crashes } = flavour === 'ava' ? avaCrashes(records) : { failures: [] as TestFailure[], crashes: new Set<TapRecord>() };
  const tests: TestOutcome[] = [];
  for (const record of records) {
    if (crashes.has(record)) continue;
    const status = statusOf(record, flavour);
    const name = record.nameParts.join(' > ');
    // Parents stand for their subtests (node's JUnit report lists them as suites, not tests).
    if (!record.hasChildren) tests.push({ name, file: null, status });
    if (status !== 'failed') continue;
    const failureType = yamlFirstLine(record.yaml, 'failureType');
    if (record.hasFailingChild || failureType === 'subtestsFailed') continue;
    // A parent that failed on its own (a hook threw) is a failure, so it is listed as an outcome too.
    if (record.hasChildren) tests.push({ name, file: null, status });
    const where = locate(record.yaml);
    failures.push({ name, file: where.file, line: where.line, message: flavour === 'ava' ? avaTapMessage(record.yaml) : tapMessage(record.yaml) });
  }
  for (const line of lines) {
    const bail = bailOut.exec(line);
    if (bail) failures.push({ name: 'Bail out!', file: null, line: null, message: bail[1], kind: 'bail-out' });
  }
  const topLevel = lines.filter((line) => /^(?:not )?ok\b/.test(line));
  const listed = (status: TestOutcomeStatus): number => tests.filter((t) => t.status === status).length;
  const failMatch = countLine(text, 'fail');
  // AVA's "# fail" adds the todo tests and crashed workers to the failed ones.
  const failed = flavour === 'ava' && failMatch !== null ? listed('failed') : failMatch ?? topLevel.filter((l) => l.startsWith('not ok') && !/#\s*(?:TODO|SKIP)/i.test(l)).length;
  const hasPlan = /^\s*1\.\.\d+/m.test(text);
  return {
    failures,
    passed: countLine(text, 'pass') ?? topLevel.filter((l) => l.startsWith('ok')).length,
    failed,
    // Every test has its own line, so a complete stream (with its plan) says how many were skipped even without a count.
    skipped: countLine(text, 'skip(?:ped)?') ?? (hasPlan ? listed('skipped') : null),
    todo: countLine(text, 'todo') ?? (hasPlan ? listed('todo') : null),
    tests,
    runFailed: failed > 0 || failures.length > 0 || crashes.size > 0,
    runner: flavour,
  };
}
