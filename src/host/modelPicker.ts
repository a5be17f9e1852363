// Select Model: a quick pick that opens at once with the provider profiles (patchpilot.providers) and the configured
// names, and fills in the provider's own list (GET /models) and the chat models VS Code offers (vscode.lm, "VS Code
// models") as they arrive; a provider that cannot list its models is explained, and any name can be typed. A profile
// is saved as patchpilot.provider, a model as patchpilot.model (a VS Code model as vscode-lm:<vendor>/<id>).
import * as vscode from 'vscode';
import { listModels } from '../agent/model/listModels';
import { readSettings, rememberModel, rememberProvider, type PatchpilotSettings } from './config';
import { parseLmModelRef } from './lmMessages';
import { hostOf, type ApiKeyStore } from './secrets';
import { listLmModels, type LmModelChoice } from './vscodeLm';

interface ModelItem extends vscode.QuickPickItem {
  model?: string;
  /** A profile of patchpilot.providers. */
  profile?: string;
  /** An invalid profile: picking it opens the setting. */
  problem?: string;
  other?: boolean;
}

/** What the person picked: a profile, or a model name for patchpilot.baseUrl (or a VS Code model). */
export type ModelChoice = { profile: string } | { model: string };

/** The profiles first ("name — model at host"); an invalid one is listed with the field that is wrong. */
function profileItems(settings: PatchpilotSettings): ModelItem[] {
  const { profiles, problems } = settings.providers;
  if (profiles.length === 0 && problems.length === 0) return [];
  const separator: ModelItem = { label: 'Profiles (patchpilot.providers)', kind: vscode.QuickPickItemKind.Separator };
  return [separator,
    ...profiles.map((profile): ModelItem => ({
      label: profile.name, profile: profile.name,
      description: `— ${profile.model} at ${hostOf(profile.baseUrl)}${profile.name === settings.provider ? ' · current' : ''}`,
    })),
    ...problems.map((problem): ModelItem => ({ label: '$(warning) invalid profile', problem, detail: problem, alwaysShow: true })),
  ];
}

/** "profile azure (gpt4o at x.openai.azure.com)" or the model name: what is in use now. */
export function currentModelLabel(settings: PatchpilotSettings): string {
  const profile = settings.provider ? settings.providers.profiles.find((p) => p.name === settings.provider) : undefined;
  if (settings.provider) return profile ? `profile ${profile.name} (${profile.model} at ${hostOf(profile.baseUrl)})` : `profile ${settings.provider} (not valid)`;
  return settings.model;
}

const OTHER: ModelItem = { label: '$(edit) Other model…', description: 'type a name the provider knows', other: true, alwaysShow: true };

