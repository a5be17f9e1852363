// Turns the task's events into panel patches (timeline, plan, meter, status) and change sets into view models.
// Pure: no 'vscode' import, so it is tested under plain mocha.
import type { TaskEvent } from '../agent/events';
import { RoleLedger } from '../agent/orchestrator/costs';
import type { ProposedFileChange, TokenUsage } from '../agent/ports';
import type { TriageReport } from '../agent/triage/types';
import type { CostBreakdownView, FileChangeView, MeterView, PanelPatch, TimelineEntry } from '../shared/viewModel';
import { AttemptsTracker, costBreakdown } from './attemptsView';

const MAX_ARGS_TEXT = 4000;

export class TaskTimeline {
  private readonly toolEntries = new Map<string, number>();
  /** Arguments of started tools, so the finished entry still shows them. */
  private readonly toolArgs = new Map<string, string>();
  private length = 0;
  private meterState: MeterView;
  /** The last model text shown, so the reflection that repeats it replaces it instead of showing it twice. */
  private lastModel: { index: number; step: number; text: string } | null = null;
  /** Parallel attempts (their rows feed the meter) and the cost per role across the task and its attempts. */
  private readonly attempts = new AttemptsTracker();
  private readonly ledger = new RoleLedger('model');
  private perVerifiedFix: CostBreakdownView['perVerifiedFix'] = null;
  private attemptTriageShown = false;
  /** The task's own steps, tokens and cost, before its attempts' are added. */
  private own: { steps: number; tokens: number; costUsd: number | null };

  constructor(meter: MeterView, timelineLength = 0) {
    this.meterState = { ...meter };
    this.length = timelineLength;
    this.own = { steps: meter.steps, tokens: meter.tokens, costUsd: meter.costUsd };
  }

  /**
   * An event of one parallel attempt while it runs (not the task's own): its row in the Attempts section, the meter
   * (every attempt counts against the task's budget) and the cost per role. Its tool calls name it in the status line.
   */
  applyAttempt(attempt: string, event: TaskEvent): PanelPatch | null {
    if (event.type === 'tool_started' && event.name !== 'update_plan') return { statusText: `${attempt} · step ${event.step}: ${describeTool(event.name, event.args)}` };
    // Every attempt triages from the same checkpoint: the first one's findings are shown, once.
    if (event.type === 'triage' && !this.attemptTriageShown) {
      this.attemptTriageShown = true;
      return this.append({ kind: 'note', level: event.report.flaky.length || event.report.culprits.some((c) => c.commit) ? 'warning' : 'info',
        text: `${triageText(event.report)}\n(Run in ${attempt}'s worktree; every attempt starts from the same checkpoint.)` });
    }
    if (event.type !== 'model_reply') return null;
    this.ledger.note(event);
    const attempts = this.attempts.applyAttemptEvent(attempt, event);
    this.syncMeter();
    return { attempts, meter: this.meterState, costs: this.costs() };
  }

  private costs(): CostBreakdownView {
    return costBreakdown(this.ledger, this.attempts.current, this.perVerifiedFix);
  }

  /** The meter: the task's own usage plus its attempts'. */
  private syncMeter(): void {
    const totals = this.attempts.totals();
    this.meterState = { ...this.meterState, steps: this.own.steps + totals.steps, tokens: this.own.tokens + totals.tokens,
      costUsd: totals.costUsd === null ? this.own.costUsd : (this.own.costUsd ?? 0) + totals.costUsd };
  }

  private attemptsPatch(event: TaskEvent): PanelPatch {
    const attempts = this.attempts.applyTaskEvent(event);
    if (!attempts) return {};
    this.syncMeter();
    return { attempts, meter: this.meterState, costs: this.costs() };
  }

  get meter(): MeterView {
    return this.meterState;
  }

