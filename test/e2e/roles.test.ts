// Roles and escalation end to end: the real CLI, each role on its own scripted server over real HTTP, the journal
// read back. Which server served which request, the role on every event, the verifier's reasons reaching the coder,
// the planner's attempts to write or run refused, and the escalation to a stronger model at the no-progress signature.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskEvent } from '../../src/agent/events';
import { Journal } from '../../src/agent/journal';
import { cleanupAll, FIXED_ADD, makeRepo, read, readReport, requestText, runCli, scripted, taskArgs, type Report } from './support/harness';

interface RolesReport extends Report {
  roles: Record<string, { model: string; modelCalls: number; usage: { promptTokens: number; completionTokens: number; costUsd: number | null } }>;
  usageByModel: Record<string, { modelCalls: number; usage: { promptTokens: number; completionTokens: number } }>;
  escalation: { from: string; to: string; reason: string; step: number } | null;
  verifier: { decision: string; reasons: string[]; sendBacks: number } | null;
  usagePerVerifiedFix: { promptTokens: number; completionTokens: number; costUsd: number | null } | null;
}

const readMath = { name: 'read_file', arguments: { path: 'src/math.js' } };
const finish = (summary: string) => ({ name: 'finish', arguments: { summary } });
const plan = { name: 'submit_plan', arguments: { steps: ['In src/math.js, make add() return a + b'], acceptance_criteria: ['add(2, 3) returns 5', 'multiply is unchanged'] } };

function journalOf(repo: string, taskId: string): TaskEvent[] {
  return Journal.read(Journal.pathFor(join(repo, '.patchpilot', 'tasks'), taskId));
}

function toolNames(body: unknown): string[] {
  const tools = (body as { tools?: { function: { name: string } }[] }).tools ?? [];
  return tools.map((tool) => tool.function.name).sort();
}

