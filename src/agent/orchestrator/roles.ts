// The roles of a task: each is a configuration of the same loop — which tools it may call, what its context can
// touch, which tool closes its phase. The planner and the verifier are read-only (the verifier may run the tests);
// the coder is today's loop. A role never gets more than the coder: the same workspace, path policy, sandbox,
// command rules and approval bind it, and its write and command services refuse on top of the missing tools.
import { ALL_TOOLS, ToolRegistry } from '../../tools/registry';
import type { ChangeWriter, CommandGate, TestGate, ToolContext } from '../../tools/context';
import { defineTool, failure, type ToolDefinition } from '../../tools/tool';
import type { RoleName } from '../events';
import type { ModelClient } from '../ports';

export type { RoleName } from '../events';

type AnyTool = ToolDefinition<never>;

export const SUBMIT_PLAN = 'submit_plan';
export const SUBMIT_VERDICT = 'submit_verdict';

/** What each read-only role may call; the coder has every tool (undefined). */
export const ROLE_TOOLS: Record<RoleName, readonly string[] | undefined> = {
  planner: ['read_file', 'list_files', 'search_text', 'update_plan', SUBMIT_PLAN],
  coder: undefined,
  verifier: ['read_file', 'list_files', 'search_text', 'run_tests', SUBMIT_VERDICT],
};

const ROLE_PURPOSE: Record<RoleName, string> = {
  planner: 'the planner reads the code and plans; the coder makes the changes after it',
  coder: 'the coder changes the code',
  verifier: 'the verifier reads the change and may run the tests; only the coder changes files',
};

/**
 * The models of the read-only roles: each its own client (the coder's where none was configured). The coder's model
 * is the session's own `model`, so a task without roles and the coder of a task with roles are configured alike.
 */
export interface RoleModels {
  planner: ModelClient;
  verifier: ModelClient;
}

export interface RolesOptions {
  models: RoleModels;
  /** How many times the verifier may send the coder back (default 2). */
  maxSendBacks?: number;
}

export const DEFAULT_MAX_SEND_BACKS = 2;

/**
 * A registry holding only the role's tools. A known tool outside them is refused with the reason (not "unknown"),
 * so the model learns why and what it may do instead; the tool is not even in the registry, so it cannot run.
 */
export class RoleToolRegistry extends ToolRegistry {
  private readonly known = new Set(ALL_TOOLS.map((tool) => tool.name));

  constructor(readonly role: RoleName, tools: readonly AnyTool[]) {
    super(tools);
  }

  override validate(name: string, args: unknown) {
    if (!this.has(name) && this.known.has(name)) {
      const allowed = this.schemas().map((tool) => tool.name).join(', ');
      return failure('read_only_mode', `${name} is not available to the ${this.role}: ${ROLE_PURPOSE[this.role]}. The ${this.role}'s tools: ${allowed}.`);
    }
    return super.validate(name, args);
  }
}

/** The tools of a read-only role: the allowed built-ins plus its closing tool. */
export function roleTools(role: RoleName, closing: AnyTool): AnyTool[] {
  const allowed = new Set(ROLE_TOOLS[role] ?? []);
  return [...ALL_TOOLS.filter((tool) => allowed.has(tool.name)), closing];
}

/**
 * The tool context of a read-only role: writes and commands refuse whatever asks for them (a second wall behind the
 * registry), and reads are not remembered as the coder's, so the coder still reads a file before overwriting it.
 */
export function readOnlyContext(base: ToolContext, role: RoleName, mayRunTests: boolean): ToolContext {
  const refuse = (what: string) => failure('read_only_mode', `The ${role} cannot ${what}: ${ROLE_PURPOSE[role]}.`);
  const writer: ChangeWriter = {
    apply: async () => refuse('change files'),
    noteRead: () => undefined,
    hasSeen: () => false,
  };
  const commands: CommandGate = { runCommand: async () => refuse('run commands') };
  const tests: TestGate = mayRunTests ? base.tests : { runTests: async () => null };
  return { ...base, writer, commands, tests, remember: async () => refuse('write to the project memory'), forget: async () => refuse('change the project memory'), mcp: undefined };
}

export interface PlanSubmission { steps: string[]; acceptanceCriteria: string[]; notes: string }

/** The planner's closing tool: the plan and the acceptance criteria, handed to the coder and the verifier. */
export function submitPlanTool(onPlan: (plan: PlanSubmission) => void): AnyTool {
  return defineTool<{ steps: string[]; acceptance_criteria?: string[]; notes?: string }>({
    name: SUBMIT_PLAN,
    description: 'Hand your plan to the coder: concrete steps (files and functions to change), and for a requirement the acceptance criteria — observable facts that show the goal is met. Call it once, when you have read enough.',
    parameters: {
      type: 'object',
      properties: {
        steps: { type: 'array', minItems: 1, maxItems: 20, items: { type: 'string', minLength: 1 } },
        acceptance_criteria: { type: 'array', maxItems: 20, items: { type: 'string', minLength: 1 } },
        notes: { type: 'string', description: 'What the coder should know: where the cause is, what to avoid.' },
      },
      required: ['steps'],
      additionalProperties: false,
    },
    readOnly: true,
    async run(args, context) {
      const plan = { steps: args.steps, acceptanceCriteria: args.acceptance_criteria ?? [], notes: args.notes ?? '' };
      context.setPlan(plan.steps.map((title) => ({ title, status: 'pending' })));
      onPlan(plan);
      return { ok: true, output: `Plan handed to the coder (${plan.steps.length} steps, ${plan.acceptanceCriteria.length} acceptance criteria).` };
    },
  }) as unknown as AnyTool;
}

export interface VerdictSubmission { decision: 'agree' | 'send_back'; reasons: string[] }

/** The verifier's closing tool: agree with the coder's result, or send it back with reasons. */
export function submitVerdictTool(onVerdict: (verdict: VerdictSubmission) => void): AnyTool {
  return defineTool<{ decision: 'agree' | 'send_back'; reasons?: string[] }>({
    name: SUBMIT_VERDICT,
    description: 'Your judgement of the change: "agree" when it meets the goal and the acceptance criteria, "send_back" with concrete reasons (what is missing or wrong, where) when it does not. The tests\' verdict stands either way.',
    parameters: {
      type: 'object',
      properties: {
        decision: { type: 'string', enum: ['agree', 'send_back'] },
        reasons: { type: 'array', maxItems: 10, items: { type: 'string', minLength: 1 } },
      },
      required: ['decision'],
      additionalProperties: false,
    },
    readOnly: true,
    async run(args) {
      const reasons = args.reasons ?? [];
      if (args.decision === 'send_back' && reasons.length === 0) {
        return failure('invalid_arguments', 'send_back needs at least one reason: say what is missing or wrong, and where.');
      }
      onVerdict({ decision: args.decision, reasons });
      return { ok: true, output: args.decision === 'agree' ? 'Verdict recorded: agree.' : `Verdict recorded: sent back with ${reasons.length} reason(s).` };
    },
  }) as unknown as AnyTool;
}