  /** The patch one event causes, or null when the event shows nothing (e.g. the raw chat messages). */
  apply(event: TaskEvent): PanelPatch | null {
    switch (event.type) {
      case 'task_started': {
        const { budgets } = event.config;
        this.meterState = { ...this.meterState, maxSteps: budgets.maxSteps, maxTokens: budgets.maxTokens, maxCostUsd: budgets.maxCostUsd,
          maxWallMs: budgets.maxWallMs, startedAt: event.time };
        const title = event.config.title ?? event.config.goal;
        return { taskId: event.taskId, title, goal: event.config.goal, approval: event.config.approval, status: 'running', statusText: 'Running', meter: this.meterState,
          ...this.append({ kind: 'user', text: title, followUp: false }) };
      }
      case 'follow_up':
        return { statusText: 'Your message reached the model', ...this.append({ kind: 'user', text: event.text, followUp: true }) };
      case 'task_reopened':
        return { status: 'running', statusText: 'Checking the tests again after your review', ...this.append({ kind: 'note', level: 'info', text: 'Your rejections were restored; the tests run again, and the model hears your reasons if they fail.' }) };
      case 'task_resumed':
        return { status: 'running', statusText: 'Resumed', ...this.append({ kind: 'note', level: 'info', text: 'Task resumed from its journal.' }) };
      case 'model_reply':
        this.addUsage(event.step, event.usage);
        this.ledger.note(event);
        if (event.content.trim()) this.lastModel = { index: this.length, step: event.step, text: event.content.trim() };
        return { meter: this.meterState, costs: this.costs(), streaming: null, ...(event.content.trim() ? this.append({ kind: 'model', step: event.step, text: event.content.trim() }) : {}) };
      case 'model_retry':
        return this.append({ kind: 'note', level: 'warning', text: `Model request failed (${event.reason}); retry ${event.attempt} in ${Math.round(event.delayMs / 1000)} s.` });
      case 'tool_started': {
        // A plan update is shown as the plan it set (plan_updated), not as a tool call with an empty result.
        if (event.name === 'update_plan') return { statusText: `Step ${event.step}: updating the plan` };
        const text = argsText(event.args);
        this.toolEntries.set(event.id, this.length);
        this.toolArgs.set(event.id, text);
        this.started.set(event.id, { step: event.step, name: event.name });
        return { statusText: `Step ${event.step}: ${describeTool(event.name, event.args)}`,
          ...this.append({ kind: 'tool', id: event.id, step: event.step, name: event.name, argsText: text, state: 'running', summary: '' }) };
      }
      case 'tool_finished':
        if (event.name === 'update_plan' && event.ok) return { statusText: 'Waiting for the model' };
        return { statusText: 'Waiting for the model', ...this.finishTool(event) };
      case 'plan_updated': {
        const marks = { done: '✓', in_progress: '▸', pending: '○' } as const;
        return { plan: event.items.map((item) => ({ title: item.title, status: item.status })),
          ...this.append({ kind: 'note', level: 'info', text: `Plan: ${event.items.map((item) => `${marks[item.status]} ${item.title}`).join(' · ')}` }) };
      }
      case 'file_changed': {
        const { added, removed } = lineCounts(event.change.before, event.change.after);
        return this.append({ kind: 'file', path: event.change.movedTo ?? event.change.path, added, removed });
      }
      case 'checkpoint':
        return this.append({ kind: 'note', level: 'info', text: event.commit ? `Checkpoint ${event.commit.slice(0, 10)} taken before the first command or write.` : 'No git checkpoint (not a git repository); pre-images are kept in the journal.' });
      case 'test_run': {
        const { run } = event;
        return this.append({ kind: 'test', command: run.command, exitCode: run.exitCode, timedOut: run.timedOut, passed: run.passed, failed: run.failed,
          failures: run.failures, output: run.output, verification: event.verification });
      }
      case 'reflection': {
        // The reflection is the model's reply text: shown once, as the reflection, in place of the plain reply.
        const entry: TimelineEntry = { kind: 'reflection', attempt: event.attempt, text: event.text };
        if (this.lastModel && this.lastModel.text === event.text.trim()) return { timelineReplace: [{ index: this.lastModel.index, entry }] };
        return this.append(entry);
      }
      case 'review':
        return this.append({ kind: 'note', level: 'info', text: `Reviewed: ${event.accepted} hunk(s) accepted, ${event.rejected} rejected.` });
      case 'command_approval':
        return this.append({ kind: 'note', level: event.approved ? 'info' : 'warning',
          text: event.approved ? `You allowed \`${event.command}\` to run.` : `You declined \`${event.command}\`; the model was told.` });
      case 'memory_noted':
        return this.append({ kind: 'note', level: 'info', text: `Noted for later tasks: ${event.note}` });
      case 'verdict':
        return this.append({ kind: 'note', level: event.status === 'verified' ? 'info' : 'warning',
          text: `${event.summary}${event.testChanges.length ? ` Test changes to review: ${event.testChanges.join(', ')}.` : ''}` });
      case 'safety':
        return this.append({ kind: 'note', level: event.sandbox.active === 'off' ? 'warning' : 'info', text: safetyText(event) });
      case 'command_run':
        return event.blocked ? this.append({ kind: 'note', level: 'warning', text: `The sandbox blocked part of \`${event.command}\` (${event.sandbox}).` }) : null;
      case 'network':
        return event.allowed ? null : this.append({ kind: 'note', level: 'warning', text: `The sandbox refused a connection to ${event.host} (not an allowed host).` });
      case 'mcp_server':
        return this.append({ kind: 'note', level: event.state === 'failed' ? 'warning' : 'info',
          text: event.state === 'started' ? `MCP server ${event.server} connected: ${event.detail}.` : event.state === 'failed' ? `MCP server ${event.server} did not start: ${event.detail}` : `MCP server ${event.server} stopped.` });
      case 'mcp_approval':
        return event.how === 'allowed' ? null : this.append({ kind: 'note', level: event.approved ? 'info' : 'warning',
          text: event.how === 'refused' ? `The MCP tool ${event.server}/${event.tool} was refused: it is not allowed to run unattended.`
            : event.approved ? `You allowed the MCP tool ${event.server}/${event.tool}${event.how === 'always' ? ' for the rest of the task' : ''}.` : `You declined the MCP tool ${event.server}/${event.tool}.` });
      case 'warning':
        return this.append({ kind: 'note', level: 'warning', text: event.message });
      case 'triage_run':
        return null;
      case 'triage':
        return this.append({ kind: 'note', level: event.report.flaky.length || event.report.culprits.some((c) => c.commit) ? 'warning' : 'info', text: triageText(event.report) });
      case 'context_condensed':
        return this.append({ kind: 'note', level: 'info', text: `Condensed the conversation from ${event.beforeTokens} to ${event.afterTokens} tokens.` });
      case 'task_finished':
        this.perVerifiedFix = event.status === 'verified' ? { tokens: this.meterState.tokens, costUsd: this.meterState.costUsd } : null;
        return { costs: this.costs(), status: event.status, statusText: event.summary, streaming: null, question: null, ...this.closeRunningTools(),
          ...this.append({ kind: 'finished', status: event.status, reason: event.reason, summary: event.summary }) };
      case 'attempts_started':
        return { ...this.attemptsPatch(event), statusText: `${event.count} attempts running (${event.parallel} at once), each in its own worktree`,
          ...this.append({ kind: 'note', level: 'info', text: `${event.count} attempts (${event.parallel} at once; models: ${event.models.join(', ')}), each in its own git worktree. Your files stay as they are until you review the chosen attempt.` }) };
      case 'attempt_finished':
        return { ...this.attemptsPatch(event), statusText: `${event.attempt.id} finished: ${event.attempt.status}` };
      case 'attempts_judged':
        return { ...this.attemptsPatch(event), ...this.append({ kind: 'note', level: event.judgement.chosen ? 'info' : 'warning', text: `Parallel attempts: ${event.judgement.reasons[0]}` }) };
      case 'attempt_applied': {
        const patch = this.attemptsPatch(event);
        const { conflicts } = event.application;
        return conflicts.length ? { ...patch, ...this.append({ kind: 'note', level: 'warning', text: `Not applied from ${event.application.attempt}: ${conflicts.map((c) => `${c.path} (${c.reason})`).join('; ')}` }) } : patch;
      }
      case 'message':
        return null;
      case 'role_started':
        return { statusText: `${roleLabel(event.role)} (${event.model})`, ...this.append({ kind: 'note', level: 'info', text: `${event.reason} Model: ${event.model}.` }) };
      case 'planned':
        return event.acceptanceCriteria.length ? this.append({ kind: 'note', level: 'info', text: `Acceptance criteria: ${event.acceptanceCriteria.join(' · ')}` }) : null;
      case 'role_verdict':
        return this.append({ kind: 'note', level: event.decision === 'agree' ? 'info' : 'warning',
          text: event.decision === 'agree' ? 'The verifier agreed with the change.' : `The verifier ${event.sentBack ? 'sent the change back' : 'still objects (no send-back left)'}: ${event.reasons.join('; ')}` });
      case 'escalated':
        return this.append({ kind: 'note', level: 'warning', text: `Escalated from ${event.from} to ${event.to}: ${event.reason}` });
    }
  }