function configuredItems(settings: PatchpilotSettings): ModelItem[] {
  // A VS Code model in use is listed in its own section (by name); here only while VS Code does not offer it.
  const names = [...new Set([settings.model, ...settings.models])].filter((name) => !parseLmModelRef(name));
  const current = (name: string): boolean => name === settings.model && !settings.provider;
  // Beside profiles, say where these names go.
  const heading: ModelItem[] = settings.providers.profiles.length || settings.providers.problems.length
    ? [{ label: `${hostOf(settings.baseUrl)} (patchpilot.baseUrl)`, kind: vscode.QuickPickItemKind.Separator }] : [];
  return [...heading, ...names.map((name) => ({ label: name, model: name, description: current(name) ? 'current' : name === settings.model ? 'patchpilot.model' : 'from patchpilot.models' }))];
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

/** Resolves with the chosen profile or model name, or undefined when the person cancels. */
export async function pickModel(settings: PatchpilotSettings, apiKey: string | undefined, log: vscode.LogOutputChannel): Promise<ModelChoice | undefined> {
  const picker = vscode.window.createQuickPick<ModelItem>();
  const configured = [...profileItems(settings), ...configuredItems(settings)];
  const currentLabel = currentModelLabel(settings);
  picker.title = settings.providers.profiles.length ? `Patchpilot: a profile, a model at ${settings.baseUrl}, or a VS Code model` : `Patchpilot: model at ${settings.baseUrl}, or a VS Code model`;
  picker.placeholder = `Current: ${currentLabel} · loading the models ${hostOf(settings.baseUrl)} offers…`;
  // Two sources fill in the list as they answer: the provider's GET /models and vscode.lm.
  let offered: ModelItem[] = [];
  let vscodeModels: LmModelChoice[] = [];
  let listed: ModelItem[] = [...configured, OTHER];
  const relist = (): void => {
    listed = [...configured, ...missingCurrent(settings, vscodeModels), ...offered, ...vscodeModelItems(vscodeModels, settings.provider ? '' : settings.model), OTHER];
  };
  // A typed name that matches nothing listed is offered as "use this name": providers accept names they do not list.
  const refresh = (): void => {
    const typed = picker.value.trim();
    const lower = typed.toLowerCase();
    // Only when nothing listed matches: the picker ranks an exact label first, which would hide the listed names.
    const typedItem: ModelItem[] = typed && !listed.some((item) => (item.model ?? item.profile) !== undefined && ((item.model ?? item.profile)!.toLowerCase().includes(lower) || item.label.toLowerCase().includes(lower)))
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
    const known = new Set(configured.map((item) => item.model).filter(Boolean));
    const fresh = ids.filter((id) => !known.has(id)).map((id): ModelItem => ({ label: id, model: id, description: `from ${hostOf(settings.baseUrl)}` }));
    const separator: ModelItem = { label: `${hostOf(settings.baseUrl)} (${ids.length})`, kind: vscode.QuickPickItemKind.Separator };
    offered = fresh.length ? [separator, ...fresh] : [];
    relist();
    refresh();
    picker.placeholder = `Current: ${currentLabel} · ${ids.length} model(s) offered by ${hostOf(settings.baseUrl)}; or type a name`;
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
  if (typeof chosen === 'string') return { model: chosen };
  if (chosen?.other) {
    const typed = await vscode.window.showInputBox({ title: 'Patchpilot: model name', prompt: 'The model name as the provider knows it', ignoreFocusOut: true });
    return typed?.trim() ? { model: typed.trim() } : undefined;
  }
  if (chosen?.problem) {
    void vscode.window.showWarningMessage(`Patchpilot: ${chosen.problem}`, 'Open Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'patchpilot.providers');
    });
    return undefined;
  }
  if (chosen?.profile) return { profile: chosen.profile };
  return chosen?.model ? { model: chosen.model } : undefined;
}

/**
 * Patchpilot: Select Model. Arguments (keybindings, tests): ["model-name"] sets patchpilot.model, [{ provider: "NAME" }]
 * selects a profile. A profile takes over from patchpilot.baseUrl and patchpilot.model; a model name clears it.
 */
export async function selectModelCommand(args: unknown[], apiKeys: ApiKeyStore, log: vscode.LogOutputChannel): Promise<ModelChoice | undefined> {
  const settings = readSettings();
  const given = givenChoice(args[0]);
  const choice = given ?? await pickModel(settings, (await apiKeys.get()).key, log);
  if (!choice) return undefined;
  if ('profile' in choice) {
    const profile = settings.providers.profiles.find((p) => p.name === choice.profile);
    if (!profile) throw new Error(`There is no valid profile "${choice.profile}" in patchpilot.providers.${settings.providers.problems.length ? ` ${settings.providers.problems.join(' ')}` : ''}`);
    await rememberProvider(profile.name);
    const key = profile.apiKeyEnv ? ` Its key comes from ${profile.apiKeyEnv}.` : ' Its key: "Patchpilot: Set API Key" for this profile, else the default key.';
    void vscode.window.showInformationMessage(`Patchpilot: using profile ${profile.name} (${profile.model} at ${hostOf(profile.baseUrl)}).${key}`);
    return choice;
  }
  await rememberModel(choice.model);
  // A VS Code model asks for consent on first use (when another extension offers it): say so before it happens.
  const consent = parseLmModelRef(choice.model) ? ' It is a VS Code model: no API key is needed, and VS Code may ask once whether Patchpilot may use it.' : '';
  void vscode.window.showInformationMessage(`Patchpilot: model set to ${choice.model}.${consent}`);
  return choice;
}

function givenChoice(arg: unknown): ModelChoice | undefined {
  if (typeof arg === 'string' && arg.trim()) return { model: arg.trim() };
  if (typeof arg === 'object' && arg !== null) {
    const provider: unknown = Reflect.get(arg, 'provider');
    if (typeof provider === 'string' && provider.trim()) return { profile: provider.trim() };
  }
  return undefined;
}
