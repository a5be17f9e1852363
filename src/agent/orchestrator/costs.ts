// Cost accounting per role and per model, read from the task's own events (live, and again on resume), so the
// report says what each role and each model cost. The budgets are not here: they bind the whole task (SessionState).
import type { RoleName, TaskEvent } from '../events';
import type { TokenUsage } from '../ports';

export interface Usage { promptTokens: number; completionTokens: number; costUsd: number | null }

/** One role's share: the model it used last (the stronger one after an escalation), its calls and tokens. */
export interface RoleShare { model: string; modelCalls: number; usage: Usage }

export interface ModelShare { modelCalls: number; usage: Usage }

export interface Escalation { from: string; to: string; reason: string; step: number }

export interface VerifierOutcome { decision: 'agree' | 'send_back'; reasons: string[]; sendBacks: number }

export class RoleLedger {
  readonly roles: Partial<Record<RoleName, RoleShare>> = {};
  readonly models: Record<string, ModelShare> = {};
  escalation: Escalation | null = null;
  sendBacks = 0;
  verifier: VerifierOutcome | null = null;
  /** The planner's acceptance criteria, kept for the verifier of a resumed or reopened task. */
  acceptanceCriteria: string[] = [];

  /** `defaultModel`: the name for replies journaled without one (journals from before roles). */
  constructor(private readonly defaultModel: string) {}

  static from(events: readonly TaskEvent[], defaultModel: string): RoleLedger {
    const ledger = new RoleLedger(defaultModel);
    for (const event of events) ledger.note(event);
    return ledger;
  }

  note(event: TaskEvent): void {
    if (event.type === 'model_reply') {
      // A reply without a role came from the one loop of a task without roles: the coder's.
      const role = event.role ?? 'coder';
      const model = event.model ?? this.defaultModel;
      const share = this.roles[role] ?? { model, modelCalls: 0, usage: emptyUsage() };
      share.model = model;
      share.modelCalls++;
      add(share.usage, event.usage);
      this.roles[role] = share;
      const byModel = this.models[model] ?? { modelCalls: 0, usage: emptyUsage() };
      byModel.modelCalls++;
      add(byModel.usage, event.usage);
      this.models[model] = byModel;
    } else if (event.type === 'escalated') {
      this.escalation = { from: event.from, to: event.to, reason: event.reason, step: event.step };
    } else if (event.type === 'planned') {
      this.acceptanceCriteria = event.acceptanceCriteria;
    } else if (event.type === 'role_verdict') {
      if (event.sentBack) this.sendBacks++;
      this.verifier = { decision: event.decision, reasons: event.reasons, sendBacks: this.sendBacks };
    }
  }
}

/** What a verified fix cost: the task's whole usage when the tests verified it, else null (nothing was bought). */
export function usagePerVerifiedFix(status: string, usage: Usage): Usage | null {
  return status === 'verified' ? { ...usage } : null;
}

function emptyUsage(): Usage {
  return { promptTokens: 0, completionTokens: 0, costUsd: null };
}

function add(total: Usage, usage: TokenUsage): void {
  total.promptTokens += usage.promptTokens;
  total.completionTokens += usage.completionTokens;
  if (usage.costUsd !== null) total.costUsd = (total.costUsd ?? 0) + usage.costUsd;
}
