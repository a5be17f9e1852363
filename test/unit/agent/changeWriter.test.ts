// Writing the agent's changes: review per hunk with reasons, stale-write protection, exact undo and hunk rejection.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionChangeWriter } from '../../../src/agent/changeWriter';
import { Journal } from '../../../src/agent/journal';
import { PathPolicy } from '../../../src/agent/policy/pathPolicy';
import type { Approver, ChangeReview, ProposedFileChange } from '../../../src/agent/ports';
import { TestFileGuard } from '../../../src/agent/policy/testFiles';
import { secretMarker } from '../../../src/agent/policy/secretMasker';
import { writeFileTool } from '../../../src/tools/writeFile';
import { ChangeSet } from '../../../src/tools/changes/changeSet';
import { NodeWorkspace } from '../../../src/tools/workspace/nodeWorkspace';

const BEFORE = ['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6', 'line 7', 'line 8', 'line 9', 'line 10', 'line 11', 'line 12'].join('\n') + '\n';
const AFTER = BEFORE.replace('line 2\n', 'LINE TWO\n').replace('line 11\n', 'LINE ELEVEN\n');

/** An approver that answers from a table and remembers what it was shown. */
class TableApprover implements Approver {
  shown: ProposedFileChange[][] = [];
  constructor(private readonly decide: (change: ProposedFileChange) => ChangeReview['files'][number]) {}
  async reviewChanges(request: { changes: ProposedFileChange[] }): Promise<ChangeReview> {
    this.shown.push(request.changes);
    return { files: request.changes.map((c) => this.decide(c)) };
  }
  async approveCommand() {
    return { approved: false };
  }
}

