// The fix loop end to end: the real CLI, real HTTP to a scripted model, a real git repo with a real failing test.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupAll, FIXED_ADD, git, makeRepo, read, readReport, requestText, runCli, scripted, taskArgs } from './support/harness';

describe('fix loop (CLI, scripted model over HTTP)', function () {
  this.timeout(90_000);
  afterEach(cleanupAll);

  it('fixes a failing test straight away and verifies it', async () => {
    const repo = makeRepo('calc');
    const headBefore = git(repo, 'rev-parse', 'HEAD');
    const server = await scripted({ turns: [
      { expect: ['make the failing tests pass'], tool_calls: [{ name: 'read_file', arguments: { path: 'src/math.js' } }] },
      { expect: ['return a - b'], tool_calls: [{ name: 'edit_file', arguments: FIXED_ADD }] },
      { expect: ['edited src/math.js'], tool_calls: [{ name: 'finish', arguments: { summary: 'add adds' } }] },
    ] });
    const run = await runCli(['fix-tests', ...taskArgs(repo, server, ['--test', 'node --test'])]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const report = readReport(repo);
    assert.equal(report.status, 'verified');
    assert.equal(report.modelCalls, 3);
    assert.equal(report.testRuns.at(-1)?.exitCode, 0);
    assert.match(read(repo, 'src/math.js'), /return a \+ b;/);
    assert.deepEqual(report.changes.map((c) => c.path), ['src/math.js']);
    assert.match(report.changes[0].diff, /^\+ {2}return a \+ b;$/m);
    // The checkpoint is a ref of its own: branch, HEAD and index are the person's.
    assert.equal(git(repo, 'rev-parse', 'HEAD'), headBefore);
    assert.match(git(repo, 'for-each-ref', 'refs/patchpilot'), /refs\/patchpilot\/checkpoints\//);
    assert.equal(git(repo, 'status', '--porcelain'), ' M src/math.js\n');
  });

  it('reflects after a wrong first fix: the failure reaches the model, then the right fix passes', async () => {
    const repo = makeRepo('calc');
    const wrong = { path: 'src/math.js', edits: [{ search: '  return a - b;', replace: '  return b - a;' }] };
    const right = { path: 'src/math.js', edits: [{ search: '  return b - a;', replace: '  return a + b;' }] };
    const server = await scripted({ turns: [
      { tool_calls: [{ name: 'edit_file', arguments: wrong }] },
      { tool_calls: [{ name: 'finish', arguments: { summary: 'swapped operands' } }] },
      { expect: ['Verification failed', 'add sums two numbers', 'Before editing again: diagnose'],
        content: 'Diagnosis: swapping the operands still subtracts; add must use +.',
        tool_calls: [{ name: 'update_plan', arguments: { items: [{ title: 'Use + in add', status: 'in_progress' }] } }] },
      { tool_calls: [{ name: 'edit_file', arguments: right }] },
      { tool_calls: [{ name: 'finish', arguments: { summary: 'add uses +' } }] },
    ] });
    const run = await runCli(['fix-tests', ...taskArgs(repo, server, ['--test', 'node --test'])]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const report = readReport(repo);
    assert.equal(report.status, 'verified');
    // Triage's baseline, then the wrong fix's run (both failing), then the right fix's.
    assert.equal(report.testRuns.length, 3);
    assert.notEqual(report.testRuns[0].exitCode, 0);
    assert.ok(report.testRuns[0].failures.some((f) => f.name.includes('add sums two numbers')), JSON.stringify(report.testRuns[0]));
    // The structured failure and the diff so far reached the model in the request after the failed verification.
    const feedback = requestText(server, 2);
    assert.match(feedback, /add sums two numbers/);
    assert.match(feedback, /return b - a/);
    const journalDir = join(repo, '.patchpilot', 'tasks');
    const events = readFileSync(join(journalDir, readdirSync(journalDir)[0]), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; text?: string });
    assert.ok(events.some((e) => e.type === 'reflection' && e.text?.includes('still subtracts')));
    assert.match(run.stdout, /reflection after attempt 1/);
  });

  it('returns a missed search with its closest candidate, changes nothing, and accepts the retry', async () => {
    const repo = makeRepo('calc');
    const server = await scripted({ turns: [
      { tool_calls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: '  return a minus b;', replace: '  return a + b;' }] } }] },
      { expect: ['ERROR [no_match]', 'return a - b', 'nothing was changed'], tool_calls: [{ name: 'edit_file', arguments: FIXED_ADD }] },
      { tool_calls: [{ name: 'finish', arguments: { summary: 'fixed' } }] },
    ] });
    const run = await runCli(['fix-tests', ...taskArgs(repo, server, ['--test', 'node --test'])]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(requestText(server, 1), /lines? 4/);
    assert.equal(readReport(repo).status, 'verified');
  });

  it('answers a hallucinated path with file_not_found and goes on', async () => {
    const repo = makeRepo('calc');
    const server = await scripted({ turns: [
      { tool_calls: [{ name: 'read_file', arguments: { path: 'src/calculator.js' } }] },
      { expect: ['ERROR [file_not_found]', 'src/calculator.js'], tool_calls: [{ name: 'list_files', arguments: { path: 'src' } }] },
      { expect: ['src/math.js'], tool_calls: [{ name: 'edit_file', arguments: FIXED_ADD }] },
      { tool_calls: [{ name: 'finish', arguments: { summary: 'fixed' } }] },
    ] });
    const run = await runCli(['fix-tests', ...taskArgs(repo, server, ['--test', 'node --test'])]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
  });

  it('treats malformed tool arguments and unknown tools as data the model can correct', async () => {
    const repo = makeRepo('calc');
    const server = await scripted({ turns: [
      { tool_calls: [{ name: 'read_file', arguments: '{"path": "src/math.js"' }, { name: 'delete_everything', arguments: {} }] },
      { expect: ['ERROR [invalid_arguments]', 'ERROR [unknown_tool]'], tool_calls: [{ name: 'edit_file', arguments: FIXED_ADD }] },
      { tool_calls: [{ name: 'finish', arguments: { summary: 'fixed' } }] },
    ] });
    const run = await runCli(['fix-tests', ...taskArgs(repo, server, ['--test', 'node --test'])]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
  });
});
