// Flaky or failing, what one selected run says, git bisect's answers, targeted-run planning, and how the ledger and
// the verdict treat a targeted run (never verified, the unselected tests not "not run").
import * as assert from 'node:assert/strict';
import { classifyTest, outcomeFor, parseBisectOutput, parseCommitShow, selectionRan } from '../../../src/agent/triage/classify';
import { TargetedRuns } from '../../../src/agent/triage/targeted';
import { formatTriage } from '../../../src/agent/triage/triage';
import { TestLedger } from '../../../src/agent/verdict/ledger';
import { decideVerdict } from '../../../src/agent/verdict/verdict';
import type { TestRunRecord } from '../../../src/tools/types';

function run(failing: string[], passing: string[] = [], extra: Partial<TestRunRecord> = {}): TestRunRecord {
  return {
    command: 'npx mocha', exitCode: failing.length ? 1 : 0, timedOut: false, runner: 'mocha',
    failures: failing.map((name) => ({ name, file: 'test/a.test.js', line: 1, message: 'boom' })),
    passed: passing.length, failed: failing.length, skipped: 0, todo: 0,
    tests: [...failing.map((name) => ({ name, file: null, status: 'failed' as const })), ...passing.map((name) => ({ name, file: null, status: 'passed' as const }))],
    output: '', ...extra,
  };
}

describe('triage classification', () => {
  it('reads one selected run for one test', () => {
    assert.equal(outcomeFor('a', run(['a'])), 'failed');
    assert.equal(outcomeFor('a', run([], ['a'])), 'passed');
    assert.equal(outcomeFor('a', run([], ['other'])), 'not_selected', 'the filter picked another test');
    assert.equal(outcomeFor('a', run([], [])), 'not_selected', 'a filter that matched nothing is not a pass');
    assert.equal(outcomeFor('a', { ...run([], []), tests: undefined, passed: 0, failed: 0 }), 'not_selected');
    assert.equal(outcomeFor('a', { ...run([], []), tests: undefined, passed: 1, failed: 0 }), 'passed', 'counts only (jest): one passed, none failed');
    assert.equal(outcomeFor('a', { ...run([], []), tests: undefined, passed: null, failed: null, exitCode: 1 }), 'inconclusive');
    assert.equal(outcomeFor('a', { ...run(['a']), timedOut: true, exitCode: null }), 'inconclusive');
  });

  it('flaky when it passes alone or on a re-run; failing only when it fails every time', () => {
    assert.deepEqual(classifyTest(['passed']), { kind: 'flaky', evidence: 'passed_alone', runs: 1 });
    assert.deepEqual(classifyTest(['failed', 'passed']), { kind: 'flaky', evidence: 'passed_on_rerun', runs: 2 });
    assert.deepEqual(classifyTest(['failed', 'failed']), { kind: 'failing', evidence: 'failed_alone', runs: 2 });
    assert.equal(classifyTest(['not_selected']).kind, 'not_isolated');
    assert.equal(classifyTest(['inconclusive']).kind, 'not_isolated');
    assert.equal(classifyTest([]).kind, 'not_isolated');
  });

  it('a selection that ran nothing is told apart from one that ran', () => {
    assert.equal(selectionRan(run([], [])), false);
    assert.equal(selectionRan(run(['a'])), true);
    assert.equal(selectionRan({ ...run([], []), tests: undefined, passed: null, failed: null }), false);
  });

  it('parses git bisect: the first bad commit, candidates among skips, or go on', () => {
    const sha = 'a'.repeat(40);
    assert.deepEqual(parseBisectOutput(`${sha} is the first bad commit\ncommit ${sha}\nAuthor: T <t@x>\n\n    break it\n`), { kind: 'found', commit: sha });
    const skipped = `There are only 'skip'ped commits left to test.\nThe first bad commit could be any of:\n${'b'.repeat(40)}\n${'c'.repeat(40)}\nWe cannot bisect more!\n`;
    assert.deepEqual(parseBisectOutput(skipped), { kind: 'ambiguous', candidates: ['b'.repeat(40), 'c'.repeat(40)] });
    assert.deepEqual(parseBisectOutput('Bisecting: 3 revisions left to test after this (roughly 2 steps)\n[abc] msg\n'), { kind: 'continue' });
    assert.deepEqual(parseBisectOutput('fatal: something'), { kind: 'unknown' });
  });

  it('parses the culprit commit and bounds its diff', () => {
    const sha = 'd'.repeat(40);
    const shown = `${sha}\nAda\n2026-01-02T03:04:05+00:00\nBreak add\n\n src/math.js | 2 +-\n\ndiff --git a/src/math.js b/src/math.js\n-  return a + b;\n+  return a - b;\n`;
    const info = parseCommitShow(shown, 20);
    assert.equal(info?.commit, sha);
    assert.equal(info?.subject, 'Break add');
    assert.equal(info?.diff.length, 20);
    assert.equal(info?.diffTruncated, true);
    assert.equal(parseCommitShow('not a commit', 100), null);
  });

  it('the first prompt names failing, flaky and culprit compactly', () => {
    const text = formatTriage({ runner: 'mocha', filterUnavailable: null, runs: 5, durationMs: 1200, capped: ['isolated 8 of 9 failing tests'],
      failing: [{ name: 'math add', file: 'test/m.js', line: 3, message: 'expected 3', isolation: 'failed_alone', runs: 2 }],
      flaky: [{ name: 'clock tick', file: null, evidence: 'passed_alone', runs: 1 }],
      culprits: [{ test: 'math add', commit: 'e'.repeat(40), subject: 'Break add', author: 'Ada', date: '2026-01-02', diff: '-a\n+b', note: 'found by git bisect', runs: 4 }] });
    assert.match(text, /math add \(test\/m\.js:3\): expected 3 — fails when run by itself \(2\/2 runs\)/);
    assert.match(text, /Flaky[^\n]*do not change code[^\n]*\n- clock tick: passed when run by itself/);
    assert.match(text, /Culprit of math add: commit eeeeeeeeeeee "Break add"/);
    assert.match(text, /Bound reached: isolated 8 of 9/);
  });
});

