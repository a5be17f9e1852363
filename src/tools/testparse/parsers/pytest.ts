// Parser for pytest's terminal report: FAILURES/ERRORS sections (long or --tb=short) plus the short summary.
import type { RunnerParser, RunnerParseResult } from '../parser';
import type { TestFailure, TestOutcome, TestOutcomeStatus } from '../types';
import { countMatches, splitLines } from '../text';

const sectionBanner = /^=+ (FAILURES|ERRORS|short test summary info|warnings summary|PASSES) =+$/;
const anyBanner = /^=+ .* =+$/;
const blockHeader = /^_{3,} (.+?) _{3,}$/;
const summaryEntry = /^(FAILED|ERROR) (\S+?(?:\[.*?\])?)(?: - (.*))?$/;
const locationLine = /^(\S+?):(\d+):(?: .*)?$/;
// "-v": "tests/test_a.py::test_x PASSED   [ 50%]"; "-rA" short summary: "PASSED tests/test_a.py::test_x".
const verboseLine = /^(\S+::\S.*?) (PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)(?: .*?)?\s+\[\s*\d+%\]$/;
const summaryOutcome = /^(PASSED|XFAIL|XPASS) (\S+::\S+?(?:\[.*?\])?)(?: - .*)?$/;
// An expected failure does not fail the run; pytest's JUnit report files it under skipped.
const outcomeStatus: Record<string, TestOutcomeStatus> = { PASSED: 'passed', XPASS: 'passed', FAILED: 'failed', ERROR: 'failed', SKIPPED: 'skipped', XFAIL: 'skipped' };
const finalCounts = /^=*\s*((?:\d+ \w+(?:, )?)+) in [\d.]+s(?: \([^)]*\))?\s*=*$/m;

interface Block {
  header: string;
  body: string[];
  isError: boolean;
}

export const pytestParser: RunnerParser = {
  runner: 'pytest',
  score(text) {
    let score = 0;
    if (/^=+ test session starts =+$/m.test(text)) score += 6;
    if (/^=+ (?:FAILURES|ERRORS|short test summary info) =+$/m.test(text)) score += 4;
    score += Math.min(3, countMatches(text, /^(?:FAILED|ERROR) \S+::/m));
    if (/^=*\s*\d+ (?:failed|passed|error)\b.* in [\d.]+s/m.test(text)) score += 2;
    return score;
  },
  parse(text) {
    return parsePytest(text);
  },
};

/** The rootdir pytest prints; node ids and locations are relative to it or to the invocation directory. */
export function pytestRoot(text: string): string | null {
  const match = /^rootdir: (.+?)(?:, .*)?$/m.exec(text);
  return match ? match[1] : null;
}

function readBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let section: string | null = null;
  let current: Block | null = null;
  for (const line of lines) {
    const banner = sectionBanner.exec(line);
    if (banner || anyBanner.test(line) || /^-+ generated xml file/.test(line)) {
      section = banner ? banner[1] : null;
      current = null;
      continue;
    }
    if (section !== 'FAILURES' && section !== 'ERRORS') continue;
    const header = blockHeader.exec(line);
    if (header) {
      current = { header: header[1], body: [], isError: section === 'ERRORS' };
      blocks.push(current);
    } else if (current) {
      current.body.push(line);
    }
  }
  return blocks;
}

/** The crash location: the last "path:line:" in the traceback, preferring real .py files. */
function crashLocation(body: string[]): { file: string; line: number } | null {
  const locations: { file: string; line: number }[] = [];
  for (const line of body) {
    if (/^(?:E|>)\s/.test(line)) continue;
    const match = locationLine.exec(line);
    if (match && /[./\\]/.test(match[1])) locations.push({ file: match[1], line: Number(match[2]) });
  }
  const inSource = locations.filter((l) => l.file.endsWith('.py'));
  const pool = inSource.length ? inSource : locations;
  return pool.length ? pool[pool.length - 1] : null;
}

function blockMessage(body: string[]): string {
  const errorLine = body.find((line) => /^E\s/.test(line) && line.slice(1).trim() !== '');
  if (errorLine) return errorLine.replace(/^E\s+/, '').trim();
  const plain = body.find((line) => line.trim() !== '' && !locationLine.test(line));
  return plain ? plain.trim() : '';
}

