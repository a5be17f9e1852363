// Watch mode's own test runs, confined like a session's: the person's test command runs through a CommandRunner (the
// CLI's child process, the VS Code terminal) under the same sandbox policy a task gets — workspace-write by default, so
// it may write the workspace and a temp folder of its own but nothing else, with .git and .patchpilot read-only,
// protected files hidden and credentials dropped from its environment. Where no sandbox exists it runs unconfined, as
// a session's test run would, and `note` says so. No vscode import: the CLI and the extension share it.
import type { CommandRunner } from '../ports';
import { TaskSafety } from '../safety';
import type { PathPolicy } from '../policy/pathPolicy';
import type { SandboxMode } from '../../tools/process/sandbox';
import { verdictOf } from './proposer';
import type { TestVerdict } from './testWatch';

export interface WatchTestOptions {
  root: string;
  testCommand: string;
  runner: CommandRunner;
  pathPolicy: PathPolicy;
  /** Default 'workspace-write'. */
  sandbox?: SandboxMode;
  allowHosts?: string[];
  passEnv?: string[];
  timeoutMs: number;
}

export class SandboxedTestRunner {
  private constructor(private readonly options: WatchTestOptions, private readonly safety: TaskSafety) {}

  static async create(options: WatchTestOptions): Promise<SandboxedTestRunner> {
    const safety = await TaskSafety.create({
      cwd: options.root, taskId: `watch-${process.pid}`, pathPolicy: options.pathPolicy, sandbox: options.sandbox ?? 'workspace-write',
      allowHosts: options.allowHosts ?? [], passEnv: options.passEnv ?? [],
      // Watch never writes the person's files; the test command itself may (snapshots, caches), as it would for them.
      protectTests: false,
    });
    return new SandboxedTestRunner(options, safety);
  }

  /** How the test runs are confined, in words (or why they cannot be). */
  get note(): string {
    return this.safety.sandbox.active === 'off' ? this.safety.sandbox.note
      : `tests run in the sandbox (${this.safety.sandbox.enforcedBy}, ${this.safety.sandbox.active})`;
  }

  get confined(): boolean {
    return this.safety.confined;
  }

  /** One run of the test command, read as a verdict. */
  async run(signal: AbortSignal): Promise<TestVerdict> {
    const { root, testCommand, runner, timeoutMs } = this.options;
    const sandbox = await this.safety.policyForCommand(root);
    const result = await runner.run({
      command: testCommand, cwd: root, timeoutMs, purpose: 'test', signal, baseEnv: this.safety.commandEnv(), sandbox, redact: this.safety.masker,
    });
    return verdictOf(result, root);
  }

  async close(): Promise<void> {
    await this.safety.close();
  }
}
