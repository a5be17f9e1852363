// The queue store and its locks on real temporary folders: entries persisted atomically and listed in order, ids
// resolved by prefix, damaged files named and kept, locks that a live runner keeps and a dead one loses, cancels.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireLock, currentOwner, ownerIsAlive, readLock, releaseLock, type LockOwner } from '../../../src/agent/queue/locks';
import { QueueError, QueueStore } from '../../../src/agent/queue/store';

describe('queue store', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-queue-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('persists one file per entry, git-ignored, and lists them oldest first', () => {
    const store = new QueueStore(root);
    const a = store.add({ goal: 'first', testCommand: 'npm test', args: ['--max-steps=3'] }, new Date('2026-01-01T00:00:01Z'));
    const b = store.add({ goal: 'second' }, new Date('2026-01-01T00:00:00Z'));
    assert.equal(fs.readFileSync(path.join(root, '.patchpilot/queue/.gitignore'), 'utf8'), '*\n');
    assert.deepEqual(new QueueStore(root).list().entries.map((entry) => entry.goal), ['second', 'first'], 'a new store reads what the old one wrote');
    assert.deepEqual(store.get(a.id)!.args, ['--max-steps=3']);
    assert.equal(store.get(a.id)!.testCommand, 'npm test');
    assert.equal(store.get(b.id)!.state, 'queued');
    assert.deepEqual(fs.readdirSync(store.dir).filter((name) => name.endsWith('.tmp')), [], 'no temp files left by the atomic writes');
  });

  it('refuses an empty goal and resolves ids by a unique prefix, with clear errors otherwise', () => {
    const store = new QueueStore(root);
    assert.throws(() => store.add({ goal: '  ' }), QueueError);
    const a = store.add({ goal: 'a' }, new Date('2026-01-01T00:00:00Z'));
    store.add({ goal: 'b' }, new Date('2026-01-02T00:00:00Z'));
    assert.equal(store.resolve(a.id.slice(0, 14)).id, a.id);
    assert.throws(() => store.resolve('q-2026'), /matches 2 queued tasks/);
    assert.throws(() => store.resolve('q-nope'), /No queued task "q-nope"/);
    assert.equal(store.get('../../etc/passwd'), null, 'an id is never a path');
  });

  it('names a damaged entry file instead of dropping or deleting it', () => {
    const store = new QueueStore(root);
    store.add({ goal: 'fine' });
    const bad = path.join(store.dir, 'q-20260101-000000-000-abcdef.json');
    fs.writeFileSync(bad, '{"version": 1, "id": ');
    const listing = store.list();
    assert.deepEqual(listing.entries.map((entry) => entry.goal), ['fine']);
    assert.deepEqual(listing.damaged, [bad]);
    assert.ok(fs.existsSync(bad));
  });

  it('cancels a queued entry at once, and a running one through a marker its runner sees', () => {
    const store = new QueueStore(root);
    const queued = store.add({ goal: 'queued' });
    assert.equal(store.cancel(queued.id).entry.state, 'cancelled');
    assert.throws(() => store.cancel(queued.id), /already cancelled/);

    const running = store.add({ goal: 'running' });
    const otherRunner: LockOwner = { ...currentOwner(), pid: process.pid + 100000 };
    const live = new QueueStore(root, () => true); // every lock holder counts as alive
    assert.equal(live.claim(running.id, otherRunner).acquired, true);
    const result = live.cancel(running.id);
    assert.equal(result.pending, true);
    assert.equal(live.cancelRequested(running.id), true);
    assert.equal(live.get(running.id)!.state, 'queued', 'the runner, not the canceller, writes the entry');
  });
});

describe('queue locks', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-lock-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const owner = (pid: number): LockOwner => ({ pid, startTime: null, host: os.hostname(), acquiredAt: '' });

  it('is exclusive while its owner lives, and is taken over once the owner is dead', () => {
    const file = path.join(dir, 'entry.lock');
    const alive = new Set([1001]);
    const isAlive = (o: LockOwner) => alive.has(o.pid);
    assert.deepEqual(acquireLock(file, isAlive, owner(1001)), { acquired: true, tookOverFrom: null });
    const second = acquireLock(file, isAlive, owner(1002));
    assert.equal(second.acquired, false);
    assert.equal(second.acquired === false && second.heldBy?.pid, 1001);
    alive.delete(1001);
    const takeover = acquireLock(file, isAlive, owner(1002));
    assert.equal(takeover.acquired && takeover.tookOverFrom?.pid, 1001);
    assert.equal(readLock(file)!.pid, 1002);
    assert.deepEqual(fs.readdirSync(dir), ['entry.lock'], 'the stale lock moved aside is gone');
  });

  it('releases only its own lock', () => {
    const file = path.join(dir, 'entry.lock');
    acquireLock(file, () => true, owner(2001));
    releaseLock(file, { pid: 2002 });
    assert.equal(readLock(file)!.pid, 2001);
    releaseLock(file, { pid: 2001 });
    assert.equal(fs.existsSync(file), false);
  });

  it('treats a lock file still being written as held, but one left empty for long as abandoned', () => {
    const file = path.join(dir, 'entry.lock');
    fs.writeFileSync(file, '');
    assert.equal(acquireLock(file, () => false, owner(3001)).acquired, false, 'fresh and unreadable: someone is writing it');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    assert.equal(acquireLock(file, () => false, owner(3001)).acquired, true);
  });

  it('knows this process is alive, a pid with another start time is not (pid reuse), and a dead pid is not', () => {
    const me = currentOwner();
    assert.equal(ownerIsAlive(me), true);
    if (me.startTime !== null) assert.equal(ownerIsAlive({ ...me, startTime: String(Number(me.startTime) + 1) }), false);
    assert.equal(ownerIsAlive({ ...me, pid: 2 ** 22 + 12345 }), false);
  });
});
