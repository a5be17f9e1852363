// Parser for JUnit XML reports (pytest --junitxml, jest-junit, node --test-reporter=junit, surefire, gotestsum).
import type { RunnerParser, RunnerParseResult } from '../parser';
import type { TestFailure, TestOutcome } from '../types';
import { collectJsFrames, countMatches, pickFrame } from '../text';

const testcasePattern = /<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g;
const problemPattern = /<(failure|error)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/;
const attributePattern = /([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

export const junitParser: RunnerParser = {
  runner: 'junit',
  score(text) {
    let score = 0;
    if (/<testsuites?\b/.test(text)) score += 6;
    score += Math.min(4, countMatches(text, /<testcase\b/));
    if (/<\?xml\b/.test(text)) score += 1;
    return score;
  },
  parse(text) {
    return parseJunit(text);
  },
};

export function decodeXml(text: string): string {
  return text
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function attributes(source: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const match of source.matchAll(attributePattern)) map.set(match[1], decodeXml(match[3] ?? match[4] ?? ''));
  return map;
}

/** Finds the failing location in a failure body: JS stack frames, Python tracebacks, or "path:line:" lines. */
function locateInBody(body: string, testFile: string | null): { file: string | null; line: number | null } {
  const lines = body.split('\n');
  const frame = pickFrame(collectJsFrames(lines), testFile);
  if (frame) return { file: frame.file, line: frame.line };
  const python = [...body.matchAll(/File "([^"]+)", line (\d+)/g)].pop();
  if (python) return { file: python[1], line: Number(python[2]) };
  const plain = [...body.matchAll(/^(\S+\.\w+):(\d+):/gm)].pop();
  if (plain) return { file: plain[1], line: Number(plain[2]) };
  return { file: testFile, line: null };
}

function parseJunit(text: string): RunnerParseResult {
  const failures: TestFailure[] = [];
  const tests: TestOutcome[] = [];
  let total = 0;
  let skipped = 0;
  for (const match of text.matchAll(testcasePattern)) {
    total++;
    const attrs = attributes(match[1]);
    const body = match[2] ?? '';
    const classname = attrs.get('classname') ?? '';
    const name = attrs.get('name') ?? '';
    const fullName = classname && classname !== name ? `${classname}::${name}` : name;
    const fileAttr = attrs.get('file') ?? null;
    const problem = problemPattern.exec(body);
    const isSkipped = !problem && /<skipped\b/.test(body);
    if (isSkipped) skipped++;
    tests.push({ name: fullName, file: fileAttr, status: problem ? 'failed' : isSkipped ? 'skipped' : 'passed' });
    if (!problem) continue;
    const problemAttrs = attributes(problem[2]);
    const detail = decodeXml(problem[3] ?? '');
    const lineAttr = attrs.get('line');
    const located = lineAttr ? { file: fileAttr, line: Number(lineAttr) } : locateInBody(detail, fileAttr);
    const message = (problemAttrs.get('message') ?? '').split('\n')[0].trim() || detail.split('\n').map((l) => l.trim()).find(Boolean) || '';
    const failure: TestFailure = {
      name: fullName,
      file: located.file,
      line: located.line,
      message,
    };
    if (problem[1] === 'error') failure.kind = 'error';
    failures.push(failure);
  }
  return {
    failures,
    passed: total - failures.length - skipped,
    failed: failures.length,
    skipped,
    // JUnit XML has no todo state.
    todo: null,
    ...(tests.length > 0 ? { tests } : {}),
    runFailed: failures.length > 0,
  };
}