  private append(entry: TimelineEntry): PanelPatch {
    this.length += 1;
    return { timelineAppend: [entry] };
  }

  /** Tools still "running" when the task ends (stopped mid-command) are shown as stopped, never running forever. */
  private closeRunningTools(): PanelPatch {
    const replace: { index: number; entry: TimelineEntry }[] = [];
    for (const [id, argsText] of this.toolArgs) {
      const index = this.toolEntries.get(id);
      const started = this.started.get(id);
      if (index === undefined || !started) continue;
      replace.push({ index, entry: { kind: 'tool', id, step: started.step, name: started.name, argsText, state: 'error', summary: 'Stopped: the task ended while this ran.', code: 'cancelled' } });
    }
    this.toolArgs.clear();
    return replace.length ? { timelineReplace: replace } : {};
  }

  private readonly started = new Map<string, { step: number; name: string }>();

  private finishTool(event: Extract<TaskEvent, { type: 'tool_finished' }>): PanelPatch {
    const index = this.toolEntries.get(event.id);
    const entry: TimelineEntry = { kind: 'tool', id: event.id, step: event.step, name: event.name, argsText: this.toolArgs.get(event.id) ?? '',
      // The code is shown as its own chip; without the "ERROR [code]:" prefix the reason itself leads.
      state: event.ok ? 'ok' : 'error', summary: event.summary.replace(/^ERROR \[[a-z_]+\]:\s*/, ''), code: event.code };
    this.toolArgs.delete(event.id);
    if (index === undefined) return this.append(entry);
    return { timelineReplace: [{ index, entry }] };
  }

