// Everything that keeps one task from harming what lies outside it, in one place the session owns: which sandbox
// confines its commands (or why none can), the per-task temp folder, the filtering proxy for allowed hosts, the
// scrubbed environment, the secret masker, and the guard that keeps test files read-only under auto. The command
// gates and the change writer ask it; the journal records what it decided, once, at the start of the task.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scrubEnvironment } from '../tools/process/environment';
import { HostProxy } from '../tools/process/sandbox/hostProxy';
import { describeSandboxPolicy, sandboxSupport, type SandboxMode, type SandboxPolicy, type SandboxSupport } from '../tools/process/sandbox';
import { findProtectedFiles } from '../tools/workspace/protectedFiles';
import { FileEnumerator } from '../tools/workspace/fileEnumeration';
import type { WriteScope } from './policy/commandPolicy';
import type { PathPolicy } from './policy/pathPolicy';
import { SecretMasker, secretsInFile, type SecretValue } from './policy/secretMasker';
import { TestFileGuard } from './policy/testFiles';

export interface SafetyOptions {
  cwd: string;
  taskId: string;
  pathPolicy: PathPolicy;
  /** What the person asked for; 'workspace-write' by default. */
  sandbox: SandboxMode;
  allowHosts: string[];
  /** Credential-looking variables the person passes through to commands by name. */
  passEnv: string[];
  /** Keep the task's test files read-only (changes written without review, test edits not allowed). */
  protectTests: boolean;
  /** Secrets known to the caller (the API key in use), masked like the rest. */
  knownSecrets?: SecretValue[];
  /** The environment commands would inherit; default this process's. */
  environment?: NodeJS.ProcessEnv;
  /** The test files recorded when the task started (on resume); computed when absent. */
  testFilesAtStart?: string[];
  /** Reports each proxy decision (host allowed or refused) to the journal. */
  onProxyDecision?(host: string, allowed: boolean): void;
}

/** The person's credential stores in their home folder: hidden from every sandboxed command. */
export function credentialStores(home = os.homedir()): string[] {
  return ['.ssh', '.aws', '.gnupg', '.config/gh', '.config/gcloud', '.azure', '.kube', '.docker/config.json', '.netrc', '.npmrc',
    '.pypirc', '.git-credentials', '.config/git/credentials', '.cargo/credentials', '.cargo/credentials.toml', '.gem/credentials',
    '.config/hub', '.password-store', '.vault-token', '.terraform.d/credentials.tfrc.json', '.pgpass', '.my.cnf', '.local/share/keyrings',
    '.mozilla', '.config/google-chrome', '.config/chromium', '.config/BraveSoftware', 'Library/Keychains']
    .map((entry) => path.join(home, entry));
}

export interface SandboxState {
  requested: SandboxMode;
  /** The mode in force: the requested one, or 'off' when no sandbox is available. */
  active: SandboxMode;
  enforcedBy: SandboxSupport['enforcedBy'];
  /** Why: what enforces it, or why nothing can (with how to get it). */
  note: string;
}

export class TaskSafety {
  readonly masker: SecretMasker;
  readonly sandbox: SandboxState;
  readonly droppedEnv: string[];
  private readonly env: Record<string, string>;
  private proxy: Promise<HostProxy> | null = null;

  private constructor(
    private readonly options: SafetyOptions,
    readonly tempDir: string,
    readonly testGuard: TestFileGuard | null,
    support: SandboxSupport,
  ) {
    const scrubbed = scrubEnvironment(options.environment ?? process.env, options.passEnv);
    this.env = scrubbed.env;
    this.droppedEnv = scrubbed.dropped;
    this.masker = new SecretMasker([...(options.knownSecrets ?? []), ...scrubbed.secretValues]);
    this.refreshFileSecrets();
    const unavailable = options.sandbox !== 'off' && !support.available;
    this.sandbox = {
      requested: options.sandbox,
      active: unavailable ? 'off' : options.sandbox,
      enforcedBy: options.sandbox === 'off' ? null : support.enforcedBy,
      note: options.sandbox === 'off' ? 'The sandbox is off (chosen explicitly): commands run unconfined.'
        : unavailable ? `No sandbox is available: ${support.reason} Commands outside the allow rules are asked about, and refused when nobody can be asked (--approve auto).`
          : support.reason,
    };
  }

