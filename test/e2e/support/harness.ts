// End-to-end harness: temporary git repos from fixture projects, the real built CLI as a child process, and the
// scripted OpenAI-compatible server over real HTTP, owned by the test so it can inspect every request.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startScriptedServer, type ScriptedServer } from '../../../src/scripted/server';
import type { Script } from '../../../src/scripted/script';

export const repoRoot = resolve(__dirname, '../../../..');
export const cliPath = join(repoRoot, 'dist', 'cli.js');
const GIT_ENV = { GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.invalid', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.invalid' };

const cleanups: (() => void | Promise<void>)[] = [];
export async function cleanupAll(): Promise<void> {
  while (cleanups.length) await cleanups.pop()!();
}

/** Copies a fixture project to a temp folder and commits it, so checkpoints and git status are real. */
export function makeRepo(fixture: string): string {
  const dir = mkdtempSync(join(tmpdir(), `pp-e2e-${fixture}-`));
  cpSync(join(repoRoot, 'test', 'fixtures', 'projects', fixture), dir, { recursive: true });
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'fixture');
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });
}

export function read(dir: string, path: string): string {
  return readFileSync(join(dir, path), 'utf8');
}

export async function scripted(script: Script): Promise<ScriptedServer> {
  const server = await startScriptedServer(script);
  cleanups.push(() => server.close());
  return server;
}

export interface CliRun { code: number | null; stdout: string; stderr: string }

/** Runs the built CLI; `--base-url` of a scripted server is added by the caller. */
export function runCli(args: string[], options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      env: { ...process.env, OPENAI_API_KEY: 'test-key', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI did not finish in time.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** The standard flags of a task run against a scripted server. */
export function taskArgs(cwd: string, server: ScriptedServer, extra: string[] = []): string[] {
  return ['--cwd', cwd, '--base-url', server.url, '--model', 'scripted', '--approve', 'auto', '--report', join(cwd, '..', `${cwd.split('/').pop()}-report.json`), ...extra];
}

export function readReport(cwd: string): Report {
  const report = JSON.parse(readFileSync(join(cwd, '..', `${cwd.split('/').pop()}-report.json`), 'utf8')) as Report;
  cleanups.push(() => rmSync(join(cwd, '..', `${cwd.split('/').pop()}-report.json`), { force: true }));
  return report;
}

export interface Report {
  taskId: string;
  status: 'verified' | 'unverified' | 'failed' | 'stopped';
  reason: string | null;
  steps: number;
  modelCalls: number;
  usage: { promptTokens: number; completionTokens: number; costUsd: number | null };
  testRuns: { exitCode: number | null; originalTests?: true; failures: { name: string; file: string | null; line: number | null; message: string }[] }[];
  verifiedBy: 'tests' | null;
  verdict: string | null;
  summary: string;
  testChanges: { path: string; diff: string }[];
  ledger: { failing: string[]; fixed: string[]; regressed: string[]; newlyFailing: string[]; notRun: string[]; progress: boolean | null }[];
  changes: { path: string; diff: string }[];
  safety: { sandbox: string; requestedSandbox: string; enforcedBy: string | null; envDropped: string[]; testFilesProtected: number } | null;
}

/** All the text the model received in one request, for assertions on what reached it. */
export function requestText(server: ScriptedServer, index: number): string {
  return JSON.stringify(server.requests[index]?.body?.messages ?? []);
}

export const FIXED_ADD = { path: 'src/math.js', edits: [{ search: '  return a - b;', replace: '  return a + b;' }] };
