// Select Model: a quick pick that opens at once with the configured names and fills in the provider's own list
// (GET /models) and the chat models VS Code offers (vscode.lm, "VS Code models") as they arrive; a provider that
// cannot list its models is explained, and any name can be typed. A VS Code model is saved as vscode-lm:<vendor>/<id>.
import * as vscode from 'vscode';
import { listModels } from '../agent/model/listModels';
import type { PatchpilotSettings } from './config';
import { parseLmModelRef } from './lmMessages';
import { listLmModels, type LmModelChoice } from './vscodeLm';

interface ModelItem extends vscode.QuickPickItem {
  model?: string;
  other?: boolean;
}

const OTHER: ModelItem = { label: '$(edit) Other model…', description: 'type a name the provider knows', other: true, alwaysShow: true };

function configuredItems(settings: PatchpilotSettings): ModelItem[] {
  // A VS Code model in use is listed in its own section (by name); here only while VS Code does not offer it.
  const names = [...new Set([settings.model, ...settings.models])].filter((name) => !parseLmModelRef(name));
  return names.map((name) => ({ label: name, model: name, description: name === settings.model ? 'current' : 'from patchpilot.models' }));
}

/** The chat models vscode.lm offers, under their own separator: name, then vendor · family, the setting value as detail. */
function vscodeModelItems(models: LmModelChoice[], current: string): ModelItem[] {
  if (models.length === 0) return [];
  const separator: ModelItem = { label: 'VS Code models', kind: vscode.QuickPickItemKind.Separator };
  return [separator, ...models.map((model): ModelItem => ({
    label: model.name, model: model.value, detail: model.value,
    description: `${model.vendor} · ${model.family}${model.value === current ? ' · current' : ''}`,
  }))];
}

/** The current VS Code model when VS Code does not offer it now: still shown, so the person sees what is set. */
function missingCurrent(settings: PatchpilotSettings, models: LmModelChoice[]): ModelItem[] {
  if (!parseLmModelRef(settings.model) || models.some((model) => model.value === settings.model)) return [];
  return [{ label: settings.model, model: settings.model, description: 'current · not offered by VS Code now' }];
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
  picker.title = `Patchpilot: model at ${settings.baseUrl}, or a VS Code model`;
  picker.placeholder = `Current: ${settings.model} · loading the models ${providerHost(settings.baseUrl)} offers…`;
  // Two sources fill in the list as they answer: the provider's GET /models and vscode.lm.
  let offered: ModelItem[] = [];
  let vscodeModels: LmModelChoice[] = [];
  let listed: ModelItem[] = [...configured, OTHER];
  const relist = (): void => {
    listed = [...configured, ...missingCurrent(settings, vscodeModels), ...offered, ...vscodeModelItems(vscodeModels, settings.model), OTHER];
  };
  // A typed name that matches nothing listed is offered as "use this name": providers accept names they do not list.
  const refresh = (): void => {
    const typed = picker.value.trim();
    const lower = typed.toLowerCase();
    // Only when nothing listed matches: the picker ranks an exact label first, which would hide the listed names.
    const typedItem: ModelItem[] = typed && !listed.some((item) => item.model !== undefined && (item.model.toLowerCase().includes(lower) || item.label.toLowerCase().includes(lower)))
      ? [{ label: typed, model: typed, description: 'use this name', alwaysShow: true }] : [];
    picker.items = [...listed.filter((item) => !item.other), ...typedItem, OTHER];
  };
  relist();
  refresh();
  picker.onDidChangeValue(refresh);
  picker.busy = true;
  picker.matchOnDescription = true;
  picker.matchOnDetail = true;
  const loading = new AbortController();
  const httpLoading = listModels({ baseURL: settings.baseUrl, apiKey: apiKey ?? 'not-needed', signal: loading.signal }).then((ids) => {
    const known = new Set(configured.map((item) => item.model));
    const fresh = ids.filter((id) => !known.has(id)).map((id): ModelItem => ({ label: id, model: id, description: `from ${providerHost(settings.baseUrl)}` }));
    const separator: ModelItem = { label: `${providerHost(settings.baseUrl)} (${ids.length})`, kind: vscode.QuickPickItemKind.Separator };
    offered = fresh.length ? [separator, ...fresh] : [];
    relist();
    refresh();
    picker.placeholder = `Current: ${settings.model} · ${ids.length} model(s) offered by ${providerHost(settings.baseUrl)}; or type a name`;
  }, (error: unknown) => {
    if (loading.signal.aborted) return;
    const message = error instanceof Error ? error.message : String(error);
    log.warn(`Select Model: ${message}`);
    picker.placeholder = `Could not list the provider's models (${message}). Pick a configured name or type one.`;
  });
  const vscodeLoading = listLmModels().then((models) => {
    if (loading.signal.aborted) return;
    vscodeModels = models;
    relist();
    refresh();
  }, (error: unknown) => log.warn(`Select Model: VS Code's chat models could not be listed: ${error instanceof Error ? error.message : String(error)}`));
  void Promise.allSettled([httpLoading, vscodeLoading]).then(() => { picker.busy = false; });

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
