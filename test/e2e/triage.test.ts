// Triage and targeted re-runs end to end: the real CLI, a scripted model over real HTTP, a real git history (a good
// commit, the commit that breaks `sub`, later commits) and node's own test runner. Triage must name the flaky test
// and the culprit commit before the first model call; run_tests must run the runner's filter; finish the full suite.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupAll, git, readReport, requestText, runCli, scripted, taskArgs } from './support/harness';

const TEST_COMMAND = 'node --test test/';
/** node takes options only before its files: the filter goes right after --test. */
const FILTER_COMMAND = `node --test --test-name-pattern '^(?:sub subtracts)$' test/`;

interface JournalEvent { type: string; run?: { command: string; targeted?: { selected: string[] }; exitCode: number | null }; verification?: boolean; command?: string; purpose?: string; outcome?: string; test?: string }

function write(dir: string, path: string, text: string): void {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
}

/** A repository with history: `sub` works in the first commit, the second breaks it, two more change other things. */
function repoWithHistory(): { dir: string; culprit: string; head: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pp-e2e-triage-'));
  git(dir, 'init', '-q');
  write(dir, '.gitignore', '.patchpilot/\n.flaky-seen\n');
  write(dir, 'src/math.js', 'exports.add = (a, b) => a + b;\nexports.sub = function sub(a, b) {\n  return a - b;\n};\n');
  write(dir, 'test/math.test.js', "const test = require('node:test');\nconst assert = require('node:assert');\nconst m = require('../src/math');\n"
    + "test('add sums', () => assert.equal(m.add(2, 3), 5));\ntest('sub subtracts', () => assert.equal(m.sub(5, 3), 2));\n");
  // Fails the first time it ever runs in this folder, passes after: the shape of a flaky test, deterministically.
  write(dir, 'test/flaky.test.js', "const test = require('node:test');\nconst fs = require('node:fs');\nconst path = require('node:path');\n"
    + "test('clock is warm', () => {\n  const seen = path.join(__dirname, '..', '.flaky-seen');\n  if (!fs.existsSync(seen)) { fs.writeFileSync(seen, '1'); throw new Error('cold clock'); }\n});\n");
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'Math with tests');
  write(dir, 'src/math.js', 'exports.add = (a, b) => a + b;\nexports.sub = function sub(a, b) {\n  return a + b;\n};\n');
  git(dir, 'commit', '-qam', 'Refactor sub');
  const culprit = git(dir, 'rev-parse', 'HEAD').trim();
  write(dir, 'README.md', '# math\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'Add a readme');
  write(dir, 'src/util.js', 'exports.id = (x) => x;\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'Add util');
  return { dir, culprit, head: git(dir, 'rev-parse', 'HEAD').trim() };
}

function journal(dir: string, taskId: string): JournalEvent[] {
  return readFileSync(join(dir, '.patchpilot', 'tasks', `${taskId}.jsonl`), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as JournalEvent);
}

describe('triage and targeted re-runs (CLI, scripted model over HTTP)', function () {
  this.timeout(120_000);
  let dir = '';
  afterEach(async () => {
    await cleanupAll();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('names the flaky test and the culprit commit in the first prompt, re-runs only the failing test, verifies on the full suite', async () => {
    const repo = repoWithHistory();
    dir = repo.dir;
    const fix = { path: 'src/math.js', edits: [{ search: '  return a + b;\n};', replace: '  return a - b;\n};' }] };
    const server = await scripted({ turns: [
      { expect: ['Triage before your first step', 'sub subtracts', 'fails when run by itself (2/2 runs)', 'clock is warm (test/flaky.test.js): passed when run by itself',
        `Culprit of sub subtracts: commit ${repo.culprit.slice(0, 12)} "Refactor sub"`, '+  return a + b;'],
        tool_calls: [{ name: 'edit_file', arguments: fix }, { name: 'run_tests', arguments: {} }] },
      { expect: ['Targeted run: only the 1 test(s) that failed in the last full run were selected (`sub subtracts`)'],
        tool_calls: [{ name: 'finish', arguments: { summary: 'sub subtracts again; clock is warm is flaky' } }] },
    ] });
    const run = await runCli(['fix-tests', ...taskArgs(repo.dir, server, ['--test', TEST_COMMAND, '--bisect', '--bisect-depth', '10'])]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const report = readReport(repo.dir) as unknown as Omit<ReturnType<typeof readReport>, 'testRuns'> & { triage: {
      failing: { name: string; isolation: string; runs: number }[]; flaky: { name: string; evidence: string }[];
      culprits: { test: string; commit: string | null; subject?: string; diff?: string; note: string }[]; runs: number; capped: string[] } | null;
      testRuns: { command: string; targeted?: { selected: string[] }; exitCode: number | null }[] };
    assert.equal(report.status, 'verified');

    // Triage: one real failure (failed alone twice), one flaky, the breaking commit with its diff.
    const triage = report.triage;
    assert.ok(triage, 'the report has triage');
    assert.deepEqual(triage.failing.map((f) => [f.name, f.isolation, f.runs]), [['sub subtracts', 'failed_alone', 2]]);
    assert.deepEqual(triage.flaky.map((f) => [f.name, f.evidence]), [['clock is warm', 'passed_alone']]);
    assert.equal(triage.culprits.length, 1);
    assert.equal(triage.culprits[0].commit, repo.culprit);
    assert.equal(triage.culprits[0].subject, 'Refactor sub');
    assert.match(triage.culprits[0].diff ?? '', /^\+ {2}return a \+ b;$/m);
    // It came before the first model call: the first request carried it.
    assert.match(requestText(server, 0), /Triage before your first step/);

    // The person's repository is as it was: HEAD, no bisection of theirs, no leftover worktree.
    assert.equal(git(repo.dir, 'rev-parse', 'HEAD').trim(), repo.head);
    assert.equal(existsSync(join(repo.dir, '.git', 'BISECT_LOG')), false, 'no bisection in the person\'s tree');
    assert.equal(git(repo.dir, 'for-each-ref', 'refs/bisect'), '');
    assert.equal(git(repo.dir, 'worktree', 'list').trim().split('\n').length, 1);

    // Every triage run went through the gates as a sandboxed test command, with the runner's own filter.
    const events = journal(repo.dir, report.taskId);
    const filterCommand = FILTER_COMMAND;
    const triageRuns = events.filter((e) => e.type === 'triage_run');
    assert.ok(triageRuns.some((e) => e.purpose === 'bisect'), JSON.stringify(triageRuns));
    assert.ok(triageRuns.filter((e) => e.test === 'sub subtracts').every((e) => e.command === filterCommand));
    const commandRuns = events.filter((e) => e.type === 'command_run');
    assert.equal(commandRuns.filter((e) => e.command === filterCommand).length, triageRuns.filter((e) => e.test === 'sub subtracts').length + 1,
      'each isolation and bisection run, plus the targeted run, ran that exact command');
    assert.ok(commandRuns.every((e) => e.purpose === 'test'));

    // run_tests was targeted (the filter really ran), finish ran the full suite and that decided the verdict.
    const testRuns = events.filter((e) => e.type === 'test_run');
    const targeted = testRuns.filter((e) => e.run?.targeted);
    assert.equal(targeted.length, 1);
    assert.equal(targeted[0].run?.command, filterCommand);
    assert.deepEqual(targeted[0].run?.targeted?.selected, ['sub subtracts']);
    assert.equal(targeted[0].verification, false);
    const last = testRuns.at(-1);
    assert.equal(last?.verification, true);
    assert.equal(last?.run?.command, TEST_COMMAND);
    assert.equal(last?.run?.targeted, undefined);
    assert.equal(report.testRuns.at(-1)?.command, TEST_COMMAND);
    assert.equal(report.testRuns.length, 3, 'the triage full run (baseline), the targeted run, the verification');
  });

  it('--no-targeted-runs: run_tests runs the full suite; --no-triage: no triage', async () => {
    const repo = repoWithHistory();
    dir = repo.dir;
    const server = await scripted({ turns: [
      { absent: ['Triage before your first step'], tool_calls: [{ name: 'run_tests', arguments: {} }] },
      { absent: ['Targeted run'], expect: ['sub subtracts'], tool_calls: [{ name: 'run_tests', arguments: {} }] },
      { absent: ['Targeted run'], tool_calls: [{ name: 'finish', arguments: { summary: 'gave up' } }] },
    ] });
    await runCli(['fix-tests', ...taskArgs(repo.dir, server, ['--test', TEST_COMMAND, '--no-triage', '--no-targeted-runs', '--max-steps', '3'])]);
    const report = readReport(repo.dir) as unknown as { triage: unknown; testRuns: { command: string }[] };
    assert.equal(report.triage, null);
    assert.ok(report.testRuns.length >= 2);
    assert.ok(report.testRuns.every((r) => r.command === TEST_COMMAND), JSON.stringify(report.testRuns.map((r) => r.command)));
  });
});
