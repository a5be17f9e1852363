// Watch mode: the tests run after file changes (debounced, one run at a time, a change during a run queues one more),
// and when they turn from passing to failing a fix is proposed — by a task in a worktree, through the `propose` port,
// so the person's files are never written. Proposals are capped and back off after failures (see timing.ts).
// Failing at start proposes nothing unless `proposeOnStart` is set: the person may be in the middle of a change, and
// watch mode is about what a change broke. No vscode import: the VS Code side drives the same loop.
import type { TestFailure } from '../../tools/testparse/types';
import { Debouncer, ProposalPolicy, realTimers, type ProposalDecision, type ProposalPolicyOptions, type Timers } from './timing';

export interface TestVerdict {
  passed: boolean;
  /** Identifies the failure (the failing tests and their messages): the same failure gets the same signature. */
  signature: string;
  failures: TestFailure[];
  exitCode: number | null;
  /** The run was stopped (watch mode ends): not a verdict. */
  cancelled: boolean;
}

export type ProposalTrigger = 'turned_red' | 'red_at_start' | 'failure_changed' | 'retry';

export interface ProposalRequest {
  signature: string;
  failures: TestFailure[];
  trigger: ProposalTrigger;
  /** 1 for the first proposal of the session. */
  number: number;
}

export interface ProposalResult {
  /** The task's status; only 'verified' counts as a fix. */
  status: 'verified' | 'unverified' | 'failed' | 'stopped';
  /** The patch written for review, when the task fixed the tests. */
  patchPath: string | null;
  files: string[];
  summary: string;
  taskId: string | null;
}

export interface WatchPorts {
  runTests(signal: AbortSignal): Promise<TestVerdict>;
  propose(request: ProposalRequest, signal: AbortSignal): Promise<ProposalResult>;
  /** Starts reporting changed paths (root-relative); returns how to stop. */
  watch(onChange: (relative: string) => void): { close(): void };
  timers?: Timers;
  now?: () => number;
}

export interface WatchOptions {
  debounceMs: number;
  proposeOnStart: boolean;
  policy: ProposalPolicyOptions;
}

export type WatchEvent =
  | { type: 'tests_started'; trigger: 'start' | 'change'; changed: string[] }
  | { type: 'tests_finished'; verdict: TestVerdict; previouslyPassed: boolean | null }
  | { type: 'proposal_started'; request: ProposalRequest }
  | { type: 'proposal_finished'; request: ProposalRequest; result: ProposalResult }
  | { type: 'proposal_failed'; request: ProposalRequest; error: string }
  | { type: 'proposal_held'; signature: string; decision: Extract<ProposalDecision, { propose: false }> }
  | { type: 'stopped' };

export class TestWatch {
  private readonly debouncer: Debouncer;
  private readonly policy: ProposalPolicy;
  private readonly abort = new AbortController();
  private readonly changed = new Set<string>();
  private watcher: { close(): void } | null = null;
  private testRun: Promise<void> | null = null;
  private rerun = false;
  private proposal: Promise<void> | null = null;
  private lastPassed: boolean | null = null;
  private lastSignature: string | null = null;
  /** Set once a red episode is one we propose for (it began with a change that broke the tests, or at start if asked). */
  private proposing = false;
  private stopped = false;

  constructor(private readonly ports: WatchPorts, private readonly options: WatchOptions, private readonly onEvent: (event: WatchEvent) => void = () => undefined) {
    this.debouncer = new Debouncer(options.debounceMs, () => this.requestRun('change'), ports.timers ?? realTimers);
    this.policy = new ProposalPolicy(options.policy);
  }

  /** Starts watching and runs the tests once; resolves when that first run is done. */
  async start(): Promise<void> {
    this.watcher = this.ports.watch((relative) => {
      if (this.stopped) return;
      this.changed.add(relative);
      this.debouncer.poke();
    });
    this.requestRun('start');
    await this.testRun;
  }

  /** Stops watching, stops a test run and a proposal in progress, and waits for them to wind down. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.debouncer.cancel();
    this.watcher?.close();
    this.abort.abort();
    await Promise.allSettled([this.testRun, this.proposal].filter((p): p is Promise<void> => p !== null));
    this.onEvent({ type: 'stopped' });
  }

  /** Resolves when no test run or proposal is in progress (for callers that wait for quiet). */
  async idle(): Promise<void> {
    while (this.testRun || this.proposal) await Promise.allSettled([this.testRun, this.proposal]);
  }

  private requestRun(trigger: 'start' | 'change'): void {
    if (this.stopped) return;
    if (this.testRun) {
      this.rerun = true;
      return;
    }
    const changed = [...this.changed].sort();
    this.changed.clear();
    this.testRun = this.runTests(trigger, changed).finally(() => {
      this.testRun = null;
      if (this.rerun && !this.stopped) {
        this.rerun = false;
        this.requestRun('change');
      }
    });
  }

  private async runTests(trigger: 'start' | 'change', changed: string[]): Promise<void> {
    this.onEvent({ type: 'tests_started', trigger, changed });
    const verdict = await this.ports.runTests(this.abort.signal);
    if (verdict.cancelled || this.stopped) return;
    const previouslyPassed = this.lastPassed;
    const previousSignature = this.lastSignature;
    this.lastPassed = verdict.passed;
    this.lastSignature = verdict.passed ? null : verdict.signature;
    this.onEvent({ type: 'tests_finished', verdict, previouslyPassed });
    if (verdict.passed) {
      this.proposing = false;
      this.policy.testsPassed();
      return;
    }
    const proposalTrigger = this.triggerFor(previouslyPassed, previousSignature, verdict.signature);
    if (!proposalTrigger) return;
    this.maybePropose(verdict, proposalTrigger);
  }

  private triggerFor(previouslyPassed: boolean | null, previousSignature: string | null, signature: string): ProposalTrigger | null {
    if (previouslyPassed === true) {
      this.proposing = true;
      return 'turned_red';
    }
    if (previouslyPassed === null) {
      this.proposing = this.options.proposeOnStart;
      return this.proposing ? 'red_at_start' : null;
    }
    if (!this.proposing) return null;
    return signature === previousSignature ? 'retry' : 'failure_changed';
  }

  private maybePropose(verdict: TestVerdict, trigger: ProposalTrigger): void {
    if (this.proposal) return; // one at a time: the next test run after it decides again
    const now = (this.ports.now ?? Date.now)();
    const decision = this.policy.decide(verdict.signature, now);
    if (!decision.propose) {
      // A retry held back by the same waiting proposal or back-off is not news; say it once per decision change.
      if (!(trigger === 'retry' && decision.why === 'already_proposed')) this.onEvent({ type: 'proposal_held', signature: verdict.signature, decision });
      return;
    }
    this.policy.started();
    const request: ProposalRequest = { signature: verdict.signature, failures: verdict.failures, trigger, number: this.policy.proposalsMade };
    this.onEvent({ type: 'proposal_started', request });
    this.proposal = this.ports.propose(request, this.abort.signal)
      .then((result) => {
        this.policy.finished(request.signature, result.status === 'verified', (this.ports.now ?? Date.now)());
        this.onEvent({ type: 'proposal_finished', request, result });
      }, (error: unknown) => {
        this.policy.finished(request.signature, false, (this.ports.now ?? Date.now)());
        this.onEvent({ type: 'proposal_failed', request, error: error instanceof Error ? error.message : String(error) });
      })
      .finally(() => {
        this.proposal = null;
      });
  }
}
