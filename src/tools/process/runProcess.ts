// Runs one shell command as a child process for the agent: its own process group so a timeout or cancel kills
// the whole tree, stdin closed so prompts end instead of hanging, output bounded (head + tail, the rest spilled
// to a file). Used by the CLI and tests directly, and by the VS Code terminal runner underneath its pseudoterminal.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import type { CommandRequest, CommandResult, CommandRunner } from '../../agent/ports';
import { BoundedOutput } from './boundedOutput';
import { killMarkedProcesses, RUN_MARKER_VARIABLE } from './processSweep';
import { sandboxedProcess } from './sandbox';

export interface RunProcessOptions {
  /** Bytes kept from the start of the output (default 16 KiB). */
  headBytes?: number;
  /** Bytes kept from the end of the output (default 48 KiB). */
  tailBytes?: number;
  /** Where the full output goes when it is truncated (created on demand). */
  spillDir?: string;
  /** Time between SIGTERM and SIGKILL when the process tree is stopped (default 2000 ms). */
  killGraceMs?: number;
}

export const DEFAULT_SPILL_DIR = path.join(os.tmpdir(), 'patchpilot-output');

/** Variables that make tools behave as they do in CI: no colours, no pagers, no prompts. */
export const NON_INTERACTIVE_ENV: Readonly<Record<string, string>> = {
  CI: '1',
  FORCE_COLOR: '0',
  NO_COLOR: '1',
  GIT_TERMINAL_PROMPT: '0',
  PAGER: 'cat',
  GIT_PAGER: 'cat',
};

// After the shell exits, how long to wait for its pipes to close. Longer would let a background grandchild
// that inherited the pipes hold the call open; the group is stopped afterwards anyway.
const EXIT_DRAIN_MS = 250;

const isWindows = process.platform === 'win32';

/** Runs the command; resolves (never rejects) with the outcome, including timeouts, cancels and start failures. */
export function runProcess(request: CommandRequest, options: RunProcessOptions = {}): Promise<CommandResult> {
  const startedAt = performance.now();
  const output = new BoundedOutput({
    headBytes: options.headBytes ?? 16 * 1024,
    tailBytes: options.tailBytes ?? 48 * 1024,
    spillDir: options.spillDir ?? DEFAULT_SPILL_DIR,
  });
  const settle = (fields: Pick<CommandResult, 'exitCode' | 'signal' | 'timedOut' | 'cancelled'>): CommandResult => ({
    ...fields,
    ...output.finish(),
    durationMs: Math.round(performance.now() - startedAt),
  });

  if (request.signal?.aborted) {
    return Promise.resolve(settle({ exitCode: null, signal: null, timedOut: false, cancelled: true }));
  }
  const startProblem = checkWorkingDirectory(request.cwd);
  if (startProblem !== null) {
    output.append(startProblem);
    return Promise.resolve(settle({ exitCode: null, signal: null, timedOut: false, cancelled: false }));
  }
  const marker = randomBytes(8).toString('hex');
  let child: ChildProcess;
  try {
    child = spawnShell(request, marker);
  } catch (error) {
    output.append(`Could not start the command: ${error instanceof Error ? error.message : String(error)}\n`);
    return Promise.resolve(settle({ exitCode: null, signal: null, timedOut: false, cancelled: false }));
  }
  return new Promise((resolve) => {
    watchChild(child, request, options.killGraceMs ?? 2000, output, (fields) => {
      // A PID namespace (the Linux sandbox) already ended every process; otherwise find the ones that left the group.
      const strays = request.sandbox && process.platform === 'linux' ? 0 : killMarkedProcesses(marker);
      resolve({ ...settle(fields), ...(strays > 0 ? { strayProcessesKilled: strays } : {}) });
    });
  });
}

/** A CommandRunner for the CLI and tests: runProcess with fixed options, optionally echoing output. */
export class NodeCommandRunner implements CommandRunner {
  constructor(private readonly options: { spillDir?: string; echo?: (chunk: string) => void } = {}) {}

  async run(request: CommandRequest): Promise<CommandResult> {
    const echo = this.options.echo;
    const masked = echo ? request.redact?.stream() : undefined;
    const onOutput = echo === undefined && request.onOutput === undefined
      ? undefined
      : (chunk: string): void => {
        echo?.(masked ? masked.push(chunk) : chunk);
        request.onOutput?.(chunk);
      };
    const result = await runProcess({ ...request, onOutput }, { spillDir: this.options.spillDir });
    if (masked) echo?.(masked.end());
    return result;
  }
}

