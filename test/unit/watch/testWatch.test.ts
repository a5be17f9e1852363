// The watch loop with scripted ports: it proposes when a change turns the tests red (not when they are red at start,
// unless asked), runs the tests one at a time with one more run for changes made during a run, and stops everything.
import * as assert from 'node:assert/strict';
import { TestWatch, type ProposalRequest, type ProposalResult, type TestVerdict, type WatchEvent, type WatchPorts } from '../../../src/agent/watch/testWatch';

const green: TestVerdict = { passed: true, signature: '', failures: [], exitCode: 0, cancelled: false };
const red = (signature: string): TestVerdict => ({ passed: false, signature, failures: [{ name: `t-${signature}`, file: 'test/a.js', line: 3, message: 'boom' }], exitCode: 1, cancelled: false });

function harness(verdicts: TestVerdict[], options: { proposeOnStart?: boolean; proposal?: Partial<ProposalResult> } = {}) {
  const events: WatchEvent[] = [];
  const proposals: ProposalRequest[] = [];
  let change: (path: string) => void = () => undefined;
  let closed = false;
  let runs = 0;
  let concurrentRuns = 0;
  let maxConcurrent = 0;
  const ports: WatchPorts = {
    runTests: async () => {
      concurrentRuns++;
      maxConcurrent = Math.max(maxConcurrent, concurrentRuns);
      await new Promise((resolve) => setTimeout(resolve, 20));
      concurrentRuns--;
      return verdicts[Math.min(runs++, verdicts.length - 1)];
    },
    propose: async (request) => {
      proposals.push(request);
      return { status: 'verified', patchPath: '/p.patch', files: ['a.js'], summary: 'fixed', taskId: 't1', ...options.proposal };
    },
    watch: (onChange) => {
      change = onChange;
      return { close: () => (closed = true) };
    },
  };
  const watch = new TestWatch(ports, { debounceMs: 5, proposeOnStart: options.proposeOnStart ?? false, policy: { maxProposals: 5, maxFailedInARow: 2, backoffMs: 0 } }, (e) => events.push(e));
  return { watch, events, proposals, change: (p: string) => change(p), isClosed: () => closed, runs: () => runs, maxConcurrent: () => maxConcurrent };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 60));

describe('watch loop', () => {
  it('proposes once when a change turns the tests from passing to failing', async () => {
    const h = harness([green, red('x'), red('x')]);
    await h.watch.start();
    assert.equal(h.proposals.length, 0, 'green at start: nothing to propose');
    h.change('src/a.js');
    await settle();
    await h.watch.idle();
    assert.deepEqual(h.proposals.map((p) => [p.trigger, p.signature, p.number]), [['turned_red', 'x', 1]]);
    h.change('src/a.js');
    await settle();
    await h.watch.idle();
    assert.equal(h.proposals.length, 1, 'the same failure with a fix awaiting review is not proposed again');
    await h.watch.stop();
    assert.equal(h.isClosed(), true);
    assert.equal(h.events[h.events.length - 1].type, 'stopped');
  });

  it('proposes nothing for tests that fail at start, unless told to', async () => {
    const quiet = harness([red('x')]);
    await quiet.watch.start();
    await quiet.watch.idle();
    assert.equal(quiet.proposals.length, 0);
    await quiet.watch.stop();
    const eager = harness([red('x')], { proposeOnStart: true });
    await eager.watch.start();
    await eager.watch.idle();
    assert.deepEqual(eager.proposals.map((p) => p.trigger), ['red_at_start']);
    await eager.watch.stop();
  });

  it('runs the tests one at a time: changes during a run cause exactly one more run', async () => {
    const h = harness([green]);
    await h.watch.start();
    h.change('a');
    await new Promise((resolve) => setTimeout(resolve, 10)); // the debounced run is under way
    h.change('b');
    h.change('c');
    await settle();
    await h.watch.idle();
    await settle();
    await h.watch.idle();
    assert.equal(h.maxConcurrent(), 1);
    assert.equal(h.runs(), 3, 'start, the first change, then one run for the changes made meanwhile');
    const changed = h.events.filter((e): e is Extract<WatchEvent, { type: 'tests_started' }> => e.type === 'tests_started').map((e) => e.changed);
    assert.deepEqual(changed, [[], ['a'], ['b', 'c']]);
    await h.watch.stop();
  });

  it('after a failed proposal it retries on a later red run, then gives the failure up', async () => {
    const h = harness([green, red('x')], { proposal: { status: 'failed', patchPath: null, files: [] } });
    await h.watch.start();
    for (let i = 0; i < 4; i++) {
      h.change('src/a.js');
      await settle();
      await h.watch.idle();
    }
    assert.deepEqual(h.proposals.map((p) => p.trigger), ['turned_red', 'retry'], 'two failed proposals in a row, then no more');
    const held = h.events.filter((e) => e.type === 'proposal_held');
    assert.ok(held.some((e) => e.type === 'proposal_held' && e.decision.why === 'gave_up'));
    await h.watch.stop();
  });
});
