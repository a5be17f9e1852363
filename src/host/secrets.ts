// The API key: kept in VS Code's SecretStorage (never in settings), with OPENAI_API_KEY from the environment as fallback.
import * as vscode from 'vscode';
import { Disposable } from './lifecycle';

const SECRET_KEY = 'patchpilot.apiKey';

export type ApiKeySource = 'secret-storage' | 'environment' | 'none';

export class ApiKeyStore extends Disposable {
  constructor(private readonly secrets: vscode.SecretStorage, private readonly environment: NodeJS.ProcessEnv = process.env) {
    super();
  }

  async get(): Promise<{ key: string | undefined; source: ApiKeySource }> {
    const stored = await this.secrets.get(SECRET_KEY);
    if (stored) return { key: stored, source: 'secret-storage' };
    const fromEnvironment = this.environment.OPENAI_API_KEY?.trim();
    if (fromEnvironment) return { key: fromEnvironment, source: 'environment' };
    return { key: undefined, source: 'none' };
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, key.trim());
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
  }
}
