// edit_accuracy and testlog_accuracy: the edit engine and the test-output parsers on the peer corpora in
// ../shared/benchmarks (beside the checkout, or PATCHPILOT_BENCH_CORPUS). The measuring code lives in
// edit-accuracy.ts and testlog-accuracy.ts; this file turns their tallies into results.json entries.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { measureEditAccuracy, type Tally as EditTally } from './edit-accuracy';
import { measureExtraChecks } from './edit-accuracy-extra';
import { measureTestlogAccuracy, type Tally as LogTally } from './testlog-accuracy';
import { benchMain, repoRoot } from './support/main';
import { round, unmeasured, type BenchEntries, type BenchEntry } from './support/stats';

const corpusRoot = process.env.PATCHPILOT_BENCH_CORPUS ?? path.resolve(repoRoot, '../shared/benchmarks');

function share(part: number, whole: number): number | null {
  return whole === 0 ? null : round(part / whole, 4);
}

function editShares(t: EditTally): Record<string, unknown> {
  return { cases: t.cases, agreed: t.agreed, share: share(t.agreed, t.cases), wrong_applies: t.wrongApply + t.appliedWherePeerRejects, false_rejects: t.falseRejects, peer_version_semantics: t.peerVersion };
}

async function editEntry(): Promise<BenchEntry> {
  const dir = path.join(corpusRoot, 'edits');
  if (!fs.existsSync(dir)) return unmeasured('share', `no edit corpus at ${dir}`);
  const result = await measureEditAccuracy(dir);
  const o = result.overall;
  const extraDir = path.join(dir, 'extra');
  // Not apply cases (validate, parse, match, seek): reported apart, never mixed into the share.
  const extra = fs.existsSync(extraDir) ? measureExtraChecks(extraDir).byGroup : null;
  const bySource = Object.fromEntries(Object.entries(result.bySource).map(([source, tally]) => [source.replace(/\.jsonl$/, ''), editShares(tally)]));
  // Continue's lazy-edit expectations are rebuilt from a trimmed diff display and compared as Continue does.
  const byPeerRule = result.outcomes.filter((outcome) => outcome.comparison === 'peer-rule').length;
  return {
    value: round(o.share, 4),
    unit: 'share agreed',
    runs: 1,
    cases: o.cases,
    agreed: o.agreed,
    wrong_applies: o.wrongApplies,
    wrong_apply_content_differs: o.wrongApply,
    applied_where_peer_rejects: o.appliedWherePeerRejects,
    false_rejects: o.falseRejects,
    // Legacy-peer newline semantics documented in the corpus README: neither agreed nor wrong; shown so totals add up.
    peer_version_semantics: o.peerVersion,
    agreed_only_by_peer_comparison_rule: byPeerRule,
    by_source: bySource,
    disputed: editShares(result.disputed),
    upstream_skipped: editShares(result.upstreamSkipped),
    unsupported_cases: result.unsupported.cases,
    extra_checks: extra,
    summary: `${o.agreed}/${o.cases} cases agree with the peer (${round(100 * o.share, 1)}%; ${byPeerRule} of them only as Continue compares lazy edits, trimmed lines); WRONG APPLIES ${o.wrongApplies} (${o.wrongApply} wrote other content, ${o.appliedWherePeerRejects} applied where the peer rejects); ${o.falseRejects} false rejects; ${o.peerVersion} differ only by documented legacy-peer newline semantics; reported apart: disputed ${result.disputed.agreed}/${result.disputed.cases}, upstream-skipped ${result.upstreamSkipped.agreed}/${result.upstreamSkipped.cases}, unsupported format ${result.unsupported.cases}; deterministic, 1 run`,
  };
}

function logShares(t: LogTally): Record<string, unknown> {
  return {
    logs: t.logs, detected: t.detected, failures: t.groundTruth, found: t.found, found_share: share(t.found, t.groundTruth),
    right_file: share(t.rightFile, t.fileScored), right_line: share(t.rightLine, t.lineScored), right_message: share(t.rightMessage, t.messageScored),
    false_failures: t.falseFailures,
    // Passed/skipped/todo tests of the ground truth found in the parsed tests[] with the right status.
    non_failed: { tests: t.nonFailedScored, recovered: t.nonFailedRecovered, share: share(t.nonFailedRecovered, t.nonFailedScored), wrong_status: t.nonFailedWrongStatus },
  };
}

async function testlogEntry(): Promise<BenchEntry> {
  const dir = path.join(corpusRoot, 'testlogs');
  if (!fs.existsSync(dir)) return unmeasured('share', `no test logs at ${dir}`);
  const { overall, byRunner } = await measureTestlogAccuracy(dir);
  const pct = (part: number, whole: number): string => (whole === 0 ? '-' : `${round((100 * part) / whole, 1)}%`);
  return {
    value: share(overall.found, overall.groundTruth),
    unit: 'share found',
    runs: 1,
    ...logShares(overall),
    by_runner: Object.fromEntries(Object.entries(byRunner).map(([runner, tally]) => [runner, logShares(tally)])),
    summary: `${overall.found}/${overall.groundTruth} failures found in ${overall.logs} logs (${pct(overall.found, overall.groundTruth)}); right file ${pct(overall.rightFile, overall.fileScored)}, line ${pct(overall.rightLine, overall.lineScored)}, message ${pct(overall.rightMessage, overall.messageScored)}; ${overall.falseFailures} false failures; runner detected in ${overall.detected}/${overall.logs}; non-failed tests recovered with the right status ${overall.nonFailedRecovered}/${overall.nonFailedScored} (${pct(overall.nonFailedRecovered, overall.nonFailedScored)}), ${overall.nonFailedWrongStatus} with a wrong status; deterministic, 1 run`,
  };
}

export async function measureAccuracy(): Promise<BenchEntries> {
  return { edit_accuracy: await editEntry(), testlog_accuracy: await testlogEntry() };
}

benchMain(module, measureAccuracy);
