// Parser for `cargo test`: rustc compile errors, libtest's "---- name stdout ----" failure blocks and result lines.
import type { RunnerParser, RunnerParseResult } from '../parser';
import type { TestFailure, TestOutcome } from '../types';
import { countMatches, splitLines } from '../text';

const rustError = /^error(?:\[(E\d+)\])?: (.*)$/;
const spanLine = /^\s*--> (.+?):(\d+):(\d+)$/;
const notCompileError = /^(?:could not compile|test failed, to rerun|aborting due to|build failed|\d+ previous errors?)/;
const couldNotCompile = /^error: could not compile `[^`]+`(?: \((\w+) "([^"]+)"\))?/;
const stdoutHeader = /^---- (.+?) (?:stdout|stderr) ----$/;
const newPanic = /^thread '(.*?)'(?: \(\d+\))? panicked at (.+?):(\d+):(\d+):$/;
const oldPanic = /^thread '(.*?)'(?: \(\d+\))? panicked at '(.*)', (.+?):(\d+):(\d+)$/;
const noPanic = /^note: (test did not panic as expected at (.+?):(\d+):(\d+))$/;
const failedTestLine = /^(?:test )?(\S+)(?: - should panic)? (?:\.\.\. |--- )FAILED$/;
const resultLine = /^test result: (?:ok|FAILED)\. (\d+) passed; (\d+) failed; (\d+) ignored;/;
// "test a ... ok", "test d ... ignored, reason", "test b - should panic ... FAILED"; terse output names only failures.
const outcomeLine = /^test (.+?)(?: - should panic)? \.\.\. (ok|FAILED|ignored)\b/;
const terseFailed = /^(\S+) --- FAILED$/;

export const cargoParser: RunnerParser = {
  runner: 'cargo',
  score(text) {
    let score = 0;
    score += Math.min(6, 3 * countMatches(text, /^test result: (?:ok|FAILED)\. \d+ passed/m));
    if (/^running \d+ tests?$/m.test(text)) score += 3;
    if (/^\s+Running .+\(target\//m.test(text)) score += 2;
    if (/^error(?:\[E\d+\])?: .*\n\s*--> \S+\.rs:\d+:\d+/m.test(text)) score += 5;
    if (/^\s+Compiling \S+ v\d/m.test(text)) score += 2;
    return score;
  },
  parse(text) {
    return parseCargo(text);
  },
};

function compileErrors(lines: string[]): TestFailure[] {
  const target = lines.map((line) => couldNotCompile.exec(line)).find((m) => m !== null);
  const name = target && target[2] ? `(compile error in ${target[1]} ${target[2]})` : '(compile error)';
  const errors: TestFailure[] = [];
  for (let index = 0; index < lines.length; index++) {
    const error = rustError.exec(lines[index]);
    if (!error || notCompileError.test(error[2])) continue;
    let span: RegExpExecArray | null = null;
    for (let ahead = index + 1; ahead < Math.min(lines.length, index + 4) && !span; ahead++) span = spanLine.exec(lines[ahead]);
    // cargo's own "error: ..." lines (rerun hints, "N targets failed") carry neither a code nor a source span.
    if (!span && !error[1]) continue;
    errors.push({
      name,
      file: span ? span[1] : null,
      line: span ? Number(span[2]) : null,
      message: error[1] ? `${error[1]}: ${error[2]}` : error[2],
      kind: 'compile-error',
    });
  }
  return errors;
}

/** Reads each "---- name stdout ----" block for the panic location and its first message line. */
function failureBlocks(lines: string[]): Map<string, TestFailure> {
  const blocks = new Map<string, TestFailure>();
  let section = '';
  for (let index = 0; index < lines.length; index++) {
    const sectionStart = /^(failures|successes):$/.exec(lines[index]);
    if (sectionStart) section = sectionStart[1];
    const header = stdoutHeader.exec(lines[index]);
    // --show-output prints passing tests' output under "successes:" in the same format.
    if (!header || section === 'successes') continue;
    const failure: TestFailure = { name: header[1], file: null, line: null, message: '' };
    for (let ahead = index + 1; ahead < lines.length; ahead++) {
      const line = lines[ahead];
      if (stdoutHeader.test(line) || /^(?:failures|successes):$/.test(line)) break;
      const panic = newPanic.exec(line);
      const legacy = panic ? null : oldPanic.exec(line);
      const missing = panic || legacy ? null : noPanic.exec(line);
      if (panic && failure.file === null) {
        Object.assign(failure, { file: panic[2], line: Number(panic[3]), message: (lines[ahead + 1] ?? '').trim() });
      } else if (legacy && failure.file === null) {
        Object.assign(failure, { file: legacy[3], line: Number(legacy[4]), message: legacy[2] });
      } else if (missing && failure.file === null) {
        Object.assign(failure, { file: missing[2], line: Number(missing[3]), message: missing[1] });
      }
    }
    if (!blocks.has(header[1]) || blocks.get(header[1])?.file === null) blocks.set(header[1], failure);
  }
  return blocks;
}

function outcomes(lines: string[]): TestOutcome[] {
  const tests: TestOutcome[] = [];
  for (const line of lines) {
    const outcome = outcomeLine.exec(line);
    const terse = outcome ? null : terseFailed.exec(line);
    if (outcome) tests.push({ name: outcome[1], file: null, status: outcome[2] === 'ok' ? 'passed' : outcome[2] === 'FAILED' ? 'failed' : 'skipped' });
    else if (terse) tests.push({ name: terse[1], file: null, status: 'failed' });
  }
  return tests;
}

function parseCargo(text: string): RunnerParseResult {
  const lines = splitLines(text);
  const failures: TestFailure[] = compileErrors(lines);
  const blocks = failureBlocks(lines);
  const reported = new Set<string>();
  for (const line of lines) {
    const failed = failedTestLine.exec(line);
    if (!failed || reported.has(failed[1])) continue;
    reported.add(failed[1]);
    failures.push(blocks.get(failed[1]) ?? { name: failed[1], file: null, line: null, message: '' });
  }
  for (const [name, block] of blocks) {
    if (!reported.has(name)) {
      reported.add(name);
      failures.push(block);
    }
  }
  let passed: number | null = null;
  let failedCount: number | null = null;
  let ignored: number | null = null;
  for (const line of lines) {
    const result = resultLine.exec(line);
    if (!result) continue;
    passed = (passed ?? 0) + Number(result[1]);
    failedCount = (failedCount ?? 0) + Number(result[2]);
    ignored = (ignored ?? 0) + Number(result[3]);
  }
  const tests = outcomes(lines);
  return {
    failures,
    passed,
    failed: failedCount,
    skipped: ignored,
    // libtest has no todo tests.
    todo: null,
    ...(tests.length > 0 ? { tests } : {}),
    runFailed: failures.length > 0 || (failedCount ?? 0) > 0 || /^error: /m.test(text),
  };
}
