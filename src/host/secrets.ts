// API keys: kept in VS Code's SecretStorage (never in settings) — one default key, and one per provider profile — with
// OPENAI_API_KEY from the environment as the last fallback. A profile's own apiKeyEnv comes before all of them; that
// order is applied by the caller (the key is only looked up here when the profile names no variable).
import * as vscode from 'vscode';
import type { ProviderProfile } from '../agent/model/profiles';
import { Disposable } from './lifecycle';

const SECRET_KEY = 'patchpilot.apiKey';
/** A profile's key: a key of its own, so one provider's key never goes to another by accident. */
const profileSecret = (profile: string): string => `${SECRET_KEY}.profile.${profile}`;

export type ApiKeySource = 'secret-storage' | 'profile-secret' | 'environment' | 'none';

export interface FoundKey {
  key: string | undefined;
  source: ApiKeySource;
}

export class ApiKeyStore extends Disposable {
  constructor(private readonly secrets: vscode.SecretStorage, private readonly environment: NodeJS.ProcessEnv = process.env) {
    super();
  }

  /** The default key: Secret Storage, else OPENAI_API_KEY. */
  async get(): Promise<FoundKey> {
    const stored = await this.secrets.get(SECRET_KEY);
    if (stored) return { key: stored, source: 'secret-storage' };
    const fromEnvironment = this.environment.OPENAI_API_KEY?.trim();
    if (fromEnvironment) return { key: fromEnvironment, source: 'environment' };
    return { key: undefined, source: 'none' };
  }

  /** The key for a profile: its own stored key, else the default key. */
  async forProfile(profile: string | null): Promise<FoundKey> {
    if (profile) {
      const own = await this.secrets.get(profileSecret(profile));
      if (own) return { key: own, source: 'profile-secret' };
    }
    return this.get();
  }

  async set(key: string, profile?: string): Promise<void> {
    await this.secrets.store(profile ? profileSecret(profile) : SECRET_KEY, key.trim());
  }

  async clear(profile?: string): Promise<void> {
    await this.secrets.delete(profile ? profileSecret(profile) : SECRET_KEY);
  }
}

/** Where a found key came from, in the words of the connection's description. */
export function describeKeySource(source: ApiKeySource, profile: string | null): string | undefined {
  switch (source) {
    case 'profile-secret': return `Secret Storage (the key of ${profile})`;
    case 'secret-storage': return 'Secret Storage (the default key)';
    case 'environment': return 'OPENAI_API_KEY';
    default: return undefined;
  }
}

interface KeyTarget extends vscode.QuickPickItem {
  profile: string | null;
  keyEnv?: string;
}

/**
 * Patchpilot: Set API Key. Arguments (keybindings, tests): [key] stores the default key, [key, profile] a profile's.
 * With profiles configured and no arguments, it asks which provider the key is for.
 */
export async function setApiKeyCommand(args: unknown[], apiKeys: ApiKeyStore, profiles: readonly ProviderProfile[]): Promise<void> {
  const givenKey = typeof args[0] === 'string' && args[0].trim() !== '' ? args[0] : undefined;
  let target: KeyTarget | undefined;
  if (typeof args[1] === 'string') {
    const profile = profiles.find((p) => p.name === args[1]);
    if (!profile) throw new Error(`There is no profile "${args[1]}" in patchpilot.providers.`);
    target = targetOf(profile);
  } else if (givenKey !== undefined || profiles.length === 0) {
    target = { label: 'default', profile: null };
  } else {
    target = await vscode.window.showQuickPick(keyTargets(profiles), { title: 'Patchpilot: Set API Key — for which provider?', ignoreFocusOut: true, matchOnDescription: true });
    if (!target) return;
  }
  if (target.keyEnv) {
    void vscode.window.showInformationMessage(`Patchpilot: profile ${target.profile} takes its key from the environment variable ${target.keyEnv}; set it where VS Code is started (a stored key would not be used).`);
    return;
  }
  const whose = target.profile ? `profile ${target.profile}` : 'the default key';
  const key = givenKey ?? await vscode.window.showInputBox({
    title: `Patchpilot: API key for ${whose}`, prompt: 'Stored in VS Code\'s Secret Storage. Leave empty to remove the stored key.', password: true, ignoreFocusOut: true,
  });
  if (key === undefined) return;
  const profile = target.profile ?? undefined;
  if (key.trim()) await apiKeys.set(key, profile);
  else await apiKeys.clear(profile);
  const fallback = target.profile ? 'the default key is used for it' : 'OPENAI_API_KEY is used if set';
  void vscode.window.showInformationMessage(key.trim() ? `Patchpilot: API key stored for ${whose}.` : `Patchpilot: stored API key of ${whose} removed (${fallback}).`);
}

function targetOf(profile: ProviderProfile): KeyTarget {
  return {
    label: profile.name, profile: profile.name, description: `${profile.model} at ${hostOf(profile.baseUrl)}`,
    ...(profile.apiKeyEnv ? { keyEnv: profile.apiKeyEnv, detail: `takes its key from ${profile.apiKeyEnv}` } : {}),
  };
}

function keyTargets(profiles: readonly ProviderProfile[]): KeyTarget[] {
  return [
    { label: 'Default key', description: 'patchpilot.baseUrl, and profiles without a key of their own', profile: null },
    { label: 'Profiles', kind: vscode.QuickPickItemKind.Separator, profile: null },
    ...profiles.map(targetOf),
  ];
}

export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}
