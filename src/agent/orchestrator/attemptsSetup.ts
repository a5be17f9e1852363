// What every front end of parallel attempts needs besides the orchestrator itself (the CLI's --attempts and the
// extension's attempts commands share it, so they cannot drift): the header that names the attempt a request serves,
// how attempt models are cycled over a list of names, the bounds of the count, the approver of an attempt's worktree,
// and the one-line account of a finished attempt.
import type { Approver } from '../ports';
import type { AttemptReport } from './attemptsTypes';

/** Sent on every model request of attempt k (1-based): a scripted server serves each attempt from its own lane. */
export const ATTEMPT_HEADER = 'X-Patchpilot-Attempt';
export const MAX_ATTEMPTS = 16;

/** The header of attempt `index` (0-based). */
export function attemptHeader(index: number): Record<string, string> {
  return { [ATTEMPT_HEADER]: String(index + 1) };
}

/** Attempt `index` (0-based) gets the ((index mod count)+1)-th name; without names, `fallback`. */
export function attemptModelName(names: readonly string[], index: number, fallback: string): string {
  return names.length ? names[index % names.length] : fallback;
}

/** Why `count` is not a valid number of attempts, or null when it is (a whole number from 1 to MAX_ATTEMPTS). */
export function attemptCountProblem(count: number, max = MAX_ATTEMPTS): string | null {
  return Number.isInteger(count) && count >= 1 && count <= max ? null : `takes a whole number from 1 to ${max}`;
}

/**
 * The approver of an attempt: nobody is asked while attempts run, because nothing reaches the person's files until the
 * chosen attempt is reviewed. Every hunk is accepted (it lands in the attempt's own worktree); a command outside the
 * allow rules runs only inside the sandbox, and never when it names a protected path. `how` words the refusals for the
 * front end ("use --approve ask" in the CLI, the settings in VS Code).
 */
export function unattendedApprover(how: { protectedPath: string; unconfined: (detail: string) => string }): Approver {
  return {
    async reviewChanges({ changes }) {
      return { files: changes.map((c) => ({ path: c.path, hunks: c.hunks.map((h) => ({ index: h.index, accepted: true })) })) };
    },
    async approveCommand({ touchesProtectedPath, unconfined }) {
      if (touchesProtectedPath) return { approved: false, feedback: how.protectedPath };
      if (unconfined) return { approved: false, feedback: how.unconfined(unconfined) };
      return { approved: true };
    },
  };
}

/** "◆ attempt-2 (gpt-4.1): verified, failing 0, regressions 0, 2 changed lines, 1570 tokens" (without the mark). */
export function describeAttempt(report: Pick<AttemptReport, 'id' | 'model' | 'status' | 'reason' | 'failingTests' | 'regressions' | 'diffLines' | 'usage'>): string {
  return `${report.id} (${report.model}): ${report.status}${report.reason ? ` (${report.reason})` : ''}, failing ${report.failingTests ?? 'unknown'}, `
    + `regressions ${report.regressions ?? 'unknown'}, ${report.diffLines} changed lines, ${report.usage.promptTokens + report.usage.completionTokens} tokens`;
}