describe('targeted runs', () => {
  const options = { testCommand: 'npx mocha', packageScript: () => null };

  it('targets the failing tests of the last full run, leaving flaky ones out', () => {
    const targeting = new TargetedRuns(options);
    assert.deepEqual(targeting.plan(), { kind: 'full', note: null }, 'nothing ran yet');
    targeting.setFlaky(['flaky one']);
    targeting.noteRun(run(['a b', 'flaky one'], ['c']));
    const plan = targeting.plan();
    assert.equal(plan.kind, 'targeted');
    assert.deepEqual(plan.kind === 'targeted' && plan.selected, ['a b']);
    assert.equal(plan.kind === 'targeted' && plan.command, `npx mocha --grep '^(?:a b)$'`);
  });

  it('runs the full suite once the selection passes, after a pass, on a suite error, or without a filter', () => {
    const targeting = new TargetedRuns(options);
    targeting.noteRun(run(['a']));
    targeting.noteRun({ ...run([], ['a']), command: `npx mocha --grep '^(?:a)$'`, targeted: { selected: ['a'] } });
    const after = targeting.plan();
    assert.equal(after.kind, 'full');
    assert.match(after.kind === 'full' ? after.note ?? '' : '', /selected last time pass/);
    targeting.noteRun(run([], ['a']));
    assert.deepEqual(targeting.plan(), { kind: 'full', note: null });
    const crashed = new TargetedRuns(options);
    crashed.noteRun({ ...run(['a']), failures: [{ name: 'test/a.js', file: 'test/a.js', line: null, message: 'SyntaxError', kind: 'suite-error' }] });
    assert.equal(crashed.plan().kind, 'full');
    const unfilterable = new TargetedRuns({ testCommand: 'make test', packageScript: () => null });
    unfilterable.noteRun({ ...run(['a']), command: 'make test' });
    const plan = unfilterable.plan();
    assert.equal(plan.kind, 'full');
    assert.match(plan.kind === 'full' ? plan.note ?? '' : '', /could not be selected: `make` is not a test runner/);
    const disabled = new TargetedRuns(options);
    disabled.noteRun(run(['a']));
    disabled.disable('the filter selected no tests');
    assert.equal(disabled.plan().kind, 'full');
  });

  it('a targeted run is never verified, even when it passes', () => {
    const targeted = { ...run([], ['a']), targeted: { selected: ['a'] } };
    const verdict = decideVerdict({ testCommand: 'npx mocha', run: targeted, step: null, baseline: null, testChanges: [] });
    assert.equal(verdict.status, 'failing');
    assert.match(verdict.summary, /targeted run/);
  });

  it('the ledger: unselected tests are not "not run", fixed only among the selected, progress judged on the selection', () => {
    const ledger = new TestLedger();
    ledger.add(run(['a', 'b', 'flaky'], ['c']), false, 's1');
    const same = ledger.add({ ...run(['a', 'b'], []), targeted: { selected: ['a', 'b'] } }, false, 's2');
    assert.deepEqual(same.notRun, []);
    assert.deepEqual(same.fixed, [], 'flaky was not selected: not fixed');
    assert.equal(same.progress, false, 'the same failures among the selected tests');
    const better = ledger.add({ ...run(['b'], ['a']), targeted: { selected: ['a', 'b'] } }, false, 's3');
    assert.deepEqual(better.fixed, ['a']);
    assert.equal(better.progress, true);
    const full = ledger.add(run(['b', 'flaky'], ['a', 'c']), true, 's4');
    assert.equal(full.progress, true, 'the full run is compared with the last full run');
    assert.deepEqual(full.notRun, []);
  });
});
