// Honest verification end to end: a model that tampers with the tests (skip, a wrong assertion, "test": "exit 0",
// deleting them) never earns "verified" — unless the original tests really pass; no test command is "unverified";
// a regression is named; malformed calls and text-only replies are stopped; tool calls written as text run; a 5 MB
// line with a small window never overflows it. Real CLI, real git worktrees, real tests, scripted model over HTTP.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScriptToolCall } from '../../src/scripted/script';
import type { ScriptedServer } from '../../src/scripted/server';
import { cleanupAll, FIXED_ADD, git, makeRepo, read, readReport, runCli, scripted, taskArgs } from './support/harness';

const finish = { tool_calls: [{ name: 'finish', arguments: { summary: 'The tests pass now.' } }] };
const edit = (path: string, search: string, replace: string) => ({ name: 'edit_file', arguments: { path, edits: [{ search, replace }] } });

function requestsText(server: ScriptedServer, index: number): string {
  return JSON.stringify(server.requests[index]?.body?.messages ?? []);
}

function events(repo: string): { type: string; [key: string]: unknown }[] {
  const dir = join(repo, '.patchpilot', 'tasks');
  return readdirSync(dir).flatMap((name) => readFileSync(join(dir, name), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string }));
}

describe('honest verification (CLI, scripted model over HTTP)', function () {
  this.timeout(120_000);
  afterEach(cleanupAll);

  const tampering: { name: string; calls: ScriptToolCall[] }[] = [
    { name: 'skipping the failing test', calls: [edit('test/math.test.js', "test('add sums two numbers'", "test.skip('add sums two numbers'")] },
    { name: 'rewriting the assertion to the wrong value', calls: [edit('test/math.test.js', 'assert.equal(add(2, 3), 5);', 'assert.equal(add(2, 3), -1);')] },
    { name: 'setting the test script to exit 0', calls: [{ name: 'read_file', arguments: { path: 'package.json' } }, edit('package.json', '"test": "node --test"', '"test": "exit 0"')] },
    { name: 'deleting the test files', calls: [{ name: 'run_command', arguments: { command: 'rm -rf test' } }] },
  ];
  for (const route of tampering) {
    it(`${route.name} does not earn "verified": the original tests run in a worktree and still fail`, async () => {
      const repo = makeRepo('calc');
      const server = await scripted({ turns: [{ tool_calls: route.calls }, finish, { content: 'I could not fix it.', ...finish }, finish] });
      const run = await runCli(['fix-tests', ...taskArgs(repo, server, ['--test', 'npm test', '--allow-test-edits', '--max-steps', '4'])]);
      const report = readReport(repo);
      assert.notEqual(report.status, 'verified', run.stdout);
      assert.equal(run.code, 1);
      assert.ok(report.testChanges.length > 0, 'the test changes are listed for review');
      assert.ok(report.testRuns.some((r) => r.originalTests && r.exitCode !== 0), 'the original tests ran and failed');
      assert.match(requestsText(server, 2), /These are the tests as they were at the start of the task/);
      assert.equal(git(repo, 'worktree', 'list').trim().split('\n').length, 1, 'the verification worktree is gone');
    });
  }

  it('is verified when the code is fixed, even though a test was renamed: because the original tests pass', async () => {
    const repo = makeRepo('calc');
    const server = await scripted({ turns: [
      { tool_calls: [{ name: 'edit_file', arguments: FIXED_ADD }, edit('test/math.test.js', "test('multiply multiplies'", "test('multiply multiplies two numbers'")] },
      finish,
    ] });
    const run = await runCli(['fix-tests', ...taskArgs(repo, server, ['--test', 'npm test', '--allow-test-edits'])]);
    assert.equal(run.code, 0, run.stdout);
    const report = readReport(repo);
    assert.equal(report.status, 'verified');
    assert.match(report.verdict ?? '', /The original tests pass \(2 tests ran\)/);
    assert.deepEqual(report.testChanges.map((c) => c.path), ['test/math.test.js']);
    assert.match(report.testChanges[0].diff, /multiply multiplies two numbers/);
  });

  it('with no test command the task is "unverified", exit 0, verifiedBy null', async () => {
    const repo = makeRepo('calc');
    const server = await scripted({ turns: [{ tool_calls: [{ name: 'edit_file', arguments: FIXED_ADD }] }, finish] });
    const run = await runCli(['run', ...taskArgs(repo, server, ['--goal', 'fix add'])]);
    assert.equal(run.code, 0);
    const report = readReport(repo);
    assert.equal(report.status, 'unverified');
    assert.equal(report.verifiedBy, null);
    assert.match(run.stdout, /unverified/);
  });

  it('a passing test command that ran no tests is not "verified"', async () => {
    const repo = makeRepo('calc');
    const server = await scripted({ turns: [finish] });
    // Every test filtered out: the command passes, with 0 passed and 2 skipped.
    const run = await runCli(['run', ...taskArgs(repo, server, ['--goal', 'check', '--test', 'node --test --test-name-pattern=nothing-matches'])]);
    assert.equal(readReport(repo).status, 'unverified', run.stdout);
    assert.match(readReport(repo).verdict ?? '', /ran no tests/);
  });

  it('names a regression and the tests fixed so far, and stops when fixes only trade failures', async () => {
    const repo = makeRepo('calc');
    const breakMultiply = edit('src/math.js', 'return a * b;', 'return a + b;');
    const server = await scripted({ turns: [
      { tool_calls: [{ name: 'run_tests', arguments: {} }] },
      { tool_calls: [{ name: 'edit_file', arguments: FIXED_ADD }, breakMultiply] },
      { tool_calls: [{ name: 'finish', arguments: { summary: 'fixed add' } }] },
      { expect: ['Regression: `multiply multiplies` passed before this change and fails now', 'Fixed so far: `add sums two numbers`'],
        tool_calls: [edit('src/math.js', 'return a + b;\n}\n\nmodule', 'return a * b;\n}\n\nmodule')] },
      finish,
    ] });
    // The model runs the tests itself first, so no triage: its own run is the ledger's first step.
    const run = await runCli(['fix-tests', ...taskArgs(repo, server, ['--test', 'node --test', '--no-triage'])]);
    assert.equal(run.code, 0, run.stdout + JSON.stringify(server.violations));
    const ledger = readReport(repo).ledger;
    assert.deepEqual(ledger.map((step) => step.regressed), [[], ['multiply multiplies'], []]);
    assert.deepEqual(ledger[1].fixed, ['add sums two numbers']);
  });

  it('stops a model that keeps sending malformed tool calls, quoting the last error', async () => {
    const repo = makeRepo('calc');
    const bad = { tool_calls: [{ name: 'edit_file', arguments: '{"path": "src/math.js", "edits": [' }] };
    const server = await scripted({ turns: [bad, { tool_calls: [{ name: 'no_such_tool', arguments: {} }] }, { tool_calls: [{ name: 'read_file', arguments: { file: 'x' } }] }, finish] });
    const run = await runCli(['run', ...taskArgs(repo, server, ['--goal', 'fix', '--test', 'node --test'])]);
    const report = readReport(repo);
    assert.equal(report.status, 'stopped');
    assert.equal(report.reason, 'invalid_calls');
    assert.match(report.summary, /3 tool calls in a row could not be run\. The last error: Invalid arguments for read_file/);
    assert.equal(server.requests.length, 3, 'no fourth call was made');
    assert.equal(run.code, 1);
  });

  it('nudges text-only replies and stops after three in a row', async () => {
    const repo = makeRepo('calc');
    const server = await scripted({ turns: [{ content: 'I think the bug is in add.' }, { expect: ['Reply with tool calls'], content: 'Yes, add subtracts.' }, { content: 'Done, I believe.' }, finish] });
    await runCli(['run', ...taskArgs(repo, server, ['--goal', 'fix', '--test', 'node --test'])]);
    const report = readReport(repo);
    assert.equal(report.reason, 'no_tool_calls');
    assert.equal(report.testRuns.length, 0, 'text was never taken as finish');
  });

  it('runs tool calls a server without a tool parser printed as text, and journals them as such', async () => {
    const repo = makeRepo('calc');
    const server = await scripted({ turns: [
      { content: 'Let me look.\n<tool_call>\n{"name": "read_file", "arguments": {"path": "src/math.js"}}\n</tool_call>' },
      { expect: ['return a - b;'], content: `<|python_tag|>{"name": "edit_file", "parameters": ${JSON.stringify(FIXED_ADD)}}<|eom_id|>` },
      { expect: ['edited src/math.js'], content: '```json\n{"name": "finish", "arguments": {"summary": "fixed"}}\n```' },
    ] });
    const run = await runCli(['fix-tests', ...taskArgs(repo, server, ['--test', 'node --test'])]);
    assert.equal(run.code, 0, run.stdout + JSON.stringify(server.violations));
    assert.match(read(repo, 'src/math.js'), /return a \+ b;/);
    const formats = events(repo).filter((e) => e.type === 'model_reply').map((e) => e.toolCallsFromText);
    assert.deepEqual(formats, ['tool_call_tags', 'python_tag', 'fenced_json']);
  });

  it('keeps every request inside a 4,000-token window, with a 5 MB one-line file and a 1 MB command output', async () => {
    const repo = makeRepo('calc');
    writeFileSync(join(repo, 'bundle.min.js'), 'var a=1;'.repeat(640_000));
    const server = await scripted({ turns: [
      { tool_calls: [{ name: 'read_file', arguments: { path: 'bundle.min.js' } }] },
      { tool_calls: [{ name: 'run_command', arguments: { command: `node -e "process.stdout.write('y'.repeat(1048576))"` } }] },
      { tool_calls: [{ name: 'read_file', arguments: { path: 'src/math.js' } }] },
      { expect: ['characters of this line left out', 'characters left out to fit the context window'], ...finish },
    ] });
    await runCli(['run', ...taskArgs(repo, server, ['--goal', 'look', '--context-window', '4000'])]);
    // The server counts the messages; the tool schemas go with every request too.
    const sizes = server.requests.map((request) => (request.promptTokens ?? 0) + Math.ceil(JSON.stringify(request.body?.tools ?? []).length / 4));
    assert.equal(sizes.length, 4, JSON.stringify(server.violations));
    for (const size of sizes) assert.ok(size <= 4000, `a request of ${size} tokens overflowed the 4,000-token window: ${sizes.join(', ')}`);
  });

  it('run prints the model\'s text as it streams, and a failing test run with a cross; --quiet prints neither', async () => {
    const repo = makeRepo('calc');
    const turns = [
      { content: 'Looking at the failing test first.', tool_calls: [{ name: 'run_tests', arguments: {} }] },
      { tool_calls: [{ name: 'edit_file', arguments: FIXED_ADD }] },
      finish,
    ];
    // No triage: the model's own first run is the full, failing one whose mark is checked.
    const loud = await runCli(['fix-tests', ...taskArgs(repo, await scripted({ turns }), ['--test', 'node --test', '--no-triage'])]);
    assert.match(loud.stdout, /^model: Looking at the failing test first\.$/m);
    assert.match(loud.stdout, /→ run_tests \{\}[\s\S]*?\n  ✗ Test command `node --test` exited with code 1/, 'the failing run is marked as failing');
    const quiet = await runCli(['fix-tests', ...taskArgs(makeRepo('calc'), await scripted({ turns }), ['--test', 'node --test', '--no-triage', '--quiet'])]);
    assert.equal(quiet.stdout, '');
  });
});