  private addUsage(step: number, usage: TokenUsage): void {
    const cost = usage.costUsd === null ? this.own.costUsd : (this.own.costUsd ?? 0) + usage.costUsd;
    this.own = { steps: Math.max(this.own.steps, step), tokens: this.own.tokens + usage.promptTokens + usage.completionTokens, costUsd: cost };
    this.syncMeter();
  }
}

/** The triage in words, one finding a line: what fails by itself, what is flaky (left alone), which commit broke what. */
export function triageText(report: TriageReport): string {
  const where = (file: string | null, line?: number | null) => (file ? ` (${file}${line ? `:${line}` : ''})` : '');
  const lines = [`Triage before the first model call: ${report.failing.length} failing, ${report.flaky.length} flaky (${report.runs} test runs, ${(report.durationMs / 1000).toFixed(1)} s, no model calls).`];
  for (const test of report.failing) {
    const how = test.isolation === 'failed_alone' ? `failed by itself ${test.runs === 1 ? 'once' : `${test.runs} times`}` : `not run by itself${test.note ? `: ${test.note}` : ''}`;
    lines.push(`Failing: ${test.name}${where(test.file, test.line)} — ${how}.`);
  }
  for (const test of report.flaky) {
    lines.push(`Flaky: ${test.name}${where(test.file)} — ${test.evidence === 'passed_alone' ? 'passed when run by itself' : 'passed when run again'}; the model is told to leave it alone.`);
  }
  for (const culprit of report.culprits) {
    lines.push(culprit.commit
      ? `Culprit of ${culprit.test}: commit ${culprit.commit.slice(0, 10)}${culprit.subject ? ` "${culprit.subject}"` : ''}${culprit.author ? ` by ${culprit.author}` : ''} — ${culprit.note.replace(/\.$/, '')}.`
      : `No culprit for ${culprit.test}: ${culprit.note.replace(/\.$/, '')}.`);
  }
  if (report.filterUnavailable) lines.push(`Tests could not be run by name: ${report.filterUnavailable}`);
  for (const cap of report.capped) lines.push(`Capped: ${cap}.`);
  return lines.join('\n');
}

