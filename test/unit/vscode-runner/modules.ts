// Typed views of the plain-JS runner modules under test/vscode, loaded from the repository (they are not compiled).
import * as path from 'node:path';
import type { Browser, BrowserType, Page } from 'playwright-core';

export const repoRoot = path.resolve(__dirname, '../../../..');
export const runnerDir = path.join(repoRoot, 'test/vscode');
export const fakeCodeSource = path.join(repoRoot, 'test/fixtures/vscode-runner/fake-code.js');

export interface Scenario {
  name: string;
  untrusted?: boolean;
  installVsix?: (root: string) => string;
  specs?: string[] | ((phase: string) => string[]);
  timeoutMs?: number;
}

export interface RunTestsOptions {
  vscodeExecutablePath: string;
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  launchArgs: string[];
  extensionTestsEnv: Record<string, string | undefined>;
}

export interface RouteChoice {
  routes: string[];
  executable?: string;
  skipped?: string;
  error?: string;
}

export interface ElectronArgsModule {
  EXECUTABLE_ENV: string;
  DISABLE_TRUST: string;
  electronUserSettings(scenario: Scenario): Record<string, unknown>;
  profileDirs(root: string): { userDataDir: string; extensionsDir: string; home: string };
  runTestsOptions(input: { executable: string; scenario: Scenario; repoRoot: string; workspace: string; root: string;
    debugPort: number; driverUrl: string }): RunTestsOptions;
  directSpawnArgs(options: RunTestsOptions): string[];
  needsWorkspaceTrust(scenario: Scenario): boolean;
  installVsixArgs(cliArgs: string[], input: { root: string; vsix: string }): { command: string; args: string[] };
  chooseRoutes(routeArg: string | undefined, env: Record<string, string | undefined>): RouteChoice;
}

export interface DriverServer {
  url: string;
  attach(context: unknown): void;
  results(): { passed: number; failed: number; runs: number };
  close(): Promise<void>;
}

export interface LaunchInput {
  root: string;
  workspace: string;
  scenario: Scenario;
  driver: DriverServer;
  repoRoot: string;
  lap(message: string): void;
  executable: string;
  artifactsDir: string;
  limits?: Partial<{ connectMs: number; exitMs: number; stopMs: number; reloadMs: number }>;
}

export interface ReloadSession {
  page: Page;
  artifactsDir?: string;
  scenario?: string;
}

export type RunCommand = (ctx: { page: Page; artifactsDir?: string; scenario?: string; lap(message: string): void }, args: { title: string }) => Promise<void>;

export interface ElectronModule {
  launchElectron(input: LaunchInput): Promise<{ code: number | string }>;
  checkExecutable(executable: string): void;
  connectOverCdp(input: { chromium: BrowserType; port: number; hasExited(): boolean; limitMs: number }): Promise<Browser | undefined>;
  findWorkbenchPage(input: { browser: Browser; hasExited(): boolean; limitMs: number; notMarked?: boolean }): Promise<Page | undefined>;
  reloadWorkbench(input: { session: ReloadSession; browser: Browser; hasExited(): boolean; limitMs: number; lap(message: string): void;
    runCommand: RunCommand }): Promise<Page>;
}

export function loadActions(): { runCommand: RunCommand } {
  return require(path.join(repoRoot, 'out/test/vscode/ui/actions.js')) as { runCommand: RunCommand };
}

export function loadChromium(): BrowserType {
  return (require(path.join(repoRoot, 'node_modules/playwright-core')) as { chromium: BrowserType }).chromium;
}

export interface DriverServerModule {
  startDriverServer(input: { scenario: Scenario; artifactsDir: string; lap(message: string): void; attachWaitMs?: number }): Promise<DriverServer>;
}

// The modules are CommonJS files outside the TypeScript program; these casts are the one place their shape is asserted.
export function loadElectronArgs(): ElectronArgsModule {
  return require(path.join(runnerDir, 'electronArgs.js')) as ElectronArgsModule;
}

export function loadElectron(): ElectronModule {
  return require(path.join(runnerDir, 'electron.js')) as ElectronModule;
}

export function loadDriverServer(): DriverServerModule {
  return require(path.join(runnerDir, 'driverServer.js')) as DriverServerModule;
}
