// Hunk computation and selective application: byte-exact for every subset, line ending, BOM and final-newline case.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyHunkSelection, computeHunks, unifiedDiff } from '../../../src/tools/changes/hunks';

/** A file made of unchanged stretches and three separately editable regions, far enough apart to be three hunks. */
interface ThreeRegionFile {
  commons: string[]; // 4 stretches around the 3 regions
  regions: { before: string; after: string }[];
}

function lines(prefix: string, count: number, eol: string): string {
  return Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}${eol}`).join('');
}

function threeRegionFile(eol: string, options: { bom?: boolean; finalNewline?: boolean } = {}): ThreeRegionFile {
  const finalNewline = options.finalNewline ?? true;
  return {
    commons: [`${options.bom ? '\uFEFF' : ''}${lines('head', 8, eol)}`, lines('middle', 8, eol), lines('later', 8, eol), ''],
    regions: [
      { before: `alpha${eol}`, after: `ALPHA${eol}alpha two${eol}` },
      { before: `beta one${eol}beta two${eol}`, after: '' },
      { before: `gamma${finalNewline ? eol : ''}`, after: `GAMMA${eol}tail${finalNewline ? eol : ''}` },
    ],
  };
}

/** The oracle: the file with exactly the chosen regions edited, built without any diffing. */
function compose(file: ThreeRegionFile, accepted: ReadonlySet<number>): string {
  let text = file.commons[0];
  file.regions.forEach((region, index) => {
    text += (accepted.has(index) ? region.after : region.before) + file.commons[index + 1];
  });
  return text;
}

function allSubsetsOf3(): Set<number>[] {
  return Array.from({ length: 8 }, (_, mask) => new Set([0, 1, 2].filter((bit) => mask & (1 << bit))));
}

describe('hunks', () => {
  const variants: [string, ThreeRegionFile][] = [
    ['LF', threeRegionFile('\n')],
    ['CRLF', threeRegionFile('\r\n')],
    ['BOM + CRLF', threeRegionFile('\r\n', { bom: true })],
    ['no final newline', threeRegionFile('\n', { finalNewline: false })],
    ['CRLF without final newline', threeRegionFile('\r\n', { finalNewline: false })],
  ];

  for (const [name, file] of variants) {
    it(`applies every subset of 3 hunks byte-exact (${name})`, () => {
      const before = compose(file, new Set());
      const after = compose(file, new Set([0, 1, 2]));
      const hunks = computeHunks(before, after);
      assert.deepEqual(hunks.map((h) => h.index), [0, 1, 2]);
      for (const subset of allSubsetsOf3()) {
        assert.equal(applyHunkSelection(before, after, subset), compose(file, subset), `subset {${[...subset]}}`);
      }
    });
  }

  it('returns exactly after when all are accepted and exactly before when none are', () => {
    const before = 'x\r\ny\n\uFEFFz';
    const after = 'x\ny\r\nz\n';
    const all = new Set(computeHunks(before, after).map((h) => h.index));
    assert.equal(applyHunkSelection(before, after, all), after);
    assert.equal(applyHunkSelection(before, after, new Set()), before);
  });

  it('shows a line-ending-only change as a hunk and keeps the CR in its lines', () => {
    const hunks = computeHunks('a\r\nb\r\n', 'a\r\nB\r\n');
    assert.equal(hunks.length, 1);
    assert.deepEqual(hunks[0].lines, [' a\r', '-b\r', '+B\r']);
    assert.equal(computeHunks('a\n', 'a\r\n').length, 1);
  });

  it('leaves the "no newline" marker out of the hunk lines but still sees the change', () => {
    const hunks = computeHunks('a\nb', 'a\nb\n');
    assert.equal(hunks.length, 1);
    assert.ok(hunks[0].lines.every((line) => /^[ +-]/.test(line)));
    assert.equal(applyHunkSelection('a\nb', 'a\nb\n', new Set([0])), 'a\nb\n');
  });

  it('reports 1-based positions and counts for a middle change', () => {
    const before = lines('l', 20, '\n');
    const after = before.replace('l 10\n', 'changed\n');
    const [hunk] = computeHunks(before, after);
    assert.deepEqual(
      { oldStart: hunk.oldStart, oldLines: hunk.oldLines, newStart: hunk.newStart, newLines: hunk.newLines },
      { oldStart: 7, oldLines: 7, newStart: 7, newLines: 7 },
    );
    assert.deepEqual(hunk.lines.filter((l) => l[0] !== ' '), ['-l 10', '+changed']);
  });

  it('treats a created file as one all-or-nothing hunk', () => {
    const hunks = computeHunks(null, 'one\ntwo\nthree\n');
    assert.equal(hunks.length, 1);
    assert.deepEqual(hunks[0].lines, ['+one', '+two', '+three']);
    assert.equal(applyHunkSelection(null, 'one\ntwo\nthree\n', new Set([0])), 'one\ntwo\nthree\n');
    assert.equal(applyHunkSelection(null, 'one\ntwo\nthree\n', new Set()), null);
    assert.equal(computeHunks(null, '').length, 1, 'creating an empty file is still a change to review');
    assert.equal(applyHunkSelection(null, '', new Set([0])), '');
  });

  it('treats a deleted file as one all-or-nothing hunk', () => {
    const before = 'keep\r\nme';
    const hunks = computeHunks(before, null);
    assert.equal(hunks.length, 1);
    assert.deepEqual(hunks[0].lines, ['-keep\r', '-me']);
    assert.equal(applyHunkSelection(before, null, new Set([0])), null);
    assert.equal(applyHunkSelection(before, null, new Set()), before);
  });

  it('has no hunks when nothing changed', () => {
    assert.deepEqual(computeHunks('same\n', 'same\n'), []);
    assert.deepEqual(computeHunks(null, null), []);
  });

  it('uses the given context for both computing and applying', () => {
    const before = lines('l', 12, '\n');
    const after = before.replace('l 3\n', 'three\n').replace('l 7\n', 'seven\n');
    assert.equal(computeHunks(before, after, 3).length, 1, 'with 3 lines of context the changes merge');
    assert.equal(computeHunks(before, after, 1).length, 2);
    assert.equal(applyHunkSelection(before, after, new Set([1]), 1), before.replace('l 7\n', 'seven\n'));
  });
});

describe('unifiedDiff', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-hunks-'));
    execFileSync('git', ['init', '-q'], { cwd: dir });
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Applies the diff with git itself: the strongest check that the text is a real git diff. */
  function gitApply(diff: string): void {
    fs.writeFileSync(path.join(dir, 'change.patch'), diff);
    execFileSync('git', ['apply', '--whitespace=nowarn', 'change.patch'], { cwd: dir });
  }

  it('writes git-style headers and hunk ranges', () => {
    const diff = unifiedDiff('src/a.ts', 'one\ntwo\n', 'one\n2\n');
    assert.equal(diff, 'diff --git a/src/a.ts b/src/a.ts\n--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,2 +1,2 @@\n one\n-two\n+2\n');
    assert.equal(unifiedDiff('same.txt', 'x', 'x'), '');
  });

  it('produces a modification git apply reproduces byte for byte (CRLF, no final newline)', () => {
    const before = 'a\r\nb\r\nc';
    const after = 'a\r\nB\r\nc\r\nd';
    fs.writeFileSync(path.join(dir, 'f.txt'), before);
    gitApply(unifiedDiff('f.txt', before, after));
    assert.equal(fs.readFileSync(path.join(dir, 'f.txt'), 'utf8'), after);
  });

  it('marks added and deleted files with /dev/null, and git apply creates and removes them', () => {
    const added = unifiedDiff('new/file.txt', null, 'hello\n');
    assert.match(added, /^--- \/dev\/null\n\+\+\+ b\/new\/file\.txt\n@@ -0,0 \+1 @@\n\+hello\n$/m);
    gitApply(added);
    assert.equal(fs.readFileSync(path.join(dir, 'new/file.txt'), 'utf8'), 'hello\n');

    const deleted = unifiedDiff('new/file.txt', 'hello\n', null);
    assert.match(deleted, /--- a\/new\/file\.txt\n\+\+\+ \/dev\/null\n@@ -1 \+0,0 @@\n-hello\n/);
    gitApply(deleted);
    assert.equal(fs.existsSync(path.join(dir, 'new/file.txt')), false);
  });
});
