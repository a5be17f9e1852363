import { strict as assert } from 'node:assert';
import { applyPatch, createTwoFilesPatch, parsePatch } from 'diff';
import { applyEditText, applySearchReplacePairs, type EditOutcome } from '../../../src/tools/edits';
import { LineTable } from '../../../src/tools/edits/line-table';
import { lookupOf } from './fixtures';

const PATH = 'src/big.ts';

/** Code-like lines in identical six-line blocks, so any hunk's context occurs all over the file. */
function generatedFile(lineCount: number): string[] {
  const lines: string[] = [];
  while (lines.length < lineCount) {
    lines.push('export function handler(input: Request): Response {', '  const value = compute(input);', '  if (!value) return notFound();', '  return ok(value);', '}', '');
  }
  return lines.slice(0, lineCount);
}

/**
 * Every 20th line changed, and every 3rd change also adds or removes lines, so each hunk's `@@` number is right
 * only once the hunks before it are counted. Changes are far enough apart that each makes its own hunk.
 */
function changedCopy(lines: readonly string[], changes: number): string[] {
  const changed = [...lines];
  for (let k = changes - 1; k >= 0; k--) {
    const at = k * 20 + 7;
    if (k % 3 === 1) changed.splice(at, 1, `${lines[at]} // was line ${at + 1}`, `  audit(${k});`);
    else if (k % 3 === 2) changed.splice(at, 2);
    else changed[at] = lines[at].replace('compute(', 'computeFast(');
  }
  return changed;
}

function afterOf(outcome: EditOutcome): string {
  if (!outcome.ok) return assert.fail(`expected the diff to apply, got ${outcome.error.code}: ${outcome.error.message}`);
  assert.equal(outcome.changes.length, 1);
  return outcome.changes[0].after ?? assert.fail('the file was deleted');
}

describe('applyEditText: a diff with many hunks on a generated file', () => {
  const original = generatedFile(4_200);
  const before = original.join('\n') + '\n';
  const after = changedCopy(original, 200).join('\n') + '\n';
  const diff = createTwoFilesPatch(`a/${PATH}`, `b/${PATH}`, before, after, undefined, undefined, { context: 3 });

  it('applies 200 hunks exactly as jsdiff applyPatch does', () => {
    assert.equal(parsePatch(diff)[0].hunks.length, 200);
    const expected = applyPatch(before, diff);
    assert.equal(expected, after);
    const outcome = applyEditText(diff, lookupOf({ [PATH]: before }), { format: 'unified-diff', file: PATH });
    assert.equal(afterOf(outcome), expected);
    // Every hunk's context repeats all over the file; the `@@` number, shifted by the hunks before, singles it out.
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.strategies, new Array(200).fill(['exact', 'line-hint']).flat());
  });

  it('keeps CRLF line endings throughout a many-hunk diff written with LF', () => {
    const crlf = (text: string): string => text.replace(/\n/g, '\r\n');
    const outcome = applyEditText(diff, lookupOf({ [PATH]: crlf(before) }), { format: 'unified-diff', file: PATH });
    assert.equal(afterOf(outcome), crlf(after));
    assert.ok(outcome.ok && outcome.strategies.every((strategy) => strategy === 'line-endings' || strategy === 'line-hint'));
  });

  it('rejects the whole diff when its last hunk no longer matches, naming that hunk', () => {
    const lastHunk = diff.lastIndexOf('\n@@ ');
    const broken = diff.slice(0, lastHunk) + diff.slice(lastHunk).replace(/\n-(.*)\n/, '\n-$1 // not in the file\n');
    assert.notEqual(broken, diff);
    const outcome = applyEditText(broken, lookupOf({ [PATH]: before }), { format: 'unified-diff', file: PATH });
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.code, 'no_match');
    assert.match(outcome.error.message, /Hunk #200/);
  });

  it('gives the same result as the same changes sent as search/replace pairs, one call each', () => {
    let current = before;
    for (const hunk of parsePatch(diff)[0].hunks) {
      const search = hunk.lines.filter((line) => !line.startsWith('+')).map((line) => line.slice(1)).join('\n') + '\n';
      const replace = hunk.lines.filter((line) => !line.startsWith('-')).map((line) => line.slice(1)).join('\n') + '\n';
      const shift = current.split('\n').length - before.split('\n').length;
      const result = applySearchReplacePairs(current, [{ search, replace }], { startLineHint: hunk.oldStart + shift });
      if (!result.ok) assert.fail(result.error.message);
      current = result.content;
    }
    assert.equal(current, after);
  });
});

describe('LineTable', () => {
  const bodies = ['', 'a', 'a\n', 'a\r\nb\nc', '\n\n', '\r\n', 'x\ry\r\n\r\nz\n', 'one\r\ntwo\r\nthree'];

  it('gives back the text it was built from, line endings and final newline included', () => {
    for (const body of bodies) assert.equal(new LineTable(body).toBody(), body, JSON.stringify(body));
  });

  it('keeps the dominant line ending as lines with other endings are replaced', () => {
    const table = new LineTable('a\r\nb\r\nc\nd\n');
    assert.equal(table.dominantEol(), '\n');
    table.replaceLines(2, 1, ['C'], '\r\n');
    assert.equal(table.toBody(), 'a\r\nb\r\nC\r\nd\n');
    assert.equal(table.dominantEol(), '\r\n');
    table.replaceLines(0, 2, [], '\r\n');
    assert.equal(table.toBody(), 'C\r\nd\n');
    assert.equal(table.dominantEol(), '\n');
  });

  it('finds every exact occurrence, overlapping ones included, wherever the search starts looking', () => {
    const table = new LineTable('x\nx\nx\ny\nx\nx\n');
    // Enough rounds that the later ones are answered from the line index rather than by scanning.
    for (let round = 0; round < 4; round++) {
      for (const near of [0, 2, 5, 100]) {
        assert.deepEqual(table.findExact(['x', 'x'], 0, near), [0, 1, 4]);
        assert.deepEqual(table.findExact(['x', 'x'], 2, near), [4]);
        assert.deepEqual(table.findExact(['x', 'y'], 0, near), [2]);
        assert.deepEqual(table.findExact(['z'], 0, near), []);
      }
    }
    table.replaceLines(3, 1, ['x', 'z'], '\n');
    assert.deepEqual(table.findExact(['x', 'x'], 0, 3), [0, 1, 2, 5]);
    assert.deepEqual(table.findExact(['z', 'x'], 0, 0), [4]);
    assert.deepEqual(table.findExact(['y'], 0, 0), []);
  });

  it('ends a last line without a newline only where the text did', () => {
    const table = new LineTable('a\nb');
    table.insertLines(5, ['c'], '\n');
    assert.equal(table.toBody(), 'a\nb\nc');
    table.replaceLines(2, 1, ['c', 'd'], '\n');
    assert.equal(table.toBody(), 'a\nb\nc\nd');
    table.insertLines(0, ['top'], '\n');
    assert.equal(table.toBody(), 'top\na\nb\nc\nd');
  });
});
