// Rejections say which block/hunk/chunk failed, why, and what to do next (issue "Honest verification", item 7.3).
import { strict as assert } from 'node:assert';
import { applyEditText, type EditOutcome } from '../../../src/tools/edits';
import { fixture, lookupOf } from './fixtures';

const files = { 'shapes.py': fixture('messages/shapes.py') };

function refusal(outcome: EditOutcome): { code: string; message: string; editIndex?: number; closest?: { startLine: number } } {
  if (outcome.ok) assert.fail(`expected a refusal, got changes to ${outcome.changes.map((c) => c.path).join(', ')}`);
  return outcome.error;
}

describe('rejection messages: *** Begin Patch chunks out of order', () => {
  it('says the @@ line is above the previous chunk, where it is, and to order the chunks top to bottom', () => {
    const error = refusal(applyEditText(fixture('messages/chunks-out-of-order.patch'), lookupOf(files)));
    assert.equal(error.code, 'no_match');
    assert.equal(error.editIndex, 1);
    assert.match(error.message, /^Chunk #2 \(@@ def area_circle\(radius\):\) for shapes\.py: its @@ line "def area_circle\(radius\):" was not found at or below line 14/);
    assert.match(error.message, /chunk #1 \(lines 13-13\) ends above it/);
    assert.match(error.message, /top to bottom, each below the one before it/);
    assert.match(error.message, /An identical match is at line 4, above that point/);
    assert.match(error.message, /Order the chunks as their lines appear in the file \(top to bottom\)/);
    assert.equal(error.closest?.startLine, 4);
    // The old message claimed a perfect "closest candidate" without saying why it was not used.
    assert.doesNotMatch(error.message, /similarity 1\.00/);
  });

  it('names a chunk without @@ text by its first line and points at the identical lines above', () => {
    const error = refusal(applyEditText(fixture('messages/lines-out-of-order.patch'), lookupOf(files)));
    assert.match(error.message, /^Chunk #2 \(first line "import math"\) for shapes\.py was not found at or below line 10/);
    assert.match(error.message, /An identical match is at line 1, above that point:\nimport math\n/);
  });

  it('applies the same chunks once they are in file order', () => {
    const text = fixture('messages/chunks-out-of-order.patch');
    const [head, triangle, circle] = text.split(/(?=^@@ )/m);
    const outcome = applyEditText(head + circle.replace('*** End Patch\n', '') + triangle + '*** End Patch\n', lookupOf(files));
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
    assert.match(outcome.changes[0].after ?? '', /return math\.pi \* radius \* radius\n[\s\S]*return 0\.5 \* base \* height\n$/);
  });

  it('tells how to create a file that an Update File section names but that does not exist', () => {
    const error = refusal(applyEditText('*** Begin Patch\n*** Update File: missing.py\n@@\n-a\n+b\n*** End Patch\n', lookupOf(files)));
    assert.equal(error.code, 'file_not_found');
    assert.match(error.message, /Cannot update missing\.py: the file does not exist; nothing was changed\. To create it, use "\*\*\* Add File: missing\.py"/);
  });
});

describe('rejection messages: hunks and search texts', () => {
  it('names the failing hunk by its @@ line and gives the first differing line', () => {
    const error = refusal(applyEditText(fixture('messages/hunk-miss.diff'), lookupOf(files)));
    assert.equal(error.editIndex, 1);
    assert.match(error.message, /^Hunk #2 \(@@ -12,2 \+12,2 @@ def area_triangle\) for shapes\.py was not found; nothing was changed\./);
    assert.match(error.message, /First difference: search line 2 "    return base \* height \* 0\.5" is file line 13 "    return base \* height \/ 2"\./);
  });

  it('names a SEARCH block by its first line and gives the first line that differs in more than spacing', () => {
    const block = '<<<<<<< SEARCH\ndef area_square(side):  \n    return side + side\n=======\ndef area_square(side):\n    return side ** 2\n>>>>>>> REPLACE\n';
    const error = refusal(applyEditText(block, lookupOf(files), { file: 'shapes.py' }));
    assert.match(error.message, /^Search text #1 \(first line "def area_square\(side\):"\) for shapes\.py was not found/);
    assert.match(error.message, /First difference: search line 2 "    return side \+ side" is file line 9 "    return side \* side"\./);
    const spaced = refusal(applyEditText(block.replace('+ side', '*  side\n    pass'), lookupOf(files), { file: 'shapes.py' }));
    assert.match(spaced.message, /First difference: search line 3 "    pass" is file line 10 ""\./);
  });

  it('names an ambiguous block by its first line and lists every place', () => {
    const block = '<<<<<<< SEARCH\n\n\ndef\n=======\nx\n>>>>>>> REPLACE\n';
    const twice = { 'a.py': 'x = 1\n\n\ndef\ny\n\n\ndef\n' };
    const error = refusal(applyEditText(block, lookupOf(twice), { file: 'a.py' }));
    assert.equal(error.code, 'ambiguous_match');
    assert.match(error.message, /^Search text #1 \(first line "def"\) for a\.py matches 2 places \(lines 2-4, 6-8\); nothing was changed\. Add neighbouring lines/);
  });
});
