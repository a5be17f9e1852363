// The orchestrator's decisions, with real tools and a real journal behind a host that plays the loops: role tool sets
// are enforced with a reason, the verifier's send-backs are bounded and never change the tests' verdict, a planner
// without a plan or a stopped phase is handled, escalation fires only on no progress, once, for the coder.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TaskEvent } from '../../../src/agent/events';
import { Journal } from '../../../src/agent/journal';
import type { Ending } from '../../../src/agent/loop';
import { RoleLedger, usagePerVerifiedFix } from '../../../src/agent/orchestrator/costs';
import { EscalationPolicy } from '../../../src/agent/orchestrator/escalation';
import { runWithRoles, type RoleHost, type RolePhaseSpec } from '../../../src/agent/orchestrator/orchestrator';
import { readOnlyContext, RoleToolRegistry, roleTools, SUBMIT_PLAN, SUBMIT_VERDICT, submitPlanTool, submitVerdictTool } from '../../../src/agent/orchestrator/roles';
import type { ModelClient } from '../../../src/agent/ports';
import type { ToolContext } from '../../../src/tools/context';
import { replayJournal } from '../../../src/agent/replay';
import { TaskTimeline } from '../../../src/host/taskTimeline';
import { emptySnapshot } from '../../../src/shared/viewModel';

const model = (name: string): ModelClient => ({ model: name, complete: () => Promise.reject(new Error('not called in these tests')) });
const clock = { now: () => 1_000 };

function baseContext(calls: string[]): ToolContext {
  return {
    workspace: {} as ToolContext['workspace'],
    writer: { apply: async () => { calls.push('write'); return { ok: true, output: 'written' }; }, noteRead: () => calls.push('noteRead'), hasSeen: () => true },
    commands: { runCommand: async () => { calls.push('command'); return { ok: true, output: 'ran' }; } },
    tests: { runTests: async () => { calls.push('tests'); return null; } },
    setPlan: () => calls.push('plan'),
    remember: async () => { calls.push('remember'); return { ok: true, output: 'noted' }; },
    forget: async () => { calls.push('forget'); return { ok: true, output: 'forgotten' }; },
    signal: new AbortController().signal,
  };
}

describe('role tool sets', () => {
  it('refuses a known tool outside the planner\'s set with the reason, and lists what it may use', async () => {
    const registry = new RoleToolRegistry('planner', roleTools('planner', submitPlanTool(() => undefined)));
    assert.deepEqual(registry.schemas().map((t) => t.name).sort(), ['list_files', 'read_file', 'search_text', SUBMIT_PLAN, 'update_plan'].sort());
    for (const name of ['edit_file', 'write_file', 'apply_patch', 'run_command', 'run_tests', 'remember', 'finish']) {
      const refused = registry.validate(name, {});
      assert.ok(refused && !refused.ok);
      assert.equal(refused.code, 'read_only_mode', name);
      assert.match(refused.message, new RegExp(`^${name} is not available to the planner: the planner reads the code and plans; the coder makes the changes after it`));
      assert.match(refused.message, /read_file, list_files, search_text, update_plan, submit_plan/);
    }
    // Run goes through the same check: the write never happens.
    const calls: string[] = [];
    const result = await registry.run('edit_file', { path: 'a.js', edits: [{ search: 'a', replace: 'b' }] }, baseContext(calls));
    assert.equal(result.ok, false);
    assert.deepEqual(calls, []);
    // A name that is no tool at all stays "unknown".
    assert.equal((registry.validate('rm_rf', {}) as { code: string }).code, 'unknown_tool');
  });

  it('gives the verifier the tests but no write or command tool', () => {
    const registry = new RoleToolRegistry('verifier', roleTools('verifier', submitVerdictTool(() => undefined)));
    assert.ok(registry.has('run_tests'));
    assert.ok(registry.has(SUBMIT_VERDICT));
    for (const name of ['edit_file', 'write_file', 'apply_patch', 'run_command', 'update_plan', 'finish']) {
      assert.equal((registry.validate(name, {}) as { code: string }).code, 'read_only_mode', name);
    }
  });

  it('a read-only context refuses writes and commands whatever calls them, and keeps reads apart from the coder\'s', async () => {
    const calls: string[] = [];
    const planner = readOnlyContext(baseContext(calls), 'planner', false);
    const write = await planner.writer.apply([{ path: 'a.js', before: 'a', after: 'b' }], 'edit');
    assert.equal(write.ok, false);
    assert.match((write as { message: string }).message, /The planner cannot change files/);
    const command = await planner.commands.runCommand('touch x', undefined);
    assert.equal((command as { code: string }).code, 'read_only_mode');
    planner.writer.noteRead('a.js', 'a');
    assert.equal(planner.writer.hasSeen('a.js'), false, 'a planner\'s read does not let the coder overwrite unread');
    assert.equal(await planner.tests.runTests(false), null);
    await planner.remember('x');
    assert.deepEqual(calls, [], 'nothing reached the real services');
    const verifier = readOnlyContext(baseContext(calls), 'verifier', true);
    await verifier.tests.runTests(false);
    assert.deepEqual(calls, ['tests'], 'the verifier runs the real tests');
  });

  it('send_back without a reason is refused: the coder must hear what to fix', async () => {
    let got: unknown = null;
    const tool = submitVerdictTool((v) => { got = v; });
    const result = await tool.run({ decision: 'send_back', reasons: [] } as never, baseContext([]));
    assert.equal(result.ok, false);
    assert.equal(got, null);
  });
});

