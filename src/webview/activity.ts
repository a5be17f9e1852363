// The left side of the panel: goal and meter (header), the plan as a live checklist, and the timeline of steps.
// The timeline renders incrementally: new entries are appended and changed ones replaced, never the whole list.
import type { MeterView, PanelSnapshot, PlanItemView, TimelineEntry } from '../shared/viewModel';
import { STATUS_LABELS } from '../shared/taskState';
import { renderCosts } from './attempts';
import { clear, el } from './dom';


function gauge(label: string, value: number, limit: number | null, text: string): HTMLElement {
  const ratio = limit ? Math.min(1, value / limit) : 0;
  const level = ratio >= 0.9 ? 'high' : ratio >= 0.6 ? 'mid' : 'low';
  return el('div', { className: 'gauge', role: 'meter', 'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': limit ?? undefined, 'aria-valuenow': value },
    el('span', { className: 'gauge-label' }, label),
    el('span', { className: 'gauge-value' }, text),
    limit ? el('span', { className: `gauge-bar ${level}` }, fill(ratio)) : null);
}

/** Widths go through the CSSOM: the CSP allows no inline style attributes. */
function fill(ratio: number): HTMLElement {
  const bar = el('span', { className: 'gauge-fill' });
  bar.style.width = `${(ratio * 100).toFixed(1)}%`;
  return bar;
}

function formatTokens(tokens: number): string {
  return tokens >= 1000 ? `${(tokens / 1000).toFixed(1)}k` : String(tokens);
}

export function renderMeter(meter: MeterView): HTMLElement {
  const cost = meter.costUsd === null ? 'price unknown' : `$${meter.costUsd.toFixed(4)}${meter.maxCostUsd ? ` / $${meter.maxCostUsd}` : ''}`;
  return el('div', { className: 'meter', id: 'meter' },
    gauge('Steps', meter.steps, meter.maxSteps, `${meter.steps}${meter.maxSteps ? ` / ${meter.maxSteps}` : ''}`),
    gauge('Tokens', meter.tokens, meter.maxTokens, `${formatTokens(meter.tokens)}${meter.maxTokens ? ` / ${formatTokens(meter.maxTokens)}` : ''}`),
    gauge('Cost', meter.costUsd ?? 0, meter.costUsd === null ? null : meter.maxCostUsd, cost));
}

export interface HeaderActions {
  stop(): void;
  answerCommand(questionId: string, run: boolean, always?: boolean): void;
}

/** The pending command question: it stays here until answered, unlike a notification that folds away. */
function renderQuestion(question: NonNullable<PanelSnapshot['question']>, actions: HeaderActions): HTMLElement {
  return el('div', { className: 'question', id: 'question', role: 'alertdialog', 'aria-labelledby': 'question-text', tabindex: -1 },
    el('p', { id: 'question-text' }, 'Run ', el('code', { id: 'question-command' }, question.command), '?'),
    el('p', { className: 'muted' }, `${question.reason} Rules that run without asking go in the setting patchpilot.commands.allow.`),
    el('div', { className: 'question-actions' },
      el('button', { id: 'question-run', onclick: () => actions.answerCommand(question.questionId, true) }, 'Run Command'),
      question.canAlways ? el('button', { className: 'secondary', id: 'question-always', onclick: () => actions.answerCommand(question.questionId, true, true) }, 'Always Allow') : null,
      el('button', { className: 'secondary', id: 'question-deny', onclick: () => actions.answerCommand(question.questionId, false) }, 'Don\'t Run')));
}

export function renderHeader(snapshot: PanelSnapshot, actions: HeaderActions): HTMLElement {
  const running = !snapshot.readOnly && (snapshot.status === 'running' || (snapshot.status === 'review' && snapshot.review?.mode === 'ask'));
  // The header shows the task in the person's words; the expanded prompt (with attached context) is in the tooltip.
  const title = snapshot.title || snapshot.goal;
  return el('header', { className: 'header' },
    el('div', { className: 'title-row' },
      el('span', { className: `badge status-${snapshot.status}`, id: 'status', 'data-status': snapshot.status }, STATUS_LABELS[snapshot.status]),
      snapshot.restricted ? el('span', { className: 'badge restricted', title: 'Restricted Mode: no commands run, every change is reviewed' }, 'Restricted Mode') : null,
      el('span', { className: 'badge mode' }, snapshot.approval === 'ask' ? 'Review each change' : 'Autonomous'),
      snapshot.readOnly ? el('span', { className: 'badge read-only', id: 'read-only' }, 'Past task · read-only') : null,
      el('span', { className: 'spacer' }),
      snapshot.readOnly ? null : el('button', { className: 'danger', id: 'stop', disabled: !running, onclick: () => actions.stop(), title: 'Stop the task and kill its commands' }, 'Stop')),
    el('h1', { className: 'goal', id: 'goal', title: snapshot.goal }, title || 'No task yet — run "Patchpilot: New Task" or "Patchpilot: Fix Failing Tests".'),
    el('p', { className: 'status-text', id: 'status-text' }, snapshot.statusText),
    snapshot.question && !snapshot.readOnly ? renderQuestion(snapshot.question, actions) : null,
    renderMeter(snapshot.meter),
    renderCosts(snapshot.costs));
}

export function renderPlan(items: PlanItemView[]): HTMLElement {
  const marks: Record<PlanItemView['status'], string> = { pending: '○', in_progress: '◐', done: '●' };
  return el('section', { className: 'plan', id: 'plan', 'aria-label': 'Plan' },
    el('h2', {}, 'Plan'),
    items.length === 0 ? el('p', { className: 'muted' }, 'No plan yet.') : el('ul', { role: 'list' },
      ...items.map((item) => el('li', { className: `plan-item ${item.status}`, 'data-status': item.status },
        el('span', { className: 'plan-mark', 'aria-hidden': 'true' }, marks[item.status]),
        el('span', { className: 'visually-hidden' }, `${item.status.replace('_', ' ')}: `),
        item.title))));
}

