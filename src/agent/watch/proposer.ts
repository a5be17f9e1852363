// The pieces of watch mode that touch the machine, shared by the CLI and VS Code: a test command's outcome read as a
// verdict (with a failure signature), and a proposal made in a throwaway worktree — the task runs there, its changes
// become `.patchpilot/proposals/<name>.patch` with a short `<name>.md` beside it, and the worktree is removed.
import * as path from 'node:path';
import type { CommandResult } from '../ports';
import { createWorktree, removeWorktree, type TaskWorktree } from '../../tools/changes/worktrees';
import { failureSignature, normaliseFailureMessage, parseTestOutput } from '../../tools/testparse';
import { ensureProposalsDir, writeWorktreeProposal } from '../queue/proposals';
import { writeFileAtomic } from '../queue/store';
import type { ProposalRequest, ProposalResult, TestVerdict } from './testWatch';

export function verdictOf(result: CommandResult, cwd: string): TestVerdict {
  if (result.cancelled) return { passed: false, signature: '', failures: [], exitCode: null, cancelled: true };
  const passed = result.exitCode === 0 && !result.timedOut;
  if (passed) return { passed: true, signature: '', failures: [], exitCode: 0, cancelled: false };
  const parsed = parseTestOutput(result.output, 'auto', { cwd });
  // Output no parser understood still has a signature: the exit and the last lines, with numbers and paths smoothed.
  const signature = parsed.failures.length > 0
    ? failureSignature(parsed.failures)
    : failureSignature([{ name: result.timedOut ? 'timed out' : `exit ${result.exitCode}`, file: null, line: null, message: normaliseFailureMessage(parsed.tail ?? '') }]);
  return { passed: false, signature, failures: parsed.failures, exitCode: result.exitCode, cancelled: false };
}

/** The proposal task's goal: the fix-tests goal, with the tests that started failing named (CLI and VS Code alike). */
export function proposalGoal(baseGoal: string, request: Pick<ProposalRequest, 'failures'>): string {
  const names = request.failures.slice(0, 5).map((failure) => failure.name);
  return names.length ? `${baseGoal} (they started failing after a change: ${names.join('; ')})` : baseGoal;
}

/** Runs the fix task in a folder; resolves with its status (the task's own report). */
export type ProposalTask = (worktree: TaskWorktree, request: ProposalRequest, signal: AbortSignal) => Promise<Omit<ProposalResult, 'patchPath' | 'files'>>;

export interface ProposeOptions {
  root: string;
  task: ProposalTask;
  isProtected?: (relative: string) => boolean;
  now?: () => Date;
}

/** One proposal: worktree, task, patch (only when the task verified its fix), summary; the worktree never outlives it. */
export async function proposeInWorktree(options: ProposeOptions, request: ProposalRequest, signal: AbortSignal): Promise<ProposalResult> {
  const worktree = await createWorktree(options.root, { purpose: `watch proposal ${request.number}`, label: 'watch', isProtected: options.isProtected });
  try {
    const outcome = await options.task(worktree, request, signal);
    if (outcome.status !== 'verified' || signal.aborted) return { ...outcome, patchPath: null, files: [] };
    const name = `watch-${stamp((options.now ?? (() => new Date()))())}-${request.number}`;
    const written = await writeWorktreeProposal(worktree, name);
    if (!written) return { ...outcome, patchPath: null, files: [] };
    writeFileAtomic(path.join(ensureProposalsDir(options.root), `${name}.md`), summaryText(name, request, outcome, written.files));
    return { ...outcome, patchPath: written.patchPath, files: written.files };
  } finally {
    await removeWorktree(worktree);
  }
}

function summaryText(name: string, request: ProposalRequest, outcome: Omit<ProposalResult, 'patchPath' | 'files'>, files: string[]): string {
  const failing = request.failures.length
    ? request.failures.map((failure) => `- ${failure.name}${failure.file ? ` (${failure.file}${failure.line ? `:${failure.line}` : ''})` : ''}: ${failure.message.split('\n')[0]}`)
    : ['- (the test output named no single test)'];
  return [`# Proposal ${name}`, '', `Status: ${outcome.status}. ${outcome.summary}`, '', 'Failing before:', ...failing, '',
    `Changes: ${files.join(', ')}`, `Task: ${outcome.taskId ?? '(none)'} (journal in .patchpilot/tasks)`, '',
    `Apply: git apply .patchpilot/proposals/${name}.patch`, ''].join('\n');
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}