function safetyText(event: Extract<TaskEvent, { type: 'safety' }>): string {
  const parts = [event.sandbox.active === 'off' ? event.sandbox.note : `Commands run in the sandbox (${event.sandbox.enforcedBy}, ${event.sandbox.active}).`];
  if (event.testFiles) parts.push(`${event.testFiles.length} existing test file(s) are read-only for this task.`);
  if (event.droppedEnv.length) parts.push(`Kept from commands: ${event.droppedEnv.join(', ')}.`);
  return parts.join(' ');
}

/** What a tool call is doing, in words, for the status line ("Step 3: running npm test"). */
export function describeTool(name: string, args: unknown): string {
  const field = (key: string): string | undefined => {
    const value: unknown = typeof args === 'object' && args !== null ? Reflect.get(args, key) : undefined;
    return typeof value === 'string' && value.trim() ? (value.length > 80 ? `${value.slice(0, 80)}…` : value) : undefined;
  };
  switch (name) {
    case 'run_command': return `running ${field('command') ?? 'a command'}`;
    case 'run_tests': return 'running the tests';
    case 'read_file': return `reading ${field('path') ?? 'a file'}`;
    case 'list_files': return `listing ${field('path') ?? 'files'}`;
    case 'search_text': return `searching for ${field('query') ?? 'text'}`;
    case 'edit_file': case 'write_file': return `editing ${field('path') ?? 'a file'}`;
    case 'apply_patch': return 'applying a patch';
    case 'update_plan': return 'updating the plan';
    case 'remember': return 'noting something for later tasks';
    case 'finish': return 'finishing';
    default: return name;
  }
}

export function argsText(args: unknown): string {
  const text = typeof args === 'string' ? args : JSON.stringify(args, null, 2) ?? '';
  return text.length > MAX_ARGS_TEXT ? `${text.slice(0, MAX_ARGS_TEXT)}\n[… ${text.length - MAX_ARGS_TEXT} more characters]` : text;
}

function countLines(text: string | null): number {
  if (!text) return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** A cheap count for the timeline; the change set view has the exact hunks. */
function roleLabel(role: string | undefined): string {
  return role ? `${role.charAt(0).toUpperCase()}${role.slice(1)}` : 'Task';
}

function lineCounts(before: string | null, after: string | null): { added: number; removed: number } {
  if (before === null) return { added: countLines(after), removed: 0 };
  if (after === null) return { added: 0, removed: countLines(before) };
  const beforeLines = new Map<string, number>();
  for (const line of before.split('\n')) beforeLines.set(line, (beforeLines.get(line) ?? 0) + 1);
  let kept = 0;
  for (const line of after.split('\n')) {
    const count = beforeLines.get(line) ?? 0;
    if (count > 0) { kept += 1; beforeLines.set(line, count - 1); }
  }
  return { added: after.split('\n').length - kept, removed: before.split('\n').length - kept };
}

export function toFileViews(changes: ProposedFileChange[]): FileChangeView[] {
  return changes.map((change) => {
    let added = 0;
    let removed = 0;
    const hunks = change.hunks.map((hunk) => ({
      index: hunk.index,
      header: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`,
      lines: hunk.lines.map((line) => {
        const sign = line.charAt(0);
        if (sign === '+') added += 1;
        else if (sign === '-') removed += 1;
        return { sign, text: line.slice(1).replace(/\r$/, '') };
      }),
      ...(hunk.conflict ? { conflict: hunk.conflict } : {}),
    }));
    const kind: FileChangeView['change'] = change.movedTo ? 'moved' : change.before === null ? 'added' : change.after === null ? 'deleted' : 'modified';
    return { path: change.path, change: kind, added, removed, hunks };
  });
}