function folded(summary: string, body: string, open = false): HTMLElement {
  return el('details', { open }, el('summary', {}, summary), el('pre', { className: 'output' }, body));
}

function renderTest(entry: Extract<TimelineEntry, { kind: 'test' }>): HTMLElement {
  const green = entry.exitCode === 0;
  const counts = [entry.passed !== null ? `${entry.passed} passed` : '', entry.failed !== null ? `${entry.failed} failed` : ''].filter(Boolean).join(', ');
  return el('div', { className: `entry test ${green ? 'green' : 'red'}` },
    el('div', { className: 'entry-head' },
      el('span', { className: 'icon', 'aria-hidden': 'true' }, green ? '✔' : '✘'),
      el('strong', {}, entry.verification ? 'Verification' : 'Test run'),
      el('code', {}, entry.command),
      el('span', { className: 'muted' }, entry.timedOut ? 'timed out' : `exit ${entry.exitCode ?? '?'}${counts ? ` · ${counts}` : ''}`)),
    entry.failures.length ? el('ul', { className: 'failures' }, ...entry.failures.map((failure) => el('li', { className: 'failure' },
      el('span', { className: 'failure-name' }, failure.name),
      failure.file ? el('span', { className: 'failure-loc' }, `${failure.file}${failure.line ? `:${failure.line}` : ''}`) : null,
      el('div', { className: 'failure-message' }, failure.message)))) : null,
    folded('Output', entry.output));
}

function renderTool(entry: Extract<TimelineEntry, { kind: 'tool' }>): HTMLElement {
  const icon = entry.state === 'running' ? '…' : entry.state === 'ok' ? '✓' : '✗';
  // A failed call's reason stays visible; the arguments and the full result fold away.
  const reason = entry.state === 'error' ? el('div', { className: 'tool-error' }, entry.summary.length > 400 ? `${entry.summary.slice(0, 400)}…` : entry.summary) : null;
  return el('div', { className: `entry tool ${entry.state}` },
    el('details', {},
      el('summary', {},
        el('span', { className: 'icon', 'aria-hidden': 'true' }, icon),
        el('code', { className: 'tool-name' }, entry.name),
        el('span', { className: 'tool-summary' }, entry.state === 'running' ? 'running…' : entry.state === 'error' ? '' : firstLine(entry.summary)),
        entry.code ? el('span', { className: 'code-chip' }, entry.code) : null),
      el('div', { className: 'tool-body' },
        el('div', { className: 'muted' }, 'Arguments'), el('pre', { className: 'output' }, entry.argsText),
        entry.summary ? el('div', { className: 'muted' }, 'Result') : null, entry.summary ? el('pre', { className: 'output' }, entry.summary) : null)),
    reason);
}

function firstLine(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 140 ? `${line.slice(0, 140)}…` : line;
}

export function renderEntry(entry: TimelineEntry): HTMLElement {
  switch (entry.kind) {
    case 'user':
      return el('div', { className: `entry user${entry.followUp ? ' follow-up' : ''}` },
        el('div', { className: 'entry-head muted' }, entry.followUp ? 'You (follow-up)' : 'You'), el('p', { className: 'prose' }, entry.text));
    case 'model':
      return el('div', { className: 'entry model' }, el('div', { className: 'entry-head muted' }, `Model · step ${entry.step}`), el('p', { className: 'prose' }, entry.text));
    case 'tool':
      return renderTool(entry);
    case 'test':
      return renderTest(entry);
    case 'reflection':
      return el('div', { className: 'entry reflection' }, el('div', { className: 'entry-head' }, el('strong', {}, `Reflection after failed run ${entry.attempt}`)),
        el('p', { className: 'prose' }, entry.text));
    case 'file':
      return el('div', { className: 'entry file' }, el('span', { className: 'icon', 'aria-hidden': 'true' }, '✎'), el('code', {}, entry.path),
        el('span', { className: 'added' }, `+${entry.added}`), el('span', { className: 'removed' }, `−${entry.removed}`));
    case 'note':
      return el('div', { className: `entry note ${entry.level}`, role: entry.level === 'error' ? 'alert' : undefined }, entry.text);
    case 'finished':
      return el('div', { className: `entry finished status-${entry.status}` }, el('strong', {}, `Task ${entry.status}`), entry.reason ? ` (${entry.reason.replace(/_/g, ' ')})` : '',
        el('p', { className: 'prose' }, entry.summary));
  }
}

/** The timeline list: keeps one node per entry so appends and replacements touch only what changed. */
export class TimelineView {
  readonly element = el('ol', { className: 'timeline', id: 'timeline', 'aria-label': 'Timeline', 'aria-live': 'polite' });
  private nodes: HTMLElement[] = [];

  reset(entries: TimelineEntry[]): void {
    clear(this.element);
    this.nodes = [];
    this.append(entries);
  }

  append(entries: TimelineEntry[]): void {
    const fragment = document.createDocumentFragment();
    for (const entry of entries) {
      const node = el('li', { 'data-kind': entry.kind }, renderEntry(entry));
      this.nodes.push(node);
      fragment.appendChild(node);
    }
    this.element.appendChild(fragment);
  }

  replace(index: number, entry: TimelineEntry): void {
    const node = this.nodes[index];
    if (!node) return;
    const wasOpen = node.querySelector('details')?.open ?? false;
    clear(node);
    node.setAttribute('data-kind', entry.kind);
    node.appendChild(renderEntry(entry));
    const details = node.querySelector('details');
    if (details && wasOpen) details.open = true;
  }
}
