// Three-way hunk application of a background task's change onto the person's current file: what applies (with
// offsets), what is a conflict (never forced), and byte-exactness for CRLF, BOMs, missing final newlines and binary.
import * as assert from 'node:assert/strict';
import { applyRebased, rebaseChange, type RebasedFile } from '../../../src/tools/changes/rebase';

const b = (text: string): Buffer => Buffer.from(text, 'utf8');
const lines = (count: number, prefix = 'line'): string => Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}\n`).join('');

function acceptAll(file: RebasedFile): Set<number> {
  return new Set(file.hunks.map((h) => h.index));
}

function applied(file: RebasedFile, accepted: Iterable<number> = acceptAll(file)): string | null {
  const outcome = applyRebased(file, new Set(accepted));
  return outcome.content === null ? null : outcome.content.toString('utf8');
}

describe('rebase: a task change onto the person\'s current file', () => {
  const base = lines(20);
  const agent = base.replace('line 5\n', 'line 5 by the agent\n').replace('line 15\n', 'line 15 by the agent\n');

  it('applies cleanly when the person did not touch the file: the result is exactly the task\'s version', () => {
    const file = rebaseChange({ path: 'a.txt', before: b(base), after: b(agent) }, b(base));
    assert.equal(file.hunks.length, 2);
    assert.ok(file.hunks.every((h) => h.conflict === undefined));
    assert.equal(applied(file), agent);
    assert.equal(file.resultText, agent);
    assert.equal(file.currentText, base);
  });

  it('applies with offsets when the person inserted and removed lines elsewhere', () => {
    // Three lines added at the top, line 10 removed: the agent's hunks move by +3 and then +2.
    const person = 'new a\nnew b\nnew c\n' + base.replace('line 10\n', '');
    const file = rebaseChange({ path: 'a.txt', before: b(base), after: b(agent) }, b(person));
    assert.deepEqual(file.hunks.map((h) => h.conflict), [undefined, undefined]);
    const expected = 'new a\nnew b\nnew c\n' + agent.replace('line 10\n', '');
    assert.equal(applied(file), expected);
    // The hunks are shown against the person's file: line 5 is now line 8, line 15 is now line 17.
    assert.ok(file.hunks[0].lines.includes('-line 5') && file.hunks[0].lines.includes('+line 5 by the agent'));
    assert.equal(file.hunks[0].oldStart + file.hunks[0].lines.findIndex((l) => l.startsWith('-')), 8);
    assert.equal(file.hunks[1].oldStart + file.hunks[1].lines.findIndex((l) => l.startsWith('-')), 17);
    assert.ok(file.hunks[0].lines.includes(' new c') === false, 'context comes from around the hunk, not the top');
  });

  it('marks a hunk as a conflict when the person changed the same lines, and still applies the other one', () => {
    const person = base.replace('line 15\n', 'line 15 by the person\n');
    const file = rebaseChange({ path: 'a.txt', before: b(base), after: b(agent) }, b(person));
    assert.equal(file.hunks[0].conflict, undefined);
    assert.match(file.hunks[1].conflict ?? '', /You changed line 15 .*not applied/);
    // Accepting everything applies only the clean hunk; the conflicting one is refused with its reason.
    const outcome = applyRebased(file, acceptAll(file));
    assert.deepEqual(outcome.applied, [0]);
    assert.equal(outcome.refused.length, 1);
    assert.equal(outcome.refused[0].index, 1);
    assert.equal(outcome.content?.toString('utf8'), person.replace('line 5\n', 'line 5 by the agent\n'));
    assert.ok(outcome.content?.toString('utf8').includes('line 15 by the person'), 'the person\'s line is never overwritten');
  });

  it('treats an edit right beside the task\'s hunk as a conflict (as git does), one further away as clean', () => {
    const beside = rebaseChange({ path: 'a.txt', before: b(base), after: b(agent) }, b(base.replace('line 6\n', 'line 6 changed\n')));
    assert.ok(beside.hunks[0].conflict);
    const apart = rebaseChange({ path: 'a.txt', before: b(base), after: b(agent) }, b(base.replace('line 7\n', 'line 7 changed\n')));
    assert.equal(apart.hunks[0].conflict, undefined);
    assert.equal(applied(apart), agent.replace('line 7\n', 'line 7 changed\n'));
  });

  it('keeps hunk indices stable across rebases, so decisions made on an older review name the same hunks', () => {
    const first = rebaseChange({ path: 'a.txt', before: b(base), after: b(agent) }, b(base));
    const later = rebaseChange({ path: 'a.txt', before: b(base), after: b(agent) }, b(base.replace('line 4\n', 'line 4 edited\n')));
    assert.deepEqual(first.hunks.map((h) => h.index), [0, 1]);
    assert.deepEqual(later.hunks.map((h) => h.index), [0, 1]);
    assert.ok(later.hunks[0].conflict, 'the later edit touches hunk 0');
    assert.equal(applied(later, [1]), base.replace('line 4\n', 'line 4 edited\n').replace('line 15\n', 'line 15 by the agent\n'));
  });

  it('drops a hunk the person already made identically, and accepting nothing leaves the person\'s bytes', () => {
    const person = base.replace('line 5\n', 'line 5 by the agent\n');
    const file = rebaseChange({ path: 'a.txt', before: b(base), after: b(agent) }, b(person));
    assert.deepEqual(file.hunks.map((h) => h.index), [1]);
    assert.equal(applied(file), agent);
    const none = applyRebased(file, new Set());
    assert.ok(none.content?.equals(b(person)));
    assert.deepEqual(none.applied, []);
  });

  it('applies a subset per hunk', () => {
    const file = rebaseChange({ path: 'a.txt', before: b(base), after: b(agent) }, b(base));
    assert.equal(applied(file, [1]), base.replace('line 15\n', 'line 15 by the agent\n'));
  });

  it('handles insertions at the end of a file and a missing final newline byte-exactly', () => {
    const start = 'one\ntwo\nthree';
    const after = 'one\ntwo\nthree\nfour';
    const person = 'zero\none\ntwo\nthree';
    // The agent's change replaces the last line (no newline) with two lines; the person added a line at the top.
    const file = rebaseChange({ path: 'a.txt', before: b(start), after: b(after) }, b(person));
    assert.equal(file.hunks.length, 1);
    assert.equal(file.hunks[0].conflict, undefined);
    assert.equal(applied(file), 'zero\none\ntwo\nthree\nfour');
  });

  it('keeps CRLF line endings and a BOM byte-exactly', () => {
    const start = '\uFEFFa\r\nb\r\nc\r\nd\r\ne\r\nf\r\ng\r\nh\r\n';
    const after = start.replace('b\r\n', 'B\r\n');
    const person = start.replace('g\r\n', 'G\r\n');
    const file = rebaseChange({ path: 'w.txt', before: b(start), after: b(after) }, b(person));
    assert.equal(file.hunks[0].conflict, undefined);
    const outcome = applyRebased(file, acceptAll(file));
    assert.ok(outcome.content?.equals(b('\uFEFFa\r\nB\r\nc\r\nd\r\ne\r\nf\r\nG\r\nh\r\n')));
    assert.ok(file.hunks[0].lines.includes('-b\r'), 'hunk lines keep the \\r like computeHunks does');
  });

  it('sees a person who turned CRLF into LF as having changed every line: conflict, not a mixed file', () => {
    const start = 'a\r\nb\r\nc\r\n';
    const file = rebaseChange({ path: 'w.txt', before: b(start), after: b('a\r\nB\r\nc\r\n') }, b('a\nb\nc\n'));
    assert.ok(file.hunks[0].conflict);
    assert.equal(applied(file), 'a\nb\nc\n');
  });

  it('a file the person deleted is a conflict for a modification, and nothing to do for a deletion', () => {
    const modified = rebaseChange({ path: 'gone.txt', before: b(base), after: b(agent) }, null);
    assert.equal(modified.hunks.length, 1);
    assert.match(modified.hunks[0].conflict ?? '', /You deleted gone\.txt/);
    assert.equal(applyRebased(modified, new Set([0])).content, null, 'stays deleted');
    const deleted = rebaseChange({ path: 'gone.txt', before: b(base), after: null }, null);
    assert.equal(deleted.hunks.length, 0);
  });

  it('a deletion by the task applies when the person left the file alone, and is a conflict when they edited it', () => {
    const clean = rebaseChange({ path: 'old.txt', before: b(base), after: null }, b(base));
    assert.equal(clean.hunks[0].conflict, undefined);
    assert.equal(applyRebased(clean, new Set([0])).content, null);
    const edited = rebaseChange({ path: 'old.txt', before: b(base), after: null }, b(agent));
    assert.match(edited.hunks[0].conflict ?? '', /the task deletes it/);
    assert.ok(applyRebased(edited, new Set([0])).content?.equals(b(agent)));
  });

  it('a file created by the task: applies when absent, nothing to do when identical, conflict when created in both', () => {
    const created = rebaseChange({ path: 'new.txt', before: null, after: b('hello\n') }, null);
    assert.deepEqual(created.hunks[0].lines, ['+hello']);
    assert.equal(applied(created), 'hello\n');
    assert.equal(rebaseChange({ path: 'new.txt', before: null, after: b('hello\n') }, b('hello\n')).hunks.length, 0);
    const both = rebaseChange({ path: 'new.txt', before: null, after: b('hello\n') }, b('mine\n'));
    assert.match(both.hunks[0].conflict ?? '', /You created new\.txt too/);
    assert.equal(applied(both), 'mine\n');
  });

  it('a binary file applies whole when the person left it alone, and is a conflict when they changed it', () => {
    const before = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]);
    const after = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x02, 0x03]);
    const clean = rebaseChange({ path: 'logo.png', before, after }, Buffer.from(before));
    assert.equal(clean.kind, 'binary');
    assert.deepEqual(clean.hunks[0].lines, ['-(binary, 6 bytes)', '+(binary, 7 bytes)']);
    assert.ok(applyRebased(clean, new Set([0])).content?.equals(after));
    const theirs = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x09]);
    const changed = rebaseChange({ path: 'logo.png', before, after }, theirs);
    assert.match(changed.hunks[0].conflict ?? '', /binary file you changed/);
    assert.ok(applyRebased(changed, new Set([0])).content?.equals(theirs));
  });

  it('invalid UTF-8 counts as binary (a text round trip would change its bytes)', () => {
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]);
    const file = rebaseChange({ path: 'l1.txt', before: latin1, after: Buffer.from([0x63, 0x61, 0x66, 0xe8, 0x0a]) }, latin1);
    assert.equal(file.kind, 'binary');
    assert.ok(applyRebased(file, new Set([0])).content?.equals(Buffer.from([0x63, 0x61, 0x66, 0xe8, 0x0a])));
  });

  it('two insertions at the same place by task and person conflict; at different places both survive', () => {
    const start = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const same = rebaseChange({ path: 'x', before: b(start), after: b(start.replace('d\n', 'd\nagent\n')) }, b(start.replace('d\n', 'd\nperson\n')));
    assert.ok(same.hunks[0].conflict);
    const apart = rebaseChange({ path: 'x', before: b(start), after: b(start.replace('b\n', 'b\nagent\n')) }, b(start.replace('g\n', 'g\nperson\n')));
    assert.equal(applied(apart), 'a\nb\nagent\nc\nd\ne\nf\ng\nperson\nh\n');
  });
});
