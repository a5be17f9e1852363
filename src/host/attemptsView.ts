// The panel's Attempts section and cost breakdown, derived from the task's events: the parent task's attempts events
// (started, finished, judged, applied) and each attempt's own events as they stream in (steps, tokens, cost). Pure:
// no 'vscode' import, so it is tested under plain mocha and rebuilds a past task's view from its journal alike.
import type { TaskEvent } from '../agent/events';
import type { RoleLedger, Usage } from '../agent/orchestrator/costs';
import type { AttemptRowView, AttemptsView, CostBreakdownView } from '../shared/viewModel';

const tokensOf = (usage: Usage) => usage.promptTokens + usage.completionTokens;

function addCost(total: number | null, cost: number | null): number | null {
  return cost === null ? total : (total ?? 0) + cost;
}

function emptyRow(id: string, model: string): AttemptRowView {
  return { id, model, state: 'running', status: null, reason: null, steps: 0, failingTests: null, regressions: null, diffLines: null,
    tokens: 0, costUsd: null, rank: null, chosen: false, reasons: [], files: [], summary: '' };
}

/** The judge's reasons that name `id` as a whole word (the headline "Chosen: …" is the section's own) ("attempt-1" is not named by "attempt-10"). */
function reasonsNaming(id: string, reasons: readonly string[]): string[] {
  const word = new RegExp(`(^|[^\\w-])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`);
  return reasons.filter((reason) => word.test(reason));
}

export class AttemptsTracker {
  private view: AttemptsView | null = null;

  get current(): AttemptsView | null {
    return this.view;
  }

  /** The parent task's event: a new view, or null when it changes nothing here. */
  applyTaskEvent(event: TaskEvent): AttemptsView | null {
    switch (event.type) {
      case 'attempts_started':
        this.view = { count: event.count, parallel: event.parallel, chosen: null, judged: false, reasons: [], conflicts: [],
          rows: Array.from({ length: event.count }, (_, i) => emptyRow(`attempt-${i + 1}`, event.models[i] ?? '')) };
        return this.snapshot();
      case 'attempt_finished': {
        const report = event.attempt;
        this.updateRow(report.id, (row) => ({
          ...row, model: report.model, state: 'finished', status: report.status, reason: report.reason, steps: report.steps,
          failingTests: report.failingTests, regressions: report.regressions, diffLines: report.diffLines,
          tokens: tokensOf(report.usage), costUsd: report.usage.costUsd, files: report.changes.map((c) => c.path), summary: report.summary,
        }));
        return this.snapshot();
      }
      case 'attempts_judged': {
        if (!this.view) return null;
        const { judgement } = event;
        this.view = {
          ...this.view, judged: true, chosen: judgement.chosen, reasons: judgement.reasons,
          rows: this.view.rows.map((row) => {
            const place = judgement.ranking.indexOf(row.id);
            return { ...row, rank: place < 0 ? null : place + 1, chosen: row.id === judgement.chosen, reasons: reasonsNaming(row.id, judgement.reasons.filter((reason) => !reason.startsWith('Chosen:'))) };
          }),
        };
        return this.snapshot();
      }
      case 'attempt_applied':
        if (!this.view) return null;
        this.view = { ...this.view, conflicts: event.application.conflicts };
        return this.snapshot();
      default:
        return null;
    }
  }

  /** One attempt's own event while it runs: its steps, tokens and cost so far. */
  applyAttemptEvent(id: string, event: TaskEvent): AttemptsView | null {
    if (event.type !== 'model_reply') return null;
    this.updateRow(id, (row) => row.state === 'finished' ? row
      : { ...row, steps: Math.max(row.steps, event.step), tokens: row.tokens + tokensOf(event.usage), costUsd: addCost(row.costUsd, event.usage.costUsd) });
    return this.snapshot();
  }

  /** Steps, tokens and cost of every attempt together: what the meter shows for a task of attempts. */
  totals(): { steps: number; tokens: number; costUsd: number | null } {
    const rows = this.view?.rows ?? [];
    return { steps: rows.reduce((n, row) => n + row.steps, 0), tokens: rows.reduce((n, row) => n + row.tokens, 0),
      costUsd: rows.reduce<number | null>((n, row) => addCost(n, row.costUsd), null) };
  }

  private updateRow(id: string, change: (row: AttemptRowView) => AttemptRowView): void {
    if (!this.view) return;
    const rows = this.view.rows.some((row) => row.id === id) ? this.view.rows : [...this.view.rows, emptyRow(id, '')];
    this.view = { ...this.view, rows: rows.map((row) => (row.id === id ? change(row) : row)) };
  }

  private snapshot(): AttemptsView | null {
    return this.view && structuredClone(this.view);
  }
}

/**
 * Calls, tokens and cost per role (the same accounting as the report's `roles`, fed by the task's replies and every
 * attempt's), per attempt (the Attempts rows), and what the verified fix cost (`usagePerVerifiedFix`), when it was.
 */
export function costBreakdown(ledger: RoleLedger, attempts: AttemptsView | null, perVerifiedFix: CostBreakdownView['perVerifiedFix']): CostBreakdownView {
  const order = ['planner', 'coder', 'verifier'] as const;
  return {
    roles: order.flatMap((role) => {
      const share = ledger.roles[role];
      return share ? [{ role, model: share.model, calls: share.modelCalls, tokens: tokensOf(share.usage), costUsd: share.usage.costUsd }] : [];
    }),
    attempts: (attempts?.rows ?? []).map((row) => ({ id: row.id, model: row.model, tokens: row.tokens, costUsd: row.costUsd })),
    perVerifiedFix,
  };
}