describe('change writer and change set', () => {
  let root: string;
  let journal: Journal;
  let checkpoints: number;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pp-writer-'));
    writeFileSync(join(root, 'a.txt'), BEFORE);
    journal = new Journal(join(root, '..', `${root.split('/').pop()}.jsonl`), { now: () => 0 });
    checkpoints = 0;
  });
  afterEach(() => {
    journal.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(journal.path, { force: true });
  });

  function writer(approver: Approver, review: boolean, testGuard?: TestFileGuard) {
    const workspace = new NodeWorkspace(root, new PathPolicy(root));
    const changeSet = new ChangeSet(workspace);
    const w = new SessionChangeWriter({
      taskId: 't', workspace, changeSet, approver, review, journal, signal: new AbortController().signal,
      ensureCheckpoint: async () => { checkpoints++; }, testGuard,
    });
    return { w, changeSet };
  }

  it('writes exactly the accepted hunk and returns the reason of the rejected one', async () => {
    const approver = new TableApprover((c) => ({ path: c.path, hunks: [{ index: 0, accepted: true }, { index: 1, accepted: false, reason: 'keep eleven lower-case' }] }));
    const { w } = writer(approver, true);
    const result = await w.apply([{ path: 'a.txt', before: BEFORE, after: AFTER }], 'Edit a.txt');
    assert.equal(approver.shown[0][0].hunks.length, 2);
    assert.equal(readFileSync(join(root, 'a.txt'), 'utf8'), BEFORE.replace('line 2\n', 'LINE TWO\n'));
    assert.ok(result.ok);
    assert.match(result.ok ? result.output : '', /keep eleven lower-case/);
    assert.equal(checkpoints, 1);
  });

  it('writes nothing when every hunk is rejected, and says so as an error', async () => {
    const approver = new TableApprover((c) => ({ path: c.path, hunks: c.hunks.map((h) => ({ index: h.index, accepted: false, reason: 'no' })) }));
    const { w } = writer(approver, true);
    const result = await w.apply([{ path: 'a.txt', before: BEFORE, after: AFTER }], 'Edit a.txt');
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.code, 'rejected_by_user');
    assert.equal(readFileSync(join(root, 'a.txt'), 'utf8'), BEFORE);
    assert.equal(checkpoints, 0);
  });

  it('refuses to overwrite a file someone changed since the agent read it', async () => {
    const { w } = writer(new TableApprover(() => ({ path: '', hunks: [] })), false);
    w.noteRead('a.txt', BEFORE);
    writeFileSync(join(root, 'a.txt'), BEFORE + 'typed by the person\n');
    const result = await w.apply([{ path: 'a.txt', before: BEFORE + 'typed by the person\n', after: 'whole new content\n' }], 'Rewrite');
    assert.equal(!result.ok && result.code, 'file_changed_on_disk');
    assert.equal(readFileSync(join(root, 'a.txt'), 'utf8'), BEFORE + 'typed by the person\n');
  });

  it('undoes exactly, keeps a file the person edited afterwards, and rejects single hunks', async () => {
    writeFileSync(join(root, 'b.txt'), 'b\n');
    const { w, changeSet } = writer(new TableApprover(() => ({ path: '', hunks: [] })), false);
    await w.apply([{ path: 'a.txt', before: BEFORE, after: AFTER }], 'Edit');
    await w.apply([{ path: 'new.txt', before: null, after: 'created\n' }], 'Create');
    await w.apply([{ path: 'b.txt', before: 'b\n', after: 'b changed\n' }], 'Edit b');
    writeFileSync(join(root, 'b.txt'), 'the person typed here\n');

    const partial = await changeSet.rejectHunks('a.txt', [1]);
    assert.deepEqual(partial.restored, ['a.txt']);
    assert.equal(readFileSync(join(root, 'a.txt'), 'utf8'), BEFORE.replace('line 2\n', 'LINE TWO\n'));

    const report = await changeSet.undoAll();
    assert.deepEqual(report.restored.sort(), ['a.txt', 'new.txt']);
    assert.deepEqual(report.skipped.map((s) => s.path), ['b.txt']);
    assert.equal(readFileSync(join(root, 'a.txt'), 'utf8'), BEFORE);
    assert.ok(!existsSync(join(root, 'new.txt')));
    assert.equal(readFileSync(join(root, 'b.txt'), 'utf8'), 'the person typed here\n');
  });

  describe('what is never written', () => {
    const acceptAll = new TableApprover((c) => ({ path: c.path, hunks: c.hunks.map((h) => ({ index: h.index, accepted: true })) }));

    it('refuses an existing test file under auto with the reason, writes nothing, and lets a new test file through', async () => {
      writeFileSync(join(root, 'a.test.js'), 'assert(add(1, 2) === 3)\n');
      const guard = new TestFileGuard(root, ['a.txt', 'a.test.js'], () => null);
      const { w } = writer(acceptAll, false, guard);
      const refused = await w.apply([{ path: 'a.test.js', before: 'assert(add(1, 2) === 3)\n', after: 'assert(true)\n' }], 'Weaken the test');
      assert.equal(refused.ok, false);
      assert.equal(!refused.ok && refused.code, 'test_file_protected');
      assert.equal(readFileSync(join(root, 'a.test.js'), 'utf8'), 'assert(add(1, 2) === 3)\n');
      const added = await w.apply([{ path: 'b.test.js', before: null, after: 'new test\n' }], 'Add a test');
      assert.equal(added.ok, true);
    });

    it('refuses content that writes a masked-secret marker back over the real value', async () => {
      const { w } = writer(acceptAll, false);
      const result = await w.apply([{ path: 'a.txt', before: BEFORE, after: BEFORE + `token = ${secretMarker('.env:TOKEN')}\n` }], 'Rewrite');
      assert.equal(!result.ok && result.code, 'secret_marker');
      assert.equal(readFileSync(join(root, 'a.txt'), 'utf8'), BEFORE);
    });

    it('write_file refuses to overwrite a file the agent has not read, and allows it once read', async () => {
      const { w } = writer(acceptAll, false);
      const workspace = new NodeWorkspace(root, new PathPolicy(root));
      const context = { workspace, writer: w } as unknown as Parameters<typeof writeFileTool.run>[1];
      const blind = await writeFileTool.run({ path: 'a.txt', content: 'replaced\n' }, context);
      assert.equal(!blind.ok && blind.code, 'not_read_first');
      assert.equal(readFileSync(join(root, 'a.txt'), 'utf8'), BEFORE);
      w.noteRead('a.txt', BEFORE);
      const informed = await writeFileTool.run({ path: 'a.txt', content: 'replaced\n' }, context);
      assert.equal(informed.ok, true);
      const created = await writeFileTool.run({ path: 'new.txt', content: 'fresh\n' }, context);
      assert.equal(created.ok, true, 'a new file needs no reading');
    });
  });
});
