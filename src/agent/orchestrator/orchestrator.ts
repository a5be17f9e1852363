// The orchestrator above the loop: a task run with roles is the planner's phase, then the coder's (today's loop,
// verified by the tests), then the verifier's judgement, which may send the coder back a bounded number of times.
// Every phase is the same AgentLoop configured for its role by the host (the session); the orchestrator only decides
// the order. The tests' verdict is the task's status: the verifier can agree or send back, never overrule it.
import type { Ending } from '../loop';
import type { Journal } from '../journal';
import type { ChatMessage, ModelClient } from '../ports';
import type { RoleName, StopReason } from '../events';
import type { RoleLedger } from './costs';
import {
  planForCoder, plannerGoalMessage, plannerSystemPrompt, sendBackMessage, verifierBriefMessage, verifierSystemPrompt, type RolePromptInput,
} from './rolePrompts';
import {
  DEFAULT_MAX_SEND_BACKS, roleTools, SUBMIT_PLAN, SUBMIT_VERDICT, submitPlanTool, submitVerdictTool,
  type PlanSubmission, type RolesOptions, type VerdictSubmission,
} from './roles';
import type { ToolDefinition } from '../../tools/tool';

/** A read-only role's loop: its tools (the closing one included), its own conversation, the tool that ends it. */
export interface ReadOnlyPhase {
  tools: ToolDefinition<never>[];
  messages: ChatMessage[];
  closing: string;
  mayRunTests: boolean;
}

export interface RolePhaseSpec {
  role: RoleName;
  model: ModelClient;
  /** Absent for the coder, which runs with every tool on the task's own conversation. */
  readOnly?: ReadOnlyPhase;
}

/** What the session offers the orchestrator: one loop per phase, and the task's conversation and state. */
export interface RoleHost {
  readonly journal: Journal;
  readonly goal: string;
  /** Model calls made so far: 0 means a fresh task (the planner runs); otherwise the task goes on with the coder. */
  readonly steps: number;
  readonly ledger: RoleLedger;
  promptInput(): RolePromptInput;
  /** Runs one loop configured for the role until its closing tool, finish, or a guard. */
  runPhase(spec: RolePhaseSpec, afterReview?: string): Promise<Ending>;
  /** Appends a user message to the coder's conversation (the task's own, which resume replays). */
  tellCoder(text: string): void;
  /** The change so far, secrets masked and capped. */
  diff(): string;
  /** The tests' last verdict in words. */
  testVerdict(): string | null;
  /** The coder's model now (the strong one after an escalation). */
  coderModel(): ModelClient;
}

/** Stops that end the whole task even in the planner's phase: nothing more may be spent. */
const TASK_ENDING_STOPS: readonly StopReason[] = ['max_steps', 'max_tokens', 'max_cost', 'max_time', 'cancelled', 'model_error'];

export async function runWithRoles(host: RoleHost, options: RolesOptions, afterReview?: string): Promise<Ending> {
  const maxSendBacks = options.maxSendBacks ?? DEFAULT_MAX_SEND_BACKS;
  let acceptance = host.ledger.acceptanceCriteria;
  const fresh = host.steps === 0 && afterReview === undefined;
  if (fresh) {
    const planned = await planPhase(host, options.models.planner);
    if ('ending' in planned) return planned.ending;
    acceptance = planned.plan?.acceptanceCriteria ?? [];
  }
  let review = afterReview;
  let reason = fresh ? 'changes the code' : 'goes on with the task';
  for (;;) {
    const coded = await inRole(host, 'coder', host.coderModel(), reason, () => host.runPhase({ role: 'coder', model: host.coderModel() }, review));
    review = undefined;
    // Only a result the tests accepted (or could not judge) goes to the verifier; a failure or a stop is the task's end.
    if (coded.status !== 'verified' && coded.status !== 'unverified') return coded;
    const judged = await verifierPhase(host, options.models.verifier, acceptance, coded);
    if (!judged.verdict) return { ...coded, summary: `${coded.summary} (The verifier gave no verdict: ${judged.note}.)` };
    const round = host.ledger.sendBacks + 1;
    const sendBack = judged.verdict.decision === 'send_back' && host.ledger.sendBacks < maxSendBacks;
    withRole(host.journal, 'verifier', () => host.journal.append({ type: 'role_verdict', decision: judged.verdict!.decision, reasons: judged.verdict!.reasons, round, sentBack: sendBack }));
    if (judged.verdict.decision === 'agree') return { ...coded, summary: `${coded.summary} The verifier agreed.` };
    if (!sendBack) {
      return { ...coded, summary: `${coded.summary} The verifier still objects after ${maxSendBacks} send-back(s): ${judged.verdict.reasons.join('; ')}` };
    }
    host.tellCoder(sendBackMessage(judged.verdict, round, maxSendBacks));
    reason = `was sent back by the verifier (round ${round} of ${maxSendBacks})`;
  }
}