/** "TestClass.test_x[1]" in a block header is "…::TestClass::test_x[1]" in the node id. */
function headerMatchesNodeId(header: string, nodeId: string): boolean {
  const bare = header.replace(/^ERROR at (?:setup|teardown|call) of /, '');
  const tail = nodeId.split('::').slice(1).join('.');
  return tail === bare || nodeId === bare;
}

function parsePytest(text: string): RunnerParseResult {
  const lines = splitLines(text);
  const summary = lines.map((line) => summaryEntry.exec(line)).filter((m): m is RegExpExecArray => m !== null);
  const unclaimed = summary.map((m) => ({ kind: m[1], nodeId: m[2], message: m[3] ?? '' }));
  const failures: TestFailure[] = [];
  for (const block of readBlocks(lines)) {
    const at = unclaimed.findIndex((s) => headerMatchesNodeId(block.header, s.nodeId));
    const entry = at >= 0 ? unclaimed.splice(at, 1)[0] : null;
    const location = crashLocation(block.body);
    const collecting = /^ERROR collecting (.+)$/.exec(block.header);
    const failure: TestFailure = {
      name: entry ? entry.nodeId : collecting ? collecting[1] : fallbackName(block),
      file: location ? location.file : null,
      line: location ? location.line : null,
      message: blockMessage(block.body),
    };
    if (collecting) failure.kind = 'collection-error';
    else if (block.isError || entry?.kind === 'ERROR') failure.kind = 'error';
    failures.push(failure);
  }
  // Summary entries without a traceback section (--tb=no, or output cut off): the id and short message remain.
  for (const rest of unclaimed) {
    const file = rest.nodeId.split('::')[0];
    const failure: TestFailure = { name: rest.nodeId, file: file || null, line: null, message: rest.message.replace(/\.\.\.$/, '') };
    if (rest.kind === 'ERROR') failure.kind = 'error';
    failures.push(failure);
  }
  const counts = finalCounts.exec(text);
  const countText = counts ? counts[1] : '';
  const failedCount = counts ? sumCounts(countText, ['failed']) : null;
  const tests = outcomes(lines, summary);
  return {
    failures,
    passed: counts ? sumCounts(countText, ['passed']) : null,
    failed: failedCount,
    skipped: counts ? sumCounts(countText, ['skipped']) : null,
    // pytest has no todo state.
    todo: null,
    ...(tests.length > 0 ? { tests } : {}),
    runFailed: (failedCount ?? 0) > 0 || /\b\d+ errors?\b/.test(countText) || failures.length > 0,
  };
}

/** Per-test lines exist only with -v (or -rA for the summary); the default output names failures only. */
function outcomes(lines: string[], summary: RegExpExecArray[]): TestOutcome[] {
  const byName = new Map<string, TestOutcome>();
  const add = (name: string, status: string): void => {
    // A test that passed and then errored in teardown is listed twice; the error wins.
    if (!byName.has(name) || outcomeStatus[status] === 'failed') byName.set(name, { name, file: name.split('::')[0] || null, status: outcomeStatus[status] });
  };
  for (const line of lines) {
    const verbose = verboseLine.exec(line);
    const listed = verbose ? null : summaryOutcome.exec(line);
    if (verbose) add(verbose[1], verbose[2]);
    else if (listed) add(listed[2], listed[1]);
  }
  if (byName.size > 0) for (const entry of summary) add(entry[2], entry[1] === 'ERROR' ? 'ERROR' : 'FAILED');
  return [...byName.values()];
}

function sumCounts(text: string, words: string[]): number {
  let total = 0;
  for (const word of words) {
    const match = new RegExp(`(\\d+) ${word}\\b`).exec(text);
    if (match) total += Number(match[1]);
  }
  return total;
}

function fallbackName(block: Block): string {
  const bare = block.header.replace(/^ERROR at (?:setup|teardown|call) of /, '');
  const first = block.body.map((line) => locationLine.exec(line)).find((m) => m !== null && m[1].endsWith('.py'));
  const testPart = bare.split('.').join('::');
  return first ? `${first[1]}::${testPart}` : testPart;
}
