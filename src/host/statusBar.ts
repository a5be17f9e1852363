// The status bar: the running task (step, tokens or cost; clicking it opens the review panel), and the model in use —
// the selected profile or the model name — which opens Select Model. Invalid profiles in the settings are said once.
import * as vscode from 'vscode';
import { readSettings, type PatchpilotSettings } from './config';
import { Disposable } from './lifecycle';
import { hostOf } from './secrets';
import { SHORT_STATUS_LABELS, STATUS_LABELS } from '../shared/taskState';
import type { CommandQuestionView, MeterView, PanelStatus } from '../shared/viewModel';

export class TaskStatusBar extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('patchpilot.task', vscode.StatusBarAlignment.Left, 50));
  private readonly modelItem = this._register(vscode.window.createStatusBarItem('patchpilot.model', vscode.StatusBarAlignment.Left, 49));
  /** The running task's model, as connected (the profile, if any, shows in the task's item too). */
  private taskModel: { describe: string; profile: string | null } | null = null;
  private readonly problemsShown = new Set<string>();

  constructor() {
    super();
    this.item.name = 'Patchpilot Task';
    this.item.command = 'patchpilot.reviewChanges';
    this.modelItem.name = 'Patchpilot Model';
    this.modelItem.command = 'patchpilot.selectModel';
    this.showSettings();
    this._register(vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('patchpilot')) this.showSettings();
    }));
  }

  /** The model a task runs with: "gpt4o at …, profile azure" in the tooltip, the profile's name in the text. */
  setModel(describe: string, profile: string | null): void {
    this.taskModel = { describe, profile };
  }

  /** The model the next task will use, and (once per message) what is wrong with a profile. */
  private showSettings(): void {
    const settings = readSettings();
    const { text, tooltip } = modelLabel(settings);
    this.modelItem.text = `$(server) ${text}`;
    this.modelItem.tooltip = `Patchpilot model: ${tooltip} — click to select another`;
    this.modelItem.show();
    for (const problem of settings.providers.problems) {
      if (this.problemsShown.has(problem)) continue;
      this.problemsShown.add(problem);
      void vscode.window.showWarningMessage(`Patchpilot: ${problem} That profile is left out; the others work.`, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'patchpilot.providers');
      });
    }
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
    const profile = this.taskModel?.profile ? ` · ${this.taskModel.profile}` : '';
    this.item.text = `${icon} Patchpilot ${state} · ${spend}${profile}`;
    const model = this.taskModel ? `\n\nModel: ${escapeMarkdown(this.taskModel.describe)}` : '';
    this.item.tooltip = new vscode.MarkdownString(`**${escapeMarkdown(goal)}**\n\n${STATUS_LABELS[status]} — click to open the review panel${model}`);
    this.item.backgroundColor = status === 'review' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }
}

export function formatTokens(tokens: number): string {
  return tokens >= 10_000 ? `${(tokens / 1000).toFixed(0)}k` : tokens >= 1000 ? `${(tokens / 1000).toFixed(1)}k` : String(tokens);
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]]/g, '\\$&');
}

/** The profile selected (its name; model and host in the tooltip), else the model name. */
export function modelLabel(settings: PatchpilotSettings): { text: string; tooltip: string } {
  if (!settings.provider) return { text: settings.model, tooltip: settings.model.startsWith('vscode-lm:') ? `${settings.model} (a VS Code model)` : `${settings.model} at ${settings.baseUrl}` };
  const profile = settings.providers.profiles.find((p) => p.name === settings.provider);
  if (!profile) return { text: `${settings.provider} (invalid)`, tooltip: `profile ${settings.provider}, which patchpilot.providers does not hold as a valid profile` };
  return { text: profile.name, tooltip: `profile ${profile.name}: ${profile.model} at ${hostOf(profile.baseUrl)}` };
}
