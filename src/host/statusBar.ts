// The status bar item of the running task (step, tokens or cost); clicking it opens the review panel.
import * as vscode from 'vscode';
import { Disposable } from './lifecycle';
import { SHORT_STATUS_LABELS, STATUS_LABELS } from '../shared/taskState';
import type { CommandQuestionView, MeterView, PanelStatus } from '../shared/viewModel';

export class TaskStatusBar extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('patchpilot.task', vscode.StatusBarAlignment.Left, 50));

  constructor() {
    super();
    this.item.name = 'Patchpilot Task';
    this.item.command = 'patchpilot.reviewChanges';
  }

  update(status: PanelStatus, meter: MeterView, goal: string, question: CommandQuestionView | null = null): void {
    if (status === 'idle') {
      this.item.hide();
      return;
    }
    if (question) {
      // A question may have folded into the notification centre: the status bar keeps saying the task waits.
      this.item.text = '$(question) Patchpilot: approve a command?';
      this.item.tooltip = `Patchpilot waits for your answer: run \`${question.command}\`? Click to answer in the panel.`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      this.item.show();
      return;
    }
    const icon = status === 'running' ? '$(sync~spin)' : status === 'review' ? '$(diff)' : status === 'verified' ? '$(pass)' : status === 'unverified' ? '$(question)' : '$(circle-slash)';
    const spend = meter.costUsd !== null ? `$${meter.costUsd.toFixed(3)}` : `${formatTokens(meter.tokens)} tok`;
    const steps = meter.maxSteps ? `${meter.steps}/${meter.maxSteps}` : String(meter.steps);
    const state = status === 'running' ? `step ${steps}` : SHORT_STATUS_LABELS[status];
    this.item.text = `${icon} Patchpilot ${state} · ${spend}`;
    this.item.tooltip = new vscode.MarkdownString(`**${goal.replace(/[\\`*_[\]]/g, '\\$&')}**\n\n${STATUS_LABELS[status]} — click to open the review panel`);
    this.item.backgroundColor = status === 'review' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }
}

export function formatTokens(tokens: number): string {
  return tokens >= 10_000 ? `${(tokens / 1000).toFixed(0)}k` : tokens >= 1000 ? `${(tokens / 1000).toFixed(1)}k` : String(tokens);
}