describe('roles and escalation (CLI, one scripted server per role over HTTP)', function () {
  this.timeout(90_000);
  afterEach(cleanupAll);

  it('runs planner → coder → verifier, each on its own server, and the journal says which role acted', async () => {
    const repo = makeRepo('calc');
    const planner = await scripted({ turns: [
      { expect: ['You are the planner', 'Goal: make the failing tests pass'], tool_calls: [readMath] },
      { expect: ['return a - b'], tool_calls: [plan] },
    ] });
    const coder = await scripted({ turns: [
      { expect: ['The planner read the code', 'make add() return a + b', 'add(2, 3) returns 5'], content: 'Fixing the operator.', tool_calls: [{ name: 'edit_file', arguments: FIXED_ADD }] },
      { tool_calls: [finish('add() adds now')] },
    ] });
    const verifier = await scripted({ turns: [
      { expect: ['You are the verifier', 'add(2, 3) returns 5', '+  return a + b;', 'The tests\' verdict: '], tool_calls: [{ name: 'submit_verdict', arguments: { decision: 'agree' } }] },
    ] });
    const run = await runCli(['fix-tests', ...taskArgs(repo, coder, ['--test', 'node --test', '--roles',
      '--planner-base-url', planner.url, '--planner-model', 'plan-m', '--verifier-base-url', verifier.url, '--verifier-model', 'verify-m'])]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual([planner.violations, coder.violations, verifier.violations], [[], [], []]);
    assert.deepEqual([planner.requests.length, coder.requests.length, verifier.requests.length], [2, 2, 1]);
    // Each role saw only its tools.
    assert.deepEqual(toolNames(planner.requests[0].body), ['list_files', 'read_file', 'search_text', 'submit_plan', 'update_plan']);
    assert.deepEqual(toolNames(verifier.requests[0].body), ['list_files', 'read_file', 'run_tests', 'search_text', 'submit_verdict']);
    assert.ok(toolNames(coder.requests[0].body).includes('edit_file'));
    assert.ok(!requestText(coder, 0).includes('You are the planner'), 'the coder has its own conversation');

    const report = readReport(repo) as RolesReport;
    assert.equal(report.status, 'verified');
    assert.deepEqual(Object.fromEntries(Object.entries(report.roles).map(([role, share]) => [role, [share.model, share.modelCalls]])),
      { planner: ['plan-m', 2], coder: ['scripted', 2], verifier: ['verify-m', 1] });
    const sum = Object.values(report.roles).reduce((total, share) => total + share.usage.promptTokens, 0);
    assert.equal(sum, report.usage.promptTokens, 'the roles add up to the task');
    const { promptTokens, completionTokens, costUsd } = report.usage;
    assert.deepEqual(report.usagePerVerifiedFix, { promptTokens, completionTokens, costUsd });
    assert.equal(report.verifier?.decision, 'agree');

    const events = journalOf(repo, report.taskId);
    assert.deepEqual(events.filter((e) => e.type === 'model_reply').map((e) => `${e.role}:${(e as { model?: string }).model}`),
      ['planner:plan-m', 'planner:plan-m', 'coder:scripted', 'coder:scripted', 'verifier:verify-m']);
    const edit = events.find((e) => e.type === 'tool_started' && e.name === 'edit_file');
    assert.equal(edit?.role, 'coder');
    assert.equal(events.find((e) => e.type === 'tool_started' && e.name === 'read_file')?.role, 'planner');
    assert.equal(events.find((e) => e.type === 'planned')?.role, 'planner');
    assert.equal(events.find((e) => e.type === 'task_finished')?.role, undefined, 'the task\'s end belongs to no role');
    assert.match(run.stdout, /\[planner\] → read_file/);
    assert.match(run.stdout, /\[verifier\] → submit_verdict/);
    assert.match(run.stdout, /\[coder\] model: Fixing the operator\./, 'streamed text says which role speaks');
    assert.match(run.stdout, /\[verifier\] ◆ verifier agrees/);
    assert.match(run.stdout, /planner: 2 call\(s\), \d+ in \/ \d+ out, cost unknown, model plan-m/);
  });

  it('the verifier sends the coder back once, with reasons that reach the coder\'s next prompt', async () => {
    const repo = makeRepo('calc');
    const planner = await scripted({ turns: [{ tool_calls: [plan] }] });
    const reason = 'add() has no comment saying it sums numbers; the acceptance criteria ask for it';
    const coder = await scripted({ turns: [
      { tool_calls: [{ name: 'edit_file', arguments: FIXED_ADD }] },
      { tool_calls: [finish('fixed')] },
      { expect: ['sent it back (round 1 of at most 2)', reason], tool_calls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: 'function add(a, b) {', replace: '// Sums two numbers.\nfunction add(a, b) {' }] } }] },
      { tool_calls: [finish('documented')] },
    ] });
    const verifier = await scripted({ turns: [
      { expect: ['+  return a + b;'], absent: ['Sums two numbers'], tool_calls: [{ name: 'submit_verdict', arguments: { decision: 'send_back', reasons: [reason] } }] },
      { expect: ['+// Sums two numbers.'], tool_calls: [{ name: 'run_tests', arguments: {} }] },
      { expect: ['exited with code 0', 'Passed: 2, failed: 0'], tool_calls: [{ name: 'submit_verdict', arguments: { decision: 'agree' } }] },
    ] });
    const run = await runCli(['fix-tests', ...taskArgs(repo, coder, ['--test', 'node --test', '--roles',
      '--planner-base-url', planner.url, '--verifier-base-url', verifier.url])]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual([planner.violations, coder.violations, verifier.violations], [[], [], []]);
    assert.equal(coder.requests.length, 4);
    assert.ok(requestText(coder, 2).includes(reason), 'the reason is in the coder\'s prompt after the send-back');
    assert.match(read(repo, 'src/math.js'), /\/\/ Sums two numbers\.\nfunction add\(a, b\) \{\n {2}return a \+ b;/);
    const report = readReport(repo) as RolesReport;
    assert.equal(report.status, 'verified');
    assert.deepEqual(report.verifier, { decision: 'agree', reasons: [], sendBacks: 1 });
    assert.equal(report.roles.verifier.modelCalls, 3);
    const events = journalOf(repo, report.taskId);
    const verdicts = events.filter((e) => e.type === 'role_verdict');
    assert.deepEqual(verdicts.map((e) => [e.role, (e as { decision: string }).decision, (e as { sentBack: boolean }).sentBack]), [['verifier', 'send_back', true], ['verifier', 'agree', false]]);
    // The verifier's own test run was a real, sandboxed run, journaled as the verifier's.
    assert.ok(events.some((e) => e.type === 'test_run' && e.role === 'verifier' && !e.verification));
  });

  it('refuses the planner\'s attempts to write a file or run a command, and says why (per-role scripted flags)', async () => {
    const repo = makeRepo('calc');
    const scripts = mkdtempSync(join(tmpdir(), 'pp-role-scripts-'));
    try {
      const file = (name: string, turns: unknown[]) => { const path = join(scripts, name); writeFileSync(path, JSON.stringify({ turns })); return path; };
      const plannerScript = file('planner.json', [
        // Three refusals in a row would stop the planner (invalid_calls): a valid read in between keeps it going.
        { tool_calls: [
          { name: 'write_file', arguments: { path: 'src/math.js', content: 'pwned' } },
          { name: 'run_command', arguments: { command: 'touch pwned.txt' } },
          readMath,
        ] },
        { expect: ['ERROR [read_only_mode]: write_file is not available to the planner', 'run_command is not available to the planner'],
          tool_calls: [
            { name: 'edit_file', arguments: FIXED_ADD },
            { name: 'apply_patch', arguments: { patch: '*** Begin Patch\n*** Delete File: src/math.js\n*** End Patch' } },
            { name: 'list_files', arguments: {} },
          ] },
        { tool_calls: [plan] },
      ]);
      const coderScript = file('coder.json', [
        { expect: ['The planner read the code'], tool_calls: [{ name: 'edit_file', arguments: FIXED_ADD }] },
        { tool_calls: [finish('fixed')] },
      ]);
      const verifierScript = file('verifier.json', [
        { tool_calls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: 'a * b', replace: 'a + b' }] } }] },
        { expect: ['edit_file is not available to the verifier'], tool_calls: [{ name: 'submit_verdict', arguments: { decision: 'agree' } }] },
      ]);
      const report = join(scripts, 'report.json');
      const run = await runCli(['fix-tests', '--cwd', repo, '--test', 'node --test', '--approve', 'auto', '--report', report, '--roles',
        '--scripted-model', coderScript, '--planner-scripted-model', plannerScript, '--verifier-scripted-model', verifierScript]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.ok(!existsSync(join(repo, 'pwned.txt')), 'the planner ran no command');
      assert.match(read(repo, 'src/math.js'), /return a \+ b;[\s\S]*return a \* b;/, 'only the coder\'s edit is in the file');
      const result = JSON.parse(read(scripts, 'report.json')) as RolesReport;
      assert.equal(result.status, 'verified');
      assert.deepEqual(Object.fromEntries(Object.entries(result.roles).map(([role, share]) => [role, share.model])),
        { planner: 'scripted-planner', coder: 'scripted', verifier: 'scripted-verifier' });
      const events = journalOf(repo, result.taskId);
      const refused = events.filter((e) => e.type === 'tool_finished' && !e.ok && e.code === 'read_only_mode');
      assert.deepEqual(refused.map((e) => `${e.role}:${(e as { name: string }).name}`),
        ['planner:write_file', 'planner:run_command', 'planner:edit_file', 'planner:apply_patch', 'verifier:edit_file']);
      assert.ok(!events.some((e) => e.type === 'command_run' && e.role === 'planner'), 'no command ran for the planner');
      assert.deepEqual(events.filter((e) => e.type === 'file_changed').map((e) => e.role), ['coder']);
    } finally {
      rmSync(scripts, { recursive: true, force: true });
    }
  });

  it('escalates to the strong model at the no-progress signature; the strong model fixes it, and the report says so', async () => {
    const repo = makeRepo('calc');
    const comment = (from: string, to: string) => ({ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: from, replace: to }] } });
    // The cheap model "fixes" the same wrong place three times: the same failure after each edit.
    const cheap = await scripted({ turns: [
      { tool_calls: [comment("'use strict';", "'use strict';\n// attempt 1")] }, { tool_calls: [finish('fixed?')] },
      { tool_calls: [comment('// attempt 1', '// attempt 2')] }, { tool_calls: [finish('fixed now?')] },
      { tool_calls: [comment('// attempt 2', '// attempt 3')] }, { tool_calls: [finish('surely fixed')] },
    ] });
    const strong = await scripted({ turns: [
      { expect: ['Verification failed (attempt 3)', 'add sums two numbers', '// attempt 3'], content: 'The subtraction in add() is the bug.', tool_calls: [{ name: 'edit_file', arguments: FIXED_ADD }] },
      { tool_calls: [finish('add() subtracted; now it adds')] },
    ] });
    const run = await runCli(['fix-tests', ...taskArgs(repo, cheap, ['--test', 'node --test', '--model', 'cheap',
      '--escalate-model', 'strong', '--escalate-base-url', strong.url])]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual([cheap.violations, strong.violations], [[], []]);
    assert.deepEqual([cheap.requests.length, strong.requests.length], [6, 2]);
    const report = readReport(repo) as RolesReport;
    assert.equal(report.status, 'verified');
    assert.equal(report.escalation?.from, 'cheap');
    assert.equal(report.escalation?.to, 'strong');
    assert.equal(report.escalation?.step, 6);
    assert.match(report.escalation?.reason ?? '', /no progress/);
    assert.deepEqual(Object.fromEntries(Object.entries(report.usageByModel).map(([name, share]) => [name, share.modelCalls])), { cheap: 6, strong: 2 });
    assert.equal(report.roles.coder.model, 'strong');
    assert.equal(report.roles.coder.modelCalls, 8);
    // Triage's baseline (not counted for no progress), three verifications of the cheap model, one of the strong.
    assert.equal(report.testRuns.length, 5);
    const events = journalOf(repo, report.taskId);
    const escalated = events.filter((e) => e.type === 'escalated');
    assert.equal(escalated.length, 1);
    const replies = events.filter((e) => e.type === 'model_reply').map((e) => (e as { model?: string }).model);
    assert.deepEqual(replies, ['cheap', 'cheap', 'cheap', 'cheap', 'cheap', 'cheap', 'strong', 'strong']);
    assert.ok(events.indexOf(escalated[0]) < events.findIndex((e) => e.type === 'model_reply' && (e as { model?: string }).model === 'strong'), 'escalated before the strong model replied');
    assert.match(run.stdout, /⇧ escalated from cheap to strong/);
    assert.match(run.stdout, /model cheap: 6 call\(s\)/);
  });

  it('the step budget binds the whole task across roles', async () => {
    const repo = makeRepo('calc');
    const planner = await scripted({ turns: [{ tool_calls: [readMath] }, { tool_calls: [plan] }] });
    const coder = await scripted({ turns: [{ tool_calls: [readMath] }, { tool_calls: [{ name: 'edit_file', arguments: FIXED_ADD }] }] });
    const run = await runCli(['fix-tests', ...taskArgs(repo, coder, ['--test', 'node --test', '--roles', '--planner-base-url', planner.url, '--max-steps', '3'])]);
    assert.equal(run.code, 1, run.stdout);
    const report = readReport(repo) as RolesReport;
    assert.equal(report.reason, 'max_steps');
    assert.equal(report.steps, 3);
    assert.deepEqual([planner.requests.length, coder.requests.length], [2, 1], 'the planner\'s calls counted against the coder\'s budget');
    assert.equal(report.usagePerVerifiedFix, null);
  });

  it('role flags without --roles are a usage error, and nothing is asked of the model', async () => {
    const repo = makeRepo('calc');
    const server = await scripted({ turns: [] });
    const run = await runCli(['fix-tests', ...taskArgs(repo, server, ['--test', 'node --test', '--planner-model', 'x'])]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--planner-model, --planner-base-url and --planner-scripted-model need --roles/);
    assert.equal(server.requests.length, 0);
  });
});
