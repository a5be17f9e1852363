// The command and test gates: every command the model asks for passes the command policy (deny rules win, then
// approval), and test runs are parsed into structured failures with a signature for progress tracking.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { CommandGate, TestGate } from '../tools/context';
import { failureSignature, parseTestOutput } from '../tools/testparse';
import { failure } from '../tools/tool';
import type { TestRunRecord, ToolResult } from '../tools/types';
import { explainSandboxBlock } from '../tools/process/sandbox/blocked';
import type { SandboxPolicy } from '../tools/process/sandbox/policy';
import { evaluateCommand } from './policy/commandPolicy';
import type { PathPolicy } from './policy/pathPolicy';
import type { Approver, CommandRequest, CommandResult, CommandRunner } from './ports';
import type { TaskSafety } from './safety';
import { selectionRan } from './triage/classify';
import type { TargetedRuns } from './triage/targeted';

const DEFAULT_COMMAND_TIMEOUT_S = 120;
const MAX_PARSED_BYTES = 20 * 1024 * 1024;

export interface GateOptions {
  taskId: string;
  cwd: string;
  runner: CommandRunner;
  approver: Approver;
  commandRules: { allow?: string[]; deny?: string[] };
  /** Commands that name protected files (cat .env) are asked about rather than allowed. */
  pathPolicy?: PathPolicy;
  /** Untrusted workspaces run no commands at all. */
  trusted: boolean;
  /** 'auto': nobody reviews as it goes, so commands in `autoRefusal` never run. */
  approval: 'auto' | 'ask';
  safety: TaskSafety;
  /** The checkpoint is taken before the first command, so even an approved destructive one can be undone. */
  ensureCheckpoint(): Promise<void>;
  testCommand: string | null;
  testTimeoutMs: number;
  signal: AbortSignal;
  onTestRun(run: TestRunRecord, signature: string, verification: boolean): void;
  /** Targeted re-runs of the failing tests (absent: every run is the full suite). */
  targeting?: TargetedRuns;
  onCommandApproval?(command: string, reason: string, approved: boolean): void;
  /** Every command that ran: what ran, how it was confined, how it ended. */
  onCommandRun?(record: { command: string; purpose: 'command' | 'test'; sandbox: string; exitCode: number | null; blocked: boolean }): void;
}

export class SessionGates implements CommandGate, TestGate {
  constructor(private readonly options: GateOptions) {}

