// Parser for node:test's spec reporter (✔/✖/▶ tree, "ℹ fail N" summary, optional "✖ failing tests:" recap).
import type { RunnerParser, RunnerParseResult } from '../parser';
import type { TestFailure, TestOutcome, TestOutcomeStatus } from '../types';
import { collectJsFrames, compactMessage, countMatches, parseJsFrame, pickFrame, splitLines } from '../text';

const resultLine = /^(\s*)(✔|✖|﹣|▶) (.*)$/;
const summaryStart = /^ℹ tests \d+/;
const recapStart = /^✖ failing tests:/;
const recapLocation = /^test at (.+):(\d+):(\d+)$/;

interface TreeEntry {
  indent: number;
  leaf: string;
  fullName: string;
  failed: boolean;
  skipped: boolean;
  isParent: boolean;
  hasFailingDescendant: boolean;
  details: string[];
  directive: string | null;
}

export const nodeSpecParser: RunnerParser = {
  runner: 'node',
  score(text) {
    let score = 0;
    if (/^ℹ (?:tests|pass|fail) \d+/m.test(text)) score += 6;
    if (/^ℹ duration_ms [\d.]+/m.test(text)) score += 2;
    score += Math.min(3, countMatches(text, /^\s*[✔✖] .+\([\d.]+ms\)/m));
    return score;
  },
  parse(text) {
    return parseNodeSpec(text);
  },
};