/** Plays each phase: the planner and verifier call their real closing tool with scripted arguments. */
class PlayedHost implements RoleHost {
  readonly journal: Journal;
  readonly ledger = new RoleLedger('coder-model');
  readonly phases: string[] = [];
  readonly told: string[] = [];
  steps = 0;
  constructor(dir: string, private readonly play: { planner?: unknown; coder: Ending[]; verifier: unknown[] }) {
    this.journal = new Journal(path.join(dir, 't.jsonl'), clock);
    this.journal.onEvent((event) => this.ledger.note(event));
  }
  readonly goal = 'add a --json flag';
  promptInput() { return { root: '/r', testCommand: 'npm test', rules: [], memory: '' }; }
  async runPhase(spec: RolePhaseSpec): Promise<Ending> {
    this.phases.push(`${spec.role}:${spec.model.model}`);
    this.steps++;
    if (spec.role === 'coder') return this.play.coder.shift() ?? { status: 'verified', reason: null, summary: 'done' };
    const args = spec.role === 'planner' ? this.play.planner : this.play.verifier.shift();
    if (typeof args === 'string') return { status: 'stopped', reason: args as Ending['reason'], summary: `stopped: ${args}` };
    const closing = spec.readOnly!.tools.find((t) => t.name === spec.readOnly!.closing)!;
    const result = await closing.run(args as never, baseContext([]));
    return { status: 'unverified', reason: null, summary: result.ok ? result.output : result.message };
  }
  tellCoder(text: string) { this.told.push(text); }
  diff() { return '--- a/x\n+++ b/x'; }
  testVerdict() { return 'The tests pass (3 tests ran).'; }
  coderModel() { return model('coder-model'); }
  events(): TaskEvent[] { this.journal.close(); return Journal.read(this.journal.path); }
}