  static async create(options: SafetyOptions): Promise<TaskSafety> {
    const tempDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), `patchpilot-task-${options.taskId.slice(-6)}-`));
    let guard: TestFileGuard | null = null;
    if (options.protectTests) {
      const files = options.testFilesAtStart ?? await new FileEnumerator(options.cwd).listFiles('').catch(() => []);
      const startText = new Map<string, string | null>();
      for (const name of ['pyproject.toml', 'setup.cfg']) startText.set(name, readText(path.join(options.cwd, name)));
      guard = new TestFileGuard(options.cwd, files, (relative) => startText.get(relative) ?? null);
    }
    return new TaskSafety(options, tempDir, guard, sandboxSupport());
  }

  /** True when commands run confined. */
  get confined(): boolean {
    return this.sandbox.active !== 'off';
  }

  /** The environment every command starts from: credentials dropped, temp folder set. */
  commandEnv(): Record<string, string> {
    return { ...this.env, TMPDIR: this.tempDir, TMP: this.tempDir, TEMP: this.tempDir };
  }

  /** Where commands may write, for the command policy (it denies writes elsewhere, sandbox or not). */
  writeScope(cwd: string): WriteScope {
    const roots = [this.options.cwd, this.tempDir];
    // Inside the Linux sandbox /tmp and /var/tmp are the task's temp folder; outside it they are shared.
    if (this.confined && process.platform === 'linux') roots.push('/tmp', '/var/tmp');
    const guard = this.testGuard;
    return { cwd, roots, ...(guard ? { protectsTest: (absolute: string) => guard.protects(absolute) } : {}) };
  }

  /**
   * The policy for the next command, or undefined when commands run unconfined. `workspace` is another root the
   * command runs in (a verification worktree); it gets the same rules.
   */
  async policyForCommand(workspace = this.options.cwd): Promise<SandboxPolicy | undefined> {
    if (this.sandbox.active === 'off') return undefined;
    const { pathPolicy, allowHosts } = this.options;
    const cwd = workspace;
    const found = findProtectedFiles(cwd, pathPolicy);
    // .git stays readable (git status, git diff) but not writable; the journals likewise.
    const hidden = found.filter((file) => path.basename(file.absolute) !== '.git').map((file) => file.absolute);
    const readOnly = [path.join(cwd, '.git'), path.join(cwd, '.patchpilot'),
      ...found.filter((file) => path.basename(file.absolute) === '.git').map((file) => file.absolute),
      ...(cwd === this.options.cwd ? this.testGuard?.files().map((file) => path.join(cwd, file)) ?? [] : [])];
    const policy: SandboxPolicy = {
      mode: this.sandbox.active, workspace: cwd, tempDir: this.tempDir, readOnly, hidden: [...hidden, ...credentialStores()], allowHosts,
    };
    const proxied = allowHosts.length > 0 && !allowHosts.includes('*');
    if (proxied) {
      const proxy = await this.startProxy();
      policy.proxy = process.platform === 'darwin' ? { url: `http://127.0.0.1:${proxy.port}` } : { socketPath: this.proxySocketPath() };
    }
    return policy;
  }

  /** The policy in words, for the journal and the report. */
  describe(policy: SandboxPolicy | undefined): string {
    if (!policy) return this.sandbox.note;
    return describeSandboxPolicy(policy, this.sandbox.enforcedBy ?? 'sandbox');
  }

  /** Secrets in protected files can change during a task (the person edits .env): read them again. */
  refreshFileSecrets(): void {
    for (const file of findProtectedFiles(this.options.cwd, this.options.pathPolicy)) {
      if (!file.directory && path.basename(file.absolute) !== '.git') this.masker.add(secretsInFile(file.absolute, file.relative));
    }
  }

  async close(): Promise<void> {
    const proxy = this.proxy;
    this.proxy = null;
    if (proxy) await (await proxy).close().catch(() => undefined);
    await fs.promises.rm(this.tempDir, { recursive: true, force: true }).catch(() => undefined);
  }

  private proxySocketPath(): string {
    return path.join(this.tempDir, '.patchpilot-proxy.sock');
  }

  private startProxy(): Promise<HostProxy> {
    this.proxy ??= HostProxy.start(process.platform === 'darwin' ? 0 : this.proxySocketPath(), this.options.allowHosts,
      (decision) => this.options.onProxyDecision?.(`${decision.host}:${decision.port}`, decision.allowed));
    return this.proxy;
  }
}

function readText(absolute: string): string | null {
  try {
    return fs.readFileSync(absolute, 'utf8');
  } catch {
    return null;
  }
}