function checkWorkingDirectory(cwd: string): string | null {
  try {
    if (fs.statSync(cwd).isDirectory()) return null;
    return `Could not start the command: the working folder ${cwd} is not a folder.\n`;
  } catch {
    return `Could not start the command: the working folder ${cwd} does not exist.\n`;
  }
}

function spawnShell(request: CommandRequest, marker: string): ChildProcess {
  const env: Record<string, string | undefined> = { ...(request.baseEnv ?? process.env), ...NON_INTERACTIVE_ENV, ...request.env, [RUN_MARKER_VARIABLE]: marker };
  if (isWindows) {
    return spawn(process.env.ComSpec ?? 'cmd.exe', ['/d', '/s', '/c', `"${request.command}"`], {
      cwd: request.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, windowsVerbatimArguments: true,
    });
  }
  const shell = fs.existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
  // detached: the child leads a new process group, so one signal to -pid reaches every descendant.
  const options = { cwd: request.cwd, stdio: ['ignore', 'pipe', 'pipe'] as ('ignore' | 'pipe')[], detached: true };
  if (!request.sandbox) return spawn(shell, ['-c', request.command], { ...options, env });
  const confined = sandboxedProcess(request.sandbox, request.cwd, [shell, '-c', request.command]);
  return spawn(confined.file, confined.args, { ...options, env: { ...env, ...confined.env } });
}

type Outcome = Pick<CommandResult, 'exitCode' | 'signal' | 'timedOut' | 'cancelled'>;

function watchChild(child: ChildProcess, request: CommandRequest, killGraceMs: number, output: BoundedOutput, done: (outcome: Outcome) => void): void {
  let timedOut = false;
  let cancelled = false;
  let finished = false;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  let timeoutTimer: NodeJS.Timeout | undefined;
  let drainTimer: NodeJS.Timeout | undefined;
  let killTimer: NodeJS.Timeout | undefined;

  const decoders = [new StringDecoder('utf8'), new StringDecoder('utf8')];
  const receive = (text: string): void => {
    if (finished || text === '') return;
    output.append(text);
    try {
      request.onOutput?.(text);
    } catch {
      // A failing display listener must not break the run or lose output; the result still holds it.
    }
  };
  child.stdout?.on('data', (chunk: Buffer) => receive(decoders[0].write(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => receive(decoders[1].write(chunk)));

  const stopTree = (): void => {
    signalTree(child, 'SIGTERM');
    killTimer ??= setTimeout(() => signalTree(child, 'SIGKILL'), killGraceMs);
  };
  const onAbort = (): void => {
    cancelled = true;
    stopTree();
  };
  if (Number.isFinite(request.timeoutMs) && request.timeoutMs > 0) {
    timeoutTimer = setTimeout(() => {
      timedOut = true;
      stopTree();
    }, request.timeoutMs);
  }
  request.signal?.addEventListener('abort', onAbort, { once: true });

  const finish = (): void => {
    if (finished) return;
    for (const decoder of decoders) receive(decoder.end());
    finished = true;
    clearTimeout(timeoutTimer);
    clearTimeout(drainTimer);
    request.signal?.removeEventListener('abort', onAbort);
    // Nothing the command started may outlive it: background children would hold resources and our pipes.
    signalTree(child, 'SIGTERM');
    if (groupAlive(child)) killTimer ??= setTimeout(() => signalTree(child, 'SIGKILL'), killGraceMs);
    else clearTimeout(killTimer);
    child.stdout?.destroy();
    child.stderr?.destroy();
    const killed = timedOut || cancelled;
    done({ exitCode: killed ? null : exit?.code ?? null, signal: exit?.signal ?? null, timedOut, cancelled });
  };

  child.on('error', (error) => {
    if (child.pid === undefined) {
      receive(`Could not start the command: ${error.message}\n`);
      finish();
    }
  });
  child.on('exit', (code, signal) => {
    exit = { code, signal };
    drainTimer = setTimeout(finish, EXIT_DRAIN_MS);
  });
  child.on('close', (code, signal) => {
    exit ??= { code, signal };
    finish();
  });
}

function signalTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  if (isWindows) {
    spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => undefined);
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone, which is what we wanted.
  }
}

function groupAlive(child: ChildProcess): boolean {
  if (child.pid === undefined || isWindows) return false;
  try {
    process.kill(-child.pid, 0);
    return true;
  } catch {
    return false;
  }
}
