// Parser for TAP 13/14 (node --test's TAP reporter, tape, node-tap): nested "ok/not ok" lines with YAML diagnostics.
import type { RunnerParser, RunnerParseResult } from '../parser';
import type { TestFailure } from '../types';
import { countMatches, indentOf, isLibraryFrame, splitLines, unquote, type StackFrame } from '../text';

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
  const match = looseFrame.exec(line);
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

/** node puts the message under `error`, others under `message`; tape only has a stack and an operator. */
function tapMessage(yaml: string[]): string {
  const stated = yamlFirstLine(yaml, 'error') ?? yamlFirstLine(yaml, 'message');
  if (stated) return stated;
  const stackHead = yamlBlock(yaml, 'stack').map((line) => line.trim()).find((line) => line && !/^[|>][-+]?$/.test(line));
  if (stackHead && !parseLooseFrame(stackHead)) return stackHead;
  const operator = yamlFirstLine(yaml, 'operator');
  if (!operator) return stated ?? '';
  return `${operator}: expected ${yamlFirstLine(yaml, 'expected') ?? '?'}, actual ${yamlFirstLine(yaml, 'actual') ?? '?'}`;
}

function parseTap(text: string): RunnerParseResult {
  const lines = splitLines(text);
  const isNode = /^\s*# Subtest: /m.test(text) && /^\s*duration_ms: /m.test(text);
  const failures: TestFailure[] = [];
  for (const record of readRecords(lines)) {
    if (!record.failed || isExempt(record)) continue;
    const failureType = yamlFirstLine(record.yaml, 'failureType');
    if (record.hasFailingChild || failureType === 'subtestsFailed') continue;
    const where = locate(record.yaml);
    failures.push({
      name: record.nameParts.join(' > '),
      file: where.file,
      line: where.line,
      message: tapMessage(record.yaml),
    });
  }
  for (const line of lines) {
    const bail = bailOut.exec(line);
    if (bail) failures.push({ name: 'Bail out!', file: null, line: null, message: bail[1], kind: 'bail-out' });
  }
  const passMatch = /^# pass\s+(\d+)/m.exec(text);
  const failMatch = /^# fail\s+(\d+)/m.exec(text);
  const topLevel = lines.filter((line) => /^(?:not )?ok\b/.test(line));
  const failed = failMatch ? Number(failMatch[1]) : topLevel.filter((l) => l.startsWith('not ok') && !/#\s*(?:TODO|SKIP)/i.test(l)).length;
  return {
    failures,
    passed: passMatch ? Number(passMatch[1]) : topLevel.filter((l) => l.startsWith('ok')).length,
    failed,
    runFailed: failed > 0 || failures.length > 0,
    runner: isNode ? 'node' : 'tap',
  };
}
