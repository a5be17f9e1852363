// The command and test gates: every command the model asks for passes the command policy (deny rules win, then
// approval), and test runs are parsed into structured failures with a signature for progress tracking.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { CommandGate, TestGate } from '../tools/context';
import { failureSignature, parseTestOutput } from '../tools/testparse';
import { failure } from '../tools/tool';
import type { TestRunRecord, ToolResult } from '../tools/types';
import { evaluateCommand } from './policy/commandPolicy';
import type { PathPolicy } from './policy/pathPolicy';
import type { Approver, CommandResult, CommandRunner } from './ports';

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
  testCommand: string | null;
  testTimeoutMs: number;
  signal: AbortSignal;
  onTestRun(run: TestRunRecord, signature: string, verification: boolean): void;
  onCommandApproval?(command: string, reason: string, approved: boolean): void;
}

export class SessionGates implements CommandGate, TestGate {
  constructor(private readonly options: GateOptions) {}

  async runCommand(command: string, timeoutSeconds: number | undefined): Promise<ToolResult> {
    const { options } = this;
    if (!options.trusted) {
      return failure('read_only_mode', 'This workspace is not trusted, so no commands run. Ask the person to trust the workspace.');
    }
    const verdict = evaluateCommand(command, options.commandRules, { pathPolicy: options.pathPolicy });
    if (verdict.verdict === 'deny') {
      return failure('command_denied', `Refused by the command policy: ${verdict.reason}${verdict.segment ? ` (in \`${verdict.segment}\`)` : ''}. Do not retry it; find another way.`);
    }
    if (verdict.verdict === 'ask') {
      const approval = await options.approver.approveCommand(
        { taskId: options.taskId, command, reason: verdict.reason, touchesProtectedPath: verdict.touchesProtectedPath }, options.signal);
      options.onCommandApproval?.(command, verdict.reason, approval.approved);
      if (!approval.approved) {
        return failure('command_rejected', `The person did not allow \`${command}\`${approval.feedback ? `: "${approval.feedback}"` : '.'}`);
      }
    }
    const timeoutMs = Math.round((timeoutSeconds ?? DEFAULT_COMMAND_TIMEOUT_S) * 1000);
    const result = await options.runner.run({ command, cwd: options.cwd, timeoutMs, purpose: 'command', signal: options.signal });
    return describeCommand(command, result, timeoutMs);
  }

  async runTests(verification: boolean): Promise<TestRunRecord | null> {
    const { options } = this;
    if (!options.testCommand) return null;
    const result = await options.runner.run({
      command: options.testCommand, cwd: options.cwd, timeoutMs: options.testTimeoutMs, purpose: 'test', signal: options.signal,
    });
    const fullOutput = await readFullOutput(result);
    const parsed = parseTestOutput(fullOutput, 'auto', { cwd: options.cwd });
    const run: TestRunRecord = {
      command: options.testCommand,
      exitCode: result.exitCode,
      timedOut: result.timedOut,
      failures: result.exitCode === 0 ? [] : parsed.failures,
      passed: parsed.passed,
      failed: parsed.failed,
      output: result.output,
    };
    options.onTestRun(run, signatureOf(run, parsed.tail ?? fullOutput), verification);
    return run;
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

function describeCommand(command: string, result: CommandResult, timeoutMs: number): ToolResult {
  const output = result.output.trimEnd() || '(no output)';
  if (result.timedOut) {
    return failure('timeout', `\`${command}\` did not finish within ${timeoutMs / 1000} s and was killed with its child processes.\nOutput so far:\n${output}`);
  }
  if (result.cancelled) return failure('cancelled', `\`${command}\` was stopped because the task was cancelled.`);
  const spill = result.truncated && result.spillPath ? `\n[full output: ${result.spillPath}]` : '';
  return { ok: true, output: `Exit code: ${result.exitCode ?? result.signal}\n${output}${spill}`, data: { exitCode: result.exitCode } };
}
