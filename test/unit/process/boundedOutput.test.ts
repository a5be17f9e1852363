// Bounded output: exact limits, line-friendly cuts, spill file contents, and a failed spill reported honestly.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BoundedOutput, pruneSpillDirOnce, SPILL_MAX_AGE_MS } from '../../../src/tools/process/boundedOutput';

describe('BoundedOutput', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-bounded-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps output that fits exactly within head + tail whole', () => {
    const bounded = new BoundedOutput({ headBytes: 10, tailBytes: 20, spillDir: dir });
    const text = 'abcdefghij0123456789ABCDEFGHIJ';
    for (const char of text) bounded.append(char);
    assert.deepEqual(bounded.finish(), { output: text, truncated: false, totalBytes: 30 });
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('truncates one byte past the limit and spills the whole text', () => {
    const bounded = new BoundedOutput({ headBytes: 10, tailBytes: 20, spillDir: dir });
    const text = 'abcdefghij0123456789ABCDEFGHIJK';
    bounded.append(text.slice(0, 7));
    bounded.append(text.slice(7));
    const rendered = bounded.finish();
    assert.equal(rendered.truncated, true);
    assert.equal(rendered.totalBytes, 31);
    assert.equal(rendered.output, `abcdefghij\n[… 1 bytes left out; full output in ${rendered.spillPath} …]\n123456789ABCDEFGHIJK`);
    assert.equal(fs.readFileSync(rendered.spillPath!, 'utf8'), text);
  });

  it('prefers to cut at line breaks near the ends of head and tail', () => {
    const bounded = new BoundedOutput({ headBytes: 16, tailBytes: 20, spillDir: dir });
    bounded.append('line-1\nline-22\nline-333\n'.repeat(4));
    const { output } = bounded.finish();
    const [head, rest] = output.split('[…');
    assert.equal(head, 'line-1\nline-22\n');
    assert.ok(rest.endsWith('…]\nline-22\nline-333\n'), JSON.stringify(rest));
  });

  it('keeps memory bounded while the total keeps growing', () => {
    const bounded = new BoundedOutput({ headBytes: 100, tailBytes: 100, spillDir: dir });
    const chunk = 'x'.repeat(999) + '\n';
    for (let i = 0; i < 2000; i++) bounded.append(chunk);
    const rendered = bounded.finish();
    assert.equal(rendered.totalBytes, 2_000_000);
    assert.ok(Buffer.byteLength(rendered.output) < 400);
    assert.equal(fs.statSync(rendered.spillPath!).size, 2_000_000);
  });

  it('says so in the marker when the spill file cannot be written', () => {
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, '');
    const bounded = new BoundedOutput({ headBytes: 4, tailBytes: 4, spillDir: path.join(blocker, 'sub') });
    bounded.append('0123456789');
    const rendered = bounded.finish();
    assert.equal(rendered.truncated, true);
    assert.equal(rendered.spillPath, undefined);
    assert.match(rendered.output, /the full output could not be saved: /);
  });
});

describe('pruneSpillDirOnce', () => {
  it('deletes only its own spill files older than a day, once per folder', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-prune-'));
    try {
      const now = Date.now();
      const old = path.join(folder, 'output-2026-01-01T00-00-00-000Z-aaaa.log');
      const fresh = path.join(folder, 'output-2026-11-25T00-00-00-000Z-bbbb.log');
      const foreign = path.join(folder, 'notes.txt');
      for (const file of [old, fresh, foreign]) fs.writeFileSync(file, 'x');
      const twoDaysAgo = (now - 2 * SPILL_MAX_AGE_MS) / 1000;
      fs.utimesSync(old, twoDaysAgo, twoDaysAgo);
      fs.utimesSync(foreign, twoDaysAgo, twoDaysAgo);
      assert.equal(pruneSpillDirOnce(folder, now), 1);
      assert.deepEqual(fs.readdirSync(folder).sort(), ['notes.txt', path.basename(fresh)].sort());
      fs.writeFileSync(old, 'x');
      fs.utimesSync(old, twoDaysAgo, twoDaysAgo);
      assert.equal(pruneSpillDirOnce(folder, now), 0, 'a folder is pruned once per process');
      assert.ok(fs.existsSync(old));
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

