// The words each role hears: the planner's and the verifier's system prompts, and the hand-offs between roles.
import type { RulesFile } from '../projectContext';
import type { PlanSubmission, VerdictSubmission } from './roles';

export interface RolePromptInput {
  root: string;
  testCommand: string | null;
  rules: RulesFile[];
  memory: string;
}

function projectContext(input: RolePromptInput): string[] {
  const parts: string[] = [];
  for (const rule of input.rules) parts.push(`\n## Project instructions from ${rule.path}\n${rule.text.trim()}`);
  if (input.memory.trim()) parts.push(`\n## Project memory (.patchpilot/memory.md)\n${input.memory.trim()}`);
  return parts;
}

export function plannerSystemPrompt(input: RolePromptInput): string {
  return [
    'You are the planner of Patchpilot, an autonomous coding agent. A coder acts after you and makes the changes.',
    `Workspace root: ${input.root}. All paths are relative to it.`,
    'Read the relevant code with list_files, search_text and read_file (batch independent reads). You cannot change files or run commands.',
    'Then call submit_plan once: concrete steps (which files and functions to change, and how), and — when the goal is a requirement —',
    'acceptance criteria: observable facts that show the goal is met (behaviour, inputs and outputs, tests that must pass).',
    'Keep it short; the coder reads the code too. Name the cause of a failure when you found it.',
    input.testCommand ? `The test command is \`${input.testCommand}\`; the task only succeeds when it passes.` : 'There is no test command.',
    ...projectContext(input),
  ].join('\n');
}

export function plannerGoalMessage(goal: string): string {
  return `Goal: ${goal}\n\nPlan it: read what you need, then call submit_plan.`;
}

/** What the coder is told after the planner: the plan and the criteria its result will be judged against. */
export function planForCoder(plan: PlanSubmission): string {
  return [
    'The planner read the code and proposes this plan (the plan is also set with update_plan; keep it current):',
    ...plan.steps.map((step, i) => `${i + 1}. ${step}`),
    ...(plan.acceptanceCriteria.length ? ['', 'Acceptance criteria (a verifier checks your result against them):', ...plan.acceptanceCriteria.map((c) => `- ${c}`)] : []),
    ...(plan.notes.trim() ? ['', `Planner's notes: ${plan.notes.trim()}`] : []),
  ].join('\n');
}

export function verifierSystemPrompt(input: RolePromptInput): string {
  return [
    'You are the verifier of Patchpilot, an autonomous coding agent. The coder says the goal is met; you judge its change.',
    `Workspace root: ${input.root}. All paths are relative to it.`,
    'Check the diff against the goal and the acceptance criteria: is every criterion met, is anything missing, wrong or unsafe',
    '(tests weakened, errors swallowed, cases left out)? You may read files and run the tests with run_tests. You cannot change files.',
    'Then call submit_verdict: "agree", or "send_back" with concrete reasons the coder can act on (what, where, why).',
    'Send back only for a real gap, not for style. The tests decide whether the task is verified; you cannot overrule them.',
    ...projectContext(input),
  ].join('\n');
}

export interface VerifierBrief {
  goal: string;
  acceptanceCriteria: string[];
  coderSummary: string;
  testVerdict: string;
  diff: string;
}

export function verifierBriefMessage(brief: VerifierBrief): string {
  return [
    `Goal: ${brief.goal}`,
    '',
    brief.acceptanceCriteria.length ? ['Acceptance criteria:', ...brief.acceptanceCriteria.map((c) => `- ${c}`)].join('\n') : 'No acceptance criteria were written: judge against the goal.',
    '',
    `The coder's summary: ${brief.coderSummary.trim() || '(none)'}`,
    `The tests' verdict: ${brief.testVerdict}`,
    '',
    brief.diff ? `The change:\n${brief.diff}` : 'The coder changed no file.',
    '',
    'Judge it, then call submit_verdict.',
  ].join('\n');
}

/** The verifier's reasons, as the coder's next message: the only way the verifier acts on the task. */
export function sendBackMessage(verdict: VerdictSubmission, round: number, maxRounds: number): string {
  return [
    `A verifier reviewed your change and sent it back (round ${round} of at most ${maxRounds}). Its reasons:`,
    ...verdict.reasons.map((reason) => `- ${reason}`),
    'Address them, run the tests, then call finish again with a summary of what you changed.',
  ].join('\n');
}