async function planPhase(host: RoleHost, model: ModelClient): Promise<{ plan: PlanSubmission | null } | { ending: Ending }> {
  // A holder, not a variable: the closing tool fills it from inside the loop.
  const submitted: { plan: PlanSubmission | null } = { plan: null };
  const closing = submitPlanTool((plan) => { submitted.plan = plan; });
  const input = host.promptInput();
  const messages: ChatMessage[] = [{ role: 'system', content: plannerSystemPrompt(input) }, { role: 'user', content: plannerGoalMessage(host.goal) }];
  const ending = await inRole(host, 'planner', model, 'plans the task and writes the acceptance criteria', () => host.runPhase({
    role: 'planner', model, readOnly: { tools: roleTools('planner', closing), messages, closing: SUBMIT_PLAN, mayRunTests: false },
  }));
  const plan = submitted.plan;
  if (plan) {
    withRole(host.journal, 'planner', () => host.journal.append({ type: 'planned', steps: plan.steps, acceptanceCriteria: plan.acceptanceCriteria, notes: plan.notes }));
    host.tellCoder(planForCoder(plan));
    return { plan };
  }
  if (ending.reason && TASK_ENDING_STOPS.includes(ending.reason)) return { ending };
  host.journal.append({ type: 'warning', message: `The planner ended without a plan (${ending.summary}); the coder goes on without one.` });
  return { plan: null };
}

async function verifierPhase(host: RoleHost, model: ModelClient, acceptance: string[], coded: Ending): Promise<{ verdict: VerdictSubmission | null; note: string }> {
  const submitted: { verdict: VerdictSubmission | null } = { verdict: null };
  const closing = submitVerdictTool((verdict) => { submitted.verdict = verdict; });
  const input = host.promptInput();
  const brief = verifierBriefMessage({ goal: host.goal, acceptanceCriteria: acceptance, coderSummary: coded.summary, testVerdict: host.testVerdict() ?? 'none', diff: host.diff() });
  const messages: ChatMessage[] = [{ role: 'system', content: verifierSystemPrompt(input) }, { role: 'user', content: brief }];
  let note = '';
  try {
    const ending = await inRole(host, 'verifier', model, 'judges the change against the goal and the acceptance criteria', () => host.runPhase({
      role: 'verifier', model, readOnly: { tools: roleTools('verifier', closing), messages, closing: SUBMIT_VERDICT, mayRunTests: true },
    }));
    note = ending.summary;
  } catch (error) {
    // Cancellation ends the task; any other failure of the verifier leaves the tests' verdict as the result.
    if (error instanceof Error && error.name === 'AbortError') throw error;
    note = error instanceof Error ? error.message : String(error);
  }
  const verdict = submitted.verdict;
  if (!verdict) host.journal.append({ type: 'warning', message: `The verifier gave no verdict (${note}); the tests' verdict stands.` });
  return { verdict, note };
}

/** Runs a phase with every event stamped with its role, announced by role_started. */
async function inRole(host: RoleHost, role: RoleName, model: ModelClient, reason: string, run: () => Promise<Ending>): Promise<Ending> {
  host.journal.role = role;
  try {
    host.journal.append({ type: 'role_started', model: model.model, reason: `The ${role} ${reason}.` });
    return await run();
  } finally {
    host.journal.role = undefined;
  }
}

function withRole(journal: Journal, role: RoleName, append: () => void): void {
  journal.role = role;
  try {
    append();
  } finally {
    journal.role = undefined;
  }
}