describe('orchestrator decisions', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-roles-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const models = { planner: model('planner-model'), verifier: model('verifier-model') };
  const plan = { steps: ['change src/export.js'], acceptance_criteria: ['--json prints JSON'] };

  it('plans, codes, and ends when the verifier agrees; every event says its role', async () => {
    const host = new PlayedHost(dir, { planner: plan, coder: [{ status: 'verified', reason: null, summary: 'added it' }], verifier: [{ decision: 'agree' }] });
    const ending = await runWithRoles(host, { models });
    assert.deepEqual(host.phases, ['planner:planner-model', 'coder:coder-model', 'verifier:verifier-model']);
    assert.equal(ending.status, 'verified');
    assert.match(ending.summary, /added it The verifier agreed\./);
    assert.match(host.told[0], /1\. change src\/export\.js[\s\S]*Acceptance criteria[\s\S]*- --json prints JSON/);
    const events = host.events();
    assert.deepEqual(events.filter((e) => e.type === 'role_started').map((e) => e.role), ['planner', 'coder', 'verifier']);
    const planned = events.find((e) => e.type === 'planned');
    assert.equal(planned?.role, 'planner');
    assert.equal(events.find((e) => e.type === 'role_verdict')?.role, 'verifier');
  });

  it('bounds the send-backs, and an objection left over never turns a verified result into anything else', async () => {
    const sendBack = { decision: 'send_back', reasons: ['--json ignores --out'] };
    const host = new PlayedHost(dir, { planner: plan, coder: [], verifier: [sendBack, sendBack, sendBack, sendBack] });
    const ending = await runWithRoles(host, { models, maxSendBacks: 2 });
    assert.deepEqual(host.phases.filter((p) => p.startsWith('coder')).length, 3, 'the first try and two send-backs');
    assert.equal(host.phases.filter((p) => p.startsWith('verifier')).length, 3);
    assert.equal(ending.status, 'verified', 'the tests\' verdict stands');
    assert.match(ending.summary, /still objects after 2 send-back\(s\): --json ignores --out/);
    assert.equal(host.told.filter((t) => t.includes('sent it back')).length, 2);
    assert.match(host.told[1], /round 1 of at most 2[\s\S]*- --json ignores --out/);
    const verdicts = host.events().filter((e) => e.type === 'role_verdict');
    assert.deepEqual(verdicts.map((v) => (v as { sentBack: boolean }).sentBack), [true, true, false]);
    assert.equal(host.ledger.sendBacks, 2);
  });

  it('sends nothing to the verifier when the coder failed or was stopped', async () => {
    const host = new PlayedHost(dir, { planner: plan, coder: [{ status: 'stopped', reason: 'no_progress', summary: 'stuck' }], verifier: [{ decision: 'agree' }] });
    const ending = await runWithRoles(host, { models });
    assert.deepEqual(host.phases, ['planner:planner-model', 'coder:coder-model']);
    assert.equal(ending.reason, 'no_progress');
  });

  it('goes on without a plan when the planner gave none, but a spent budget in the planner ends the task', async () => {
    const noPlan = new PlayedHost(dir, { planner: 'no_tool_calls', coder: [], verifier: [{ decision: 'agree' }] });
    await runWithRoles(noPlan, { models });
    assert.deepEqual(noPlan.phases.map((p) => p.split(':')[0]), ['planner', 'coder', 'verifier']);
    assert.ok(noPlan.events().some((e) => e.type === 'warning' && /planner ended without a plan/.test(e.message)));

    const spent = new PlayedHost(fs.mkdtempSync(path.join(dir, 'b')), { planner: 'max_tokens', coder: [], verifier: [] });
    const ending = await runWithRoles(spent, { models });
    assert.deepEqual(spent.phases, ['planner:planner-model']);
    assert.equal(ending.reason, 'max_tokens');
  });

  it('a verifier that gives no verdict leaves the tests\' verdict as the result', async () => {
    const host = new PlayedHost(dir, { planner: plan, coder: [], verifier: ['invalid_calls'] });
    const ending = await runWithRoles(host, { models });
    assert.equal(ending.status, 'verified');
    assert.match(ending.summary, /The verifier gave no verdict/);
  });

  it('a task that already ran (resume, follow-up) goes on with the coder, not the planner', async () => {
    const host = new PlayedHost(dir, { coder: [], verifier: [{ decision: 'agree' }] });
    host.steps = 5;
    await runWithRoles(host, { models });
    assert.deepEqual(host.phases.map((p) => p.split(':')[0]), ['coder', 'verifier']);
  });
});