/** Splits "name (1.2ms) # TODO" into the name and its directive. */
function splitResult(rest: string): { leaf: string; directive: string | null } {
  let text = rest;
  let directive: string | null = null;
  const directiveMatch = / # (.*)$/.exec(text);
  if (directiveMatch && /\([\d.]+m?s\)$/.test(text.slice(0, directiveMatch.index))) {
    directive = directiveMatch[1];
    text = text.slice(0, directiveMatch.index);
  } else if (/ # (?:TODO|SKIP)\b.*$/i.test(text)) {
    directive = /# ((?:TODO|SKIP)\b.*)$/i.exec(text)?.[1] ?? null;
    text = text.replace(/ # (?:TODO|SKIP)\b.*$/i, '');
  }
  return { leaf: text.replace(/ \([\d.]+m?s\)$/, '').trimEnd(), directive };
}

function readTree(lines: string[]): TreeEntry[] {
  const entries: TreeEntry[] = [];
  const open: { indent: number; name: string; children: TreeEntry[] }[] = [];
  let current: TreeEntry | null = null;
  for (const line of lines) {
    const match = resultLine.exec(line);
    if (!match) {
      if (current) current.details.push(line);
      continue;
    }
    const indent = match[1].length;
    current = null;
    while (open.length && open[open.length - 1].indent > indent) open.pop();
    if (match[2] === '▶') {
      open.push({ indent, name: match[3].trim(), children: [] });
      continue;
    }
    const { leaf, directive } = splitResult(match[3]);
    const top = open[open.length - 1];
    const closesSuite = top !== undefined && top.indent === indent && top.name === leaf;
    const suite = closesSuite ? open.pop() : undefined;
    const ancestors = open.filter((o) => o.indent < indent).map((o) => o.name);
    const entry: TreeEntry = {
      indent,
      leaf,
      fullName: [...ancestors, leaf].join(' > '),
      failed: match[2] === '✖',
      skipped: match[2] === '﹣',
      isParent: suite !== undefined,
      hasFailingDescendant: suite ? suite.children.some((c) => c.failed || c.hasFailingDescendant) : false,
      details: [],
      directive,
    };
    for (const ancestor of open) if (ancestor.indent < indent) ancestor.children.push(entry);
    entries.push(entry);
    current = entry;
  }
  return entries;
}

/** The recap after "✖ failing tests:" gives each failure's declaration site, in tree order. */
function readRecapLocations(lines: string[]): { leaf: string; file: string; line: number }[] {
  const locations: { leaf: string; file: string; line: number }[] = [];
  for (let index = 0; index + 1 < lines.length; index++) {
    const location = recapLocation.exec(lines[index].trim());
    const result = resultLine.exec(lines[index + 1]);
    if (location && result) {
      locations.push({ leaf: splitResult(result[3]).leaf, file: location[1], line: Number(location[2]) });
    }
  }
  return locations;
}

/**
 * Skips print ﹣, so a directive on ✔/✖ marks a todo whatever its result; the spec reporter shows a todo's
 * message in place of "TODO" ("✔ t (1ms) # a passing todo"), so any directive text counts.
 */
function outcomeOf(entry: TreeEntry): TestOutcomeStatus {
  if (entry.skipped) return 'skipped';
  if (entry.directive !== null) return 'todo';
  return entry.failed ? 'failed' : 'passed';
}

/** The error lines above the stack: node prints the message, then frames, then the error's own properties. */
function detailMessage(details: string[]): string {
  const end = details.findIndex((line) => parseJsFrame(line) !== null);
  return compactMessage(end >= 0 ? details.slice(0, end) : details);
}

function parseNodeSpec(text: string): RunnerParseResult {
  const lines = splitLines(text);
  const recapIndex = lines.findIndex((line) => recapStart.test(line));
  const summaryIndex = lines.findIndex((line) => summaryStart.test(line));
  const treeEnd = [summaryIndex, recapIndex].filter((i) => i >= 0).reduce((a, b) => Math.min(a, b), lines.length);
  const recap = recapIndex >= 0 ? readRecapLocations(lines.slice(recapIndex + 1)) : [];
  const failures: TestFailure[] = [];
  const tests: TestOutcome[] = [];
  for (const entry of readTree(lines.slice(0, treeEnd))) {
    // Parents stand for their subtests, like suites in node's JUnit report.
    if (!entry.isParent) tests.push({ name: entry.fullName, file: null, status: outcomeOf(entry) });
    const recapAt = recap.findIndex((r) => r.leaf === entry.leaf);
    // A skipped test whose body still ran and threw is in the failing-tests recap: node counts it as failed.
    const failedSkip = entry.skipped && recapAt >= 0 && entry.details.some((line) => line.trim() !== '');
    if (failedSkip) tests[tests.length - 1].status = 'failed';
    // A ✖ carrying a directive is a failing todo (skips print ﹣): it does not fail the run.
    if (!failedSkip && (!entry.failed || entry.directive !== null)) continue;
    const ownError = entry.details.some((line) => line.trim() !== '');
    // Parents fail because a child failed; report them only when they failed on their own (a hook threw).
    if (entry.isParent && (entry.hasFailingDescendant || !ownError)) continue;
    // A parent that failed on its own is reported as a failure, so it is listed as an outcome too.
    if (entry.isParent) tests.push({ name: entry.fullName, file: null, status: 'failed' });
    const declared = recapAt >= 0 ? recap.splice(recapAt, 1)[0] : null;
    const frame = pickFrame(collectJsFrames(entry.details), declared?.file);
    failures.push({
      name: entry.fullName,
      file: frame ? frame.file : declared?.file ?? null,
      line: frame ? frame.line : declared?.line ?? null,
      message: detailMessage(entry.details),
    });
  }
  const count = (word: string): number | null => {
    const match = new RegExp(`^ℹ ${word} (\\d+)`, 'm').exec(text);
    return match ? Number(match[1]) : null;
  };
  const failedCount = count('fail');
  const result: RunnerParseResult = {
    failures,
    passed: count('pass'),
    failed: failedCount,
    skipped: count('skipped'),
    todo: count('todo'),
    runFailed: (failedCount ?? 0) > 0 || (count('cancelled') ?? 0) > 0 || failures.length > 0,
  };
  if (tests.length > 0) result.tests = tests;
  return result;
}
