// Watch mode's timing rules, driven by a hand-cranked clock: the debouncer fires once after a burst, the proposal
// policy caps proposals, doubles its wait after each failed one, gives a failure up after N, and waits for review.
import * as assert from 'node:assert/strict';
import { Debouncer, ProposalPolicy, type Timers } from '../../../src/agent/watch/timing';

class ManualTimers implements Timers {
  now = 0;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 1;
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.now + ms, callback, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const timer of this.timers.filter((t) => t.at <= this.now)) {
      this.clearTimeout(timer.id);
      timer.callback();
    }
  }
}

describe('watch timing', () => {
  it('debounces a burst of changes into one call, after the last change', () => {
    const timers = new ManualTimers();
    let fired = 0;
    const debouncer = new Debouncer(300, () => fired++, timers);
    debouncer.poke();
    timers.advance(200);
    debouncer.poke();
    timers.advance(200);
    assert.equal(fired, 0, 'still changing');
    timers.advance(100);
    assert.equal(fired, 1);
    timers.advance(1000);
    assert.equal(fired, 1, 'once per burst');
    debouncer.poke();
    debouncer.cancel();
    timers.advance(1000);
    assert.equal(fired, 1, 'a cancelled poke never fires');
  });

  it('doubles the wait after each failed proposal for a failure and gives it up after N in a row', () => {
    const policy = new ProposalPolicy({ maxProposals: 10, maxFailedInARow: 3, backoffMs: 1000 });
    assert.deepEqual(policy.decide('sig', 0), { propose: true });
    policy.started();
    policy.finished('sig', false, 0);
    const held = policy.decide('sig', 999);
    assert.equal(held.propose === false && held.why, 'backing_off');
    assert.equal(held.propose === false && held.retryAt, 1000);
    assert.deepEqual(policy.decide('sig', 1000), { propose: true });
    policy.started();
    policy.finished('sig', false, 1000);
    assert.equal(policy.decide('sig', 2999).propose, false, 'the second wait is twice the first');
    assert.equal(policy.decide('sig', 3000).propose, true);
    assert.deepEqual(policy.decide('other', 1001), { propose: true }, 'another failure has its own count');
    policy.started();
    policy.finished('sig', false, 3000);
    const gaveUp = policy.decide('sig', 1_000_000);
    assert.equal(gaveUp.propose === false && gaveUp.why, 'gave_up');
  });

  it('stops at the most proposals of a session, and does not propose again for a failure whose fix awaits review', () => {
    const policy = new ProposalPolicy({ maxProposals: 2, maxFailedInARow: 3, backoffMs: 1000 });
    policy.started();
    policy.finished('a', true, 0);
    const waiting = policy.decide('a', 0);
    assert.equal(waiting.propose === false && waiting.why, 'already_proposed');
    policy.testsPassed();
    assert.deepEqual(policy.decide('a', 0), { propose: true }, 'after green, the same failure again gets a proposal');
    policy.started();
    policy.finished('b', false, 0);
    const limit = policy.decide('c', 0);
    assert.equal(limit.propose === false && limit.why, 'limit_reached');
  });
});