describe('escalation', () => {
  const cheap = model('cheap');
  const strong = model('strong');
  const noProgress = { reason: 'no_progress' as const, message: 'Stopped: 3 test runs in a row after edits made no progress' };

  it('escalates the coder on no progress, once; other stops and other roles stand', () => {
    const policy = new EscalationPolicy(strong);
    assert.equal(policy.decide({ reason: 'max_steps', message: '' }, undefined, cheap), null);
    assert.equal(policy.decide({ reason: 'repeated_call', message: '' }, 'coder', cheap), null);
    assert.equal(policy.decide(noProgress, 'verifier', cheap), null);
    assert.equal(policy.decide(noProgress, 'coder', cheap), strong);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-esc-'));
    try {
      const journal = new Journal(path.join(dir, 'j.jsonl'), clock);
      let current = cheap;
      const target = { get model() { return current; }, useModel: (m: ModelClient) => { current = m; } };
      let resets = 0;
      assert.equal(policy.apply(noProgress, undefined, target, journal, 7, () => resets++), true);
      assert.equal(current, strong);
      assert.equal(resets, 1);
      assert.equal(policy.coderModel(cheap), strong, 'later phases of the coder keep the strong model');
      assert.equal(policy.apply(noProgress, undefined, target, journal, 9, () => resets++), false, 'only once');
      journal.close();
      const events = Journal.read(journal.path).filter((e) => e.type === 'escalated');
      assert.equal(events.length, 1);
      assert.deepEqual({ ...events[0], seq: 0, time: 0 }, { type: 'escalated', from: 'cheap', to: 'strong', reason: noProgress.message, step: 7, seq: 0, time: 0 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never escalates without a strong model, nor again after a resumed journal says it did', () => {
    assert.equal(new EscalationPolicy(undefined).decide(noProgress, 'coder', cheap), null);
    const resumed = new EscalationPolicy(strong, true);
    assert.equal(resumed.decide(noProgress, 'coder', cheap), null);
    assert.equal(resumed.coderModel(cheap), strong);
  });
});

describe('cost per role and per model', () => {
  it('sums calls and tokens per role and per model from the events; a reply without a role is the coder\'s', () => {
    const reply = (role: TaskEvent['role'], modelName: string | undefined, prompt: number, cost: number | null): TaskEvent => ({
      type: 'model_reply', step: 1, content: '', toolCalls: [], attempts: 1, seq: 1, time: 1,
      usage: { promptTokens: prompt, completionTokens: 10, costUsd: cost }, ...(role ? { role } : {}), ...(modelName ? { model: modelName } : {}),
    } as TaskEvent);
    const ledger = RoleLedger.from([
      reply('planner', 'p', 100, null), reply('coder', 'cheap', 200, 0.01), reply('coder', 'cheap', 300, 0.02),
      { type: 'escalated', from: 'cheap', to: 'strong', reason: 'no progress', step: 3, seq: 2, time: 2 },
      reply('coder', 'strong', 400, 0.5), reply(undefined, undefined, 50, null),
    ], 'default-model');
    assert.deepEqual(ledger.roles.planner, { model: 'p', modelCalls: 1, usage: { promptTokens: 100, completionTokens: 10, costUsd: null } });
    assert.equal(ledger.roles.coder?.modelCalls, 4);
    assert.equal(ledger.roles.coder?.model, 'default-model');
    assert.equal(ledger.roles.coder?.usage.promptTokens, 950);
    assert.ok(Math.abs((ledger.roles.coder?.usage.costUsd ?? 0) - 0.53) < 1e-9);
    assert.deepEqual(Object.keys(ledger.models).sort(), ['cheap', 'default-model', 'p', 'strong']);
    assert.equal(ledger.models.cheap.modelCalls, 2);
    assert.equal(ledger.models.strong.usage.promptTokens, 400);
    assert.deepEqual(ledger.escalation, { from: 'cheap', to: 'strong', reason: 'no progress', step: 3 });
    const usage = { promptTokens: 1, completionTokens: 2, costUsd: null };
    assert.deepEqual(usagePerVerifiedFix('verified', usage), usage);
    assert.equal(usagePerVerifiedFix('stopped', usage), null);
    assert.equal(usagePerVerifiedFix('unverified', usage), null);
  });
});

describe('roles in the journal\'s readers', () => {
  const at = { seq: 1, time: 1 };
  it('resume replays only the coder\'s conversation: the planner\'s and verifier\'s messages stay theirs', () => {
    const events: TaskEvent[] = [
      { type: 'task_started', taskId: 't', config: { goal: 'g', cwd: '/r', testCommand: null, approval: 'auto', model: 'm', budgets: {} as never }, ...at },
      { type: 'message', message: { role: 'system', content: 'coder system' }, ...at },
      { type: 'message', message: { role: 'system', content: 'You are the planner' }, role: 'planner', ...at },
      { type: 'message', message: { role: 'user', content: 'The planner read the code' }, ...at },
      { type: 'message', message: { role: 'user', content: 'coder step' }, role: 'coder', ...at },
      { type: 'message', message: { role: 'system', content: 'You are the verifier' }, role: 'verifier', ...at },
    ];
    const { state } = replayJournal(events, 0);
    assert.deepEqual(state.messages.map((m) => m.content), ['coder system', 'The planner read the code', 'coder step']);
  });

  it('the panel timeline marks a role\'s phase with its model, the verifier\'s verdict and the escalation', () => {
    const timeline = new TaskTimeline(emptySnapshot().meter);
    const started = timeline.apply({ type: 'role_started', model: 'plan-m', reason: 'The planner plans the task.', role: 'planner', ...at });
    assert.equal(started?.statusText, 'Planner (plan-m)');
    assert.deepEqual(started?.timelineAppend, [{ kind: 'note', level: 'info', text: 'The planner plans the task. Model: plan-m.' }]);
    const back = timeline.apply({ type: 'role_verdict', decision: 'send_back', reasons: ['no test for --out'], round: 1, sentBack: true, role: 'verifier', ...at });
    assert.deepEqual(back?.timelineAppend, [{ kind: 'note', level: 'warning', text: 'The verifier sent the change back: no test for --out' }]);
    const escalated = timeline.apply({ type: 'escalated', from: 'cheap', to: 'strong', reason: 'no progress', step: 6, ...at });
    assert.deepEqual(escalated?.timelineAppend, [{ kind: 'note', level: 'warning', text: 'Escalated from cheap to strong: no progress' }]);
  });
});
