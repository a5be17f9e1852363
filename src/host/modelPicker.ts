// Select Model: a quick pick that opens at once with the configured names and fills in the provider's own list
// (GET /models) as it arrives; a provider that cannot list its models is explained, and any name can be typed.
import * as vscode from 'vscode';
import { listModels } from '../agent/model/listModels';
import type { PatchpilotSettings } from './config';

interface ModelItem extends vscode.QuickPickItem {
  model?: string;
  other?: boolean;
}

const OTHER: ModelItem = { label: '$(edit) Other model…', description: 'type a name the provider knows', other: true, alwaysShow: true };

function configuredItems(settings: PatchpilotSettings): ModelItem[] {
  const names = [...new Set([settings.model, ...settings.models])];
  return names.map((name) => ({ label: name, model: name, description: name === settings.model ? 'current' : 'from patchpilot.models' }));
}

function providerHost(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

/** Resolves with the chosen model name, or undefined when the person cancels. */
export async function pickModel(settings: PatchpilotSettings, apiKey: string | undefined, log: vscode.LogOutputChannel): Promise<string | undefined> {
  const picker = vscode.window.createQuickPick<ModelItem>();
  const configured = configuredItems(settings);
  picker.title = `Patchpilot: model at ${settings.baseUrl}`;
  picker.placeholder = `Current: ${settings.model} · loading the models ${providerHost(settings.baseUrl)} offers…`;
  let listed: ModelItem[] = [...configured, OTHER];
  // A typed name that matches nothing listed is offered as "use this name": providers accept names they do not list.
  const refresh = (): void => {
    const typed = picker.value.trim();
    const lower = typed.toLowerCase();
    // Only when nothing listed matches: the picker ranks an exact label first, which would hide the listed names.
    const typedItem: ModelItem[] = typed && !listed.some((item) => item.model?.toLowerCase().includes(lower))
      ? [{ label: typed, model: typed, description: 'use this name', alwaysShow: true }] : [];
    picker.items = [...listed.filter((item) => !item.other), ...typedItem, OTHER];
  };
  refresh();
  picker.onDidChangeValue(refresh);
  picker.busy = true;
  picker.matchOnDescription = true;
  const loading = new AbortController();
  void listModels({ baseURL: settings.baseUrl, apiKey: apiKey ?? 'not-needed', signal: loading.signal }).then((ids) => {
    const known = new Set(configured.map((item) => item.model));
    const offered = ids.filter((id) => !known.has(id)).map((id): ModelItem => ({ label: id, model: id, description: `from ${providerHost(settings.baseUrl)}` }));
    const separator: ModelItem = { label: `${providerHost(settings.baseUrl)} (${ids.length})`, kind: vscode.QuickPickItemKind.Separator };
    listed = [...configured, ...(offered.length ? [separator, ...offered] : []), OTHER];
    refresh();
    picker.placeholder = `Current: ${settings.model} · ${ids.length} model(s) offered by ${providerHost(settings.baseUrl)}; or type a name`;
  }, (error: unknown) => {
    if (loading.signal.aborted) return;
    const message = error instanceof Error ? error.message : String(error);
    log.warn(`Select Model: ${message}`);
    picker.placeholder = `Could not list the provider's models (${message}). Pick a configured name or type one.`;
  }).finally(() => { picker.busy = false; });

  const chosen = await new Promise<ModelItem | string | undefined>((resolve) => {
    picker.onDidAccept(() => {
      const [item] = picker.selectedItems;
      resolve(item ?? (picker.value.trim() || undefined));
      picker.hide();
    });
    picker.onDidHide(() => resolve(undefined));
    picker.show();
  });
  loading.abort();
  picker.dispose();
  if (typeof chosen === 'string') return chosen;
  if (chosen?.other) {
    const typed = await vscode.window.showInputBox({ title: 'Patchpilot: model name', prompt: 'The model name as the provider knows it', ignoreFocusOut: true });
    return typed?.trim() || undefined;
  }
  return chosen?.model;
}
