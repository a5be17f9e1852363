// Guards end to end: each stops the task with a clear reason and a reviewable change set.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cleanupAll, FIXED_ADD, makeRepo, read, readReport, runCli, scripted, taskArgs } from './support/harness';

const readMath = { name: 'read_file', arguments: { path: 'src/math.js' } };

describe('guards (CLI, scripted model over HTTP)', function () {
  this.timeout(90_000);
  afterEach(cleanupAll);

  it('stops a repeated identical call', async () => {
    const repo = makeRepo('calc');
    const server = await scripted({ turns: [
      { tool_calls: [readMath] },
      { tool_calls: [readMath] },
      { expect: ['already made this exact read_file call'], tool_calls: [readMath] },
      { tool_calls: [readMath] },
    ] });
    const run = await runCli(['fix-tests', ...taskArgs(repo, server, ['--test', 'node --test'])]);
    assert.equal(run.code, 1);
    const report = readReport(repo);
    assert.equal(report.status, 'stopped');
    assert.equal(report.reason, 'repeated_call');
    assert.equal(server.requests.length, 3);
  });

  it('stops on no progress: the same failures after repeated edits', async () => {
    const repo = makeRepo('calc');
    const comment = (n: number) => ({ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: "'use strict';", replace: `'use strict';\n// attempt ${n}` }] } });
    const finish = { name: 'finish', arguments: { summary: 'done?' } };
    const server = await scripted({ turns: [
      { tool_calls: [comment(1)] }, { tool_calls: [finish] },
      { tool_calls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: '// attempt 1', replace: '// attempt 2' }] } }] }, { tool_calls: [finish] },
      { tool_calls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: '// attempt 2', replace: '// attempt 3' }] } }] }, { tool_calls: [finish] },
      { tool_calls: [finish] },
    ] });
    const run = await runCli(['fix-tests', ...taskArgs(repo, server, ['--test', 'node --test'])]);
    assert.equal(run.code, 1, run.stdout);
    const report = readReport(repo);
    assert.equal(report.reason, 'no_progress');
    // Triage's baseline run (fix-tests triages by default), then the three verifications without progress: the
    // baseline is not counted as one of them.
    assert.equal(report.testRuns.length, 4);
    // The change set stays reviewable: the edits are still there and reported.
    assert.match(read(repo, 'src/math.js'), /attempt 3/);
    assert.equal(report.changes[0].path, 'src/math.js');
  });

  it('kills a hanging test command at its timeout, with its process tree', async () => {
    const repo = makeRepo('calc');
    const marker = `pp-hang-${process.pid}-${Date.now()}`;
    const server = await scripted({ turns: [
      { tool_calls: [{ name: 'run_tests', arguments: {} }] },
      { expect: ['timed out'], tool_calls: [{ name: 'finish', arguments: { summary: 'cannot verify' } }] },
      { tool_calls: [readMath] },
    ] });
    const hang = `node -e "setInterval(() => {}, 1000)" ${marker} & node -e "setInterval(() => {}, 1000)" ${marker}`;
    const run = await runCli(['fix-tests', ...taskArgs(repo, server, ['--test', hang, '--test-timeout', '2', '--max-steps', '3'])]);
    assert.equal(run.code, 1);
    const report = readReport(repo);
    assert.equal(report.testRuns[0].exitCode, null);
    assert.equal(report.reason, 'max_steps');
    const survivors = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(marker) && !l.includes('ps -eo'));
    assert.deepEqual(survivors, []);
  });

  it('stops at the step budget', async () => {
    const repo = makeRepo('calc');
    const server = await scripted({ turns: [
      { tool_calls: [readMath] },
      { tool_calls: [{ name: 'read_file', arguments: { path: 'test/math.test.js' } }] },
      { tool_calls: [{ name: 'edit_file', arguments: FIXED_ADD }] },
    ] });
    const run = await runCli(['fix-tests', ...taskArgs(repo, server, ['--test', 'node --test', '--max-steps', '2'])]);
    assert.equal(run.code, 1);
    const report = readReport(repo);
    assert.equal(report.status, 'stopped');
    assert.equal(report.reason, 'max_steps');
    assert.equal(report.steps, 2);
    assert.equal(server.requests.length, 2);
  });

  it('stops at the cost budget, with prices configured', async () => {
    const repo = makeRepo('calc');
    const server = await scripted({ turns: [
      { tool_calls: [readMath], usage: { prompt_tokens: 20_000, completion_tokens: 1000 } },
      { tool_calls: [readMath] },
    ] });
    const run = await runCli(['fix-tests', ...taskArgs(repo, server, ['--test', 'node --test', '--max-cost', '0.05', '--price-input', '3', '--price-output', '15'])]);
    assert.equal(run.code, 1);
    const report = readReport(repo);
    assert.equal(report.reason, 'max_cost');
    // 20,000 × $3/M + 1,000 × $15/M = $0.075
    assert.ok(Math.abs((report.usage.costUsd ?? 0) - 0.075) < 1e-9, String(report.usage.costUsd));
    assert.equal(server.requests.length, 1);
  });
});
