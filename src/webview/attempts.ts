// The panel's Attempts section (every parallel attempt: model, status, failing tests, regressions, diff size, cost,
// the judge's rank and reasons, and its changed files, each opening a read-only diff) and the cost breakdown under
// the meter (per role, per attempt, per verified fix). Rendered from the host's view models only.
import type { AttemptRowView, AttemptsView, CostBreakdownView } from '../shared/viewModel';
import { el } from './dom';

const STATUS_WORDS: Record<NonNullable<AttemptRowView['status']>, string> = {
  verified: 'Verified', unverified: 'Not verified', failed: 'Failed', stopped: 'Stopped',
};

export function formatTokens(tokens: number): string {
  return tokens >= 1000 ? `${(tokens / 1000).toFixed(1)}k` : String(tokens);
}

function money(costUsd: number | null): string | null {
  return costUsd === null ? null : `$${costUsd.toFixed(4)}`;
}

const known = (n: number | null, word: string) => (n === null ? `${word} unknown` : `${n} ${word}`);

function figures(row: AttemptRowView): string {
  const parts = [known(row.failingTests, 'failing'), known(row.regressions, row.regressions === 1 ? 'regression' : 'regressions'),
    row.diffLines === null ? null : `${row.diffLines} changed line${row.diffLines === 1 ? '' : 's'}`,
    `${row.steps} step${row.steps === 1 ? '' : 's'}`, `${formatTokens(row.tokens)} tokens`, money(row.costUsd)];
  return parts.filter((part): part is string => part !== null).join(' · ');
}

function renderRow(row: AttemptRowView, openDiff: (attempt: string, path: string) => void): HTMLElement {
  const status = row.state === 'running' ? 'Running' : row.status ? STATUS_WORDS[row.status] : 'Finished';
  return el('li', { className: `attempt${row.chosen ? ' chosen' : ''}`, 'data-attempt': row.id, 'data-rank': row.rank ?? undefined, 'data-state': row.state },
    el('div', { className: 'attempt-head' },
      el('span', { className: 'attempt-rank', title: 'The judge\'s ranking' }, row.rank === null ? '·' : `#${row.rank}`),
      el('strong', { className: 'attempt-id' }, row.id),
      el('span', { className: 'muted attempt-model' }, row.model),
      el('span', { className: `badge status-${row.state === 'running' ? 'running' : row.status ?? 'stopped'} attempt-status` }, status),
      row.chosen ? el('span', { className: 'badge chosen-chip', title: 'Its changes are the ones brought to your review' }, 'Chosen') : null,
      row.reason ? el('span', { className: 'muted' }, `(${row.reason.replace(/_/g, ' ')})`) : null),
    el('div', { className: 'attempt-figures' }, figures(row)),
    row.reasons.length ? el('ul', { className: 'attempt-reasons', 'aria-label': `The judge on ${row.id}` }, ...row.reasons.map((reason) => el('li', {}, reason))) : null,
    row.files.length ? el('div', { className: 'attempt-files' }, el('span', { className: 'muted' }, 'Diff:'),
      ...row.files.map((path) => el('button', {
        className: 'link attempt-diff', 'data-path': path, title: `Open ${row.id}'s change to ${path} (read-only)`,
        onclick: () => openDiff(row.id, path),
      }, path))) : null);
}

/** The Attempts section, or nothing for a task of one attempt. */
export function renderAttempts(view: AttemptsView | null | undefined, openDiff: (attempt: string, path: string) => void): HTMLElement | null {
  if (!view) return null;
  const rows = view.judged ? [...view.rows].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity)) : view.rows;
  const running = view.rows.filter((row) => row.state === 'running').length;
  const headline = view.judged ? view.reasons[0] ?? '' : running ? `${running} of ${view.count} still running (${view.parallel} at once).` : 'Waiting for the judge.';
  return el('section', { className: 'attempts', id: 'attempts', 'aria-label': 'Attempts' },
    el('h2', {}, `Attempts (${view.count})`),
    el('p', { className: 'attempts-headline', id: 'attempts-headline' }, headline),
    el('ol', { className: 'attempt-list', role: 'list' }, ...rows.map((row) => renderRow(row, openDiff))),
    view.conflicts.length ? el('p', { className: 'attempts-conflicts' }, `Not applied: ${view.conflicts.map((c) => `${c.path} (${c.reason})`).join('; ')}`) : null);
}

/** The compact breakdown under the meter: per role, per attempt, and what the verified fix cost. */
export function renderCosts(costs: CostBreakdownView | null | undefined): HTMLElement | null {
  if (!costs || (costs.roles.length === 0 && costs.attempts.length === 0 && !costs.perVerifiedFix)) return null;
  const amount = (tokens: number, costUsd: number | null) => [`${formatTokens(tokens)} tokens`, money(costUsd)].filter(Boolean).join(' · ');
  const label = (role: string) => `${role.charAt(0).toUpperCase()}${role.slice(1)}`;
  return el('div', { className: 'costs', id: 'costs', 'aria-label': 'Cost breakdown' },
    ...costs.roles.map((share) => el('span', { className: 'cost-chip', 'data-role': share.role, title: `${label(share.role)} on ${share.model}` },
      el('strong', {}, label(share.role)), ` ${share.model} · ${share.calls} call${share.calls === 1 ? '' : 's'} · ${amount(share.tokens, share.costUsd)}`)),
    ...costs.attempts.map((share) => el('span', { className: 'cost-chip', 'data-attempt': share.id, title: `${share.id} on ${share.model}` },
      el('strong', {}, share.id), ` ${amount(share.tokens, share.costUsd)}`)),
    costs.perVerifiedFix ? el('span', { className: 'cost-chip per-fix', id: 'per-verified-fix', title: 'What this verified fix cost (usagePerVerifiedFix)' },
      el('strong', {}, 'Per verified fix'), ` ${amount(costs.perVerifiedFix.tokens, costs.perVerifiedFix.costUsd)}`) : null);
}