  async runCommand(command: string, timeoutSeconds: number | undefined): Promise<ToolResult> {
    const { options } = this;
    if (!options.trusted) {
      return failure('read_only_mode', 'This workspace is not trusted, so no commands run. Ask the person to trust the workspace.');
    }
    const { safety } = options;
    const verdict = evaluateCommand(command, options.commandRules, { pathPolicy: options.pathPolicy, writeScope: safety.writeScope(options.cwd) });
    if (verdict.verdict === 'deny') {
      return failure('command_denied', `Refused by the command policy: ${verdict.reason}${verdict.segment ? ` (in \`${verdict.segment}\`)` : ''}. Do not retry it; find another way.`);
    }
    if (options.approval === 'auto' && verdict.autoRefusal) {
      return failure('needs_person', `Not run: ${verdict.autoRefusal} Do not retry it; find another way, or say in your summary what the person should run.`);
    }
    if (verdict.verdict === 'ask') {
      const unconfined = safety.confined ? undefined : safety.sandbox.note;
      const approval = await options.approver.approveCommand({
        taskId: options.taskId, command, reason: verdict.reason, touchesProtectedPath: verdict.touchesProtectedPath,
        ...(unconfined && safety.sandbox.requested !== 'off' ? { unconfined } : {}),
      }, options.signal);
      options.onCommandApproval?.(command, verdict.reason, approval.approved);
      if (!approval.approved) {
        return failure('command_rejected', `The person did not allow \`${command}\`${approval.feedback ? `: "${approval.feedback}"` : '.'}`);
      }
    }
    const timeoutMs = Math.round((timeoutSeconds ?? DEFAULT_COMMAND_TIMEOUT_S) * 1000);
    const { result, sandbox } = await this.execute(command, 'command', timeoutMs);
    return describeCommand(command, result, timeoutMs, sandbox, safety);
  }

  /**
   * `where.cwd`: run in another folder (a worktree holding the original tests) instead of the workspace. A run that
   * is not a verification may be targeted (only the tests that failed last, see triage/targeted); verification never is.
   */
  async runTests(verification: boolean, where: { cwd?: string; originalTests?: boolean } = {}): Promise<TestRunRecord | null> {
    const { options } = this;
    if (!options.testCommand) return null;
    const cwd = where.cwd ?? options.cwd;
    const targeting = !verification && !where.cwd ? options.targeting : undefined;
    const plan = targeting?.plan();
    let note = plan?.kind === 'full' ? plan.note : null;
    if (targeting && plan?.kind === 'targeted') {
      const targeted = await this.parsedRun(plan.command, cwd, { targeted: { selected: plan.selected } });
      if (selectionRan(targeted.run)) return this.record(targeted.run, targeted.signature, verification);
      // A filter that matched nothing proves nothing: the full suite runs, and targeting stops for this task.
      targeting.disable(`\`${plan.command}\` selected no tests`);
      note = `A targeted run (\`${plan.command}\`) selected no tests, so the full suite ran instead; targeted runs are off for this task.`;
    }
    const full = await this.parsedRun(options.testCommand, cwd, { ...(where.originalTests ? { originalTests: true } : {}), ...(note ? { note } : {}) });
    return this.record(full.run, full.signature, verification);
  }

  /** A test command built by triage (one test selected), through the same runner and sandbox; not a recorded test run. */
  async runSelectedTests(command: string, cwd = this.options.cwd): Promise<TestRunRecord> {
    return (await this.parsedRun(command, cwd, {})).run;
  }

  private record(run: TestRunRecord, signature: string, verification: boolean): TestRunRecord {
    this.options.onTestRun(run, signature, verification);
    this.options.targeting?.noteRun(run);
    return run;
  }

  private async parsedRun(command: string, cwd: string, extra: Partial<TestRunRecord>): Promise<{ run: TestRunRecord; signature: string }> {
    const { options } = this;
    const { result } = await this.execute(command, 'test', options.testTimeoutMs, cwd);
    const mask = (text: string) => options.safety.masker.mask(text);
    const fullOutput = mask(await readFullOutput(result));
    const parsed = parseTestOutput(fullOutput, 'auto', { cwd });
    const run: TestRunRecord = {
      command,
      exitCode: result.exitCode,
      timedOut: result.timedOut,
      failures: result.exitCode === 0 ? [] : parsed.failures,
      passed: parsed.passed,
      failed: parsed.failed,
      skipped: parsed.skipped,
      todo: parsed.todo,
      ...(parsed.tests ? { tests: parsed.tests } : {}),
      output: mask(result.output),
      runner: parsed.runner,
      ...extra,
    };
    return { run, signature: signatureOf(run, parsed.tail ?? fullOutput) };
  }

  /** Runs a command the policy let through: checkpoint first, then confined, with the scrubbed environment. */
  private async execute(command: string, purpose: CommandRequest['purpose'], timeoutMs: number, cwd = this.options.cwd): Promise<{ result: CommandResult; sandbox: SandboxPolicy | undefined }> {
    const { options } = this;
    await options.ensureCheckpoint();
    const sandbox = await options.safety.policyForCommand(cwd);
    const result = await options.runner.run({
      command, cwd, timeoutMs, purpose, signal: options.signal, baseEnv: options.safety.commandEnv(), sandbox,
      redact: options.safety.masker,
    });
    const blocked = sandbox !== undefined && explainSandboxBlock(result.output, sandbox) !== null;
    options.onCommandRun?.({ command, purpose, sandbox: sandbox ? `${options.safety.sandbox.enforcedBy} ${sandbox.mode}` : 'off', exitCode: result.exitCode, blocked });
    return { result, sandbox };
  }
}

async function readFullOutput(result: CommandResult): Promise<string> {
  if (!result.truncated || !result.spillPath) return result.output;
  try {
    const text = await readFile(result.spillPath, 'utf8');
    return text.length > MAX_PARSED_BYTES ? text.slice(-MAX_PARSED_BYTES) : text;
  } catch {
    return result.output;
  }
}

/** Same failures → same signature; with nothing structured, the exit code and the masked tail of the log stand in. */
export function signatureOf(run: TestRunRecord, tail: string): string {
  if (run.exitCode === 0) return 'pass';
  if (run.timedOut) return 'timeout';
  if (run.failures.length) return failureSignature(run.failures);
  const masked = tail.split('\n').slice(-20).join('\n').replace(/\d+(\.\d+)?\s*m?s\b/g, 'T').replace(/\d+/g, 'N');
  return `exit:${run.exitCode}:${createHash('sha1').update(masked).digest('hex').slice(0, 12)}`;
}

function describeCommand(command: string, result: CommandResult, timeoutMs: number, sandbox: SandboxPolicy | undefined, safety: TaskSafety): ToolResult {
  const output = safety.masker.mask(result.output.trimEnd()) || '(no output)';
  if (result.timedOut) {
    return failure('timeout', `\`${command}\` did not finish within ${timeoutMs / 1000} s and was killed with its child processes.\nOutput so far:\n${output}`);
  }
  if (result.cancelled) return failure('cancelled', `\`${command}\` was stopped because the task was cancelled.`);
  const spill = result.truncated && result.spillPath ? `\n[full output: ${result.spillPath}]` : '';
  // Judged on the output whatever the exit code: a script may report a failed connection and still exit 0.
  const blocked = sandbox ? explainSandboxBlock(result.output, sandbox) : null;
  const strays = result.strayProcessesKilled ? `\n[${result.strayProcessesKilled} process(es) the command left running were stopped; nothing outlives a command]` : '';
  return { ok: true, output: `Exit code: ${result.exitCode ?? result.signal}\n${output}${spill}${strays}${blocked ? `\n${blocked}` : ''}`, data: { exitCode: result.exitCode } };
}
