// CommandRunner of the extension: runs each command as a child process (exact output and exit code, no dependence on
// shell integration) and mirrors it live into a "Patchpilot" terminal driven by a Pseudoterminal.
import * as vscode from 'vscode';
import type { CommandRequest, CommandResult, CommandRunner } from '../agent/ports';
import { spillDirFor } from '../agent/projectContext';
import { runProcess } from '../tools/process/runProcess';
import { Disposable } from './lifecycle';

const TRANSCRIPT_LIMIT = 64 * 1024;
const CTRL_C = '\x03';

// CSI and OSC sequences: colours for the terminal, noise anywhere else (the Output channel, the model's context).
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** xterm needs CRLF; child output usually has bare LF. */
export function toTerminalText(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

class PatchpilotPseudoterminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.writeEmitter.event;
  private pending: string[] = [];
  private opened = false;
  /** Set while a command runs: Ctrl+C in the terminal stops it, as in a shell. */
  interrupt: (() => void) | undefined;

  constructor(private readonly onClosed: () => void) {}

  open(): void {
    this.opened = true;
    for (const chunk of this.pending) this.writeEmitter.fire(chunk);
    this.pending = [];
  }

  close(): void {
    this.interrupt?.();
    this.onClosed();
  }

  handleInput(data: string): void {
    if (data === CTRL_C) this.interrupt?.();
  }

  write(text: string): void {
    if (this.opened) this.writeEmitter.fire(text);
    else this.pending.push(text);
  }

  dispose(): void {
    this.writeEmitter.dispose();
  }
}

export class TerminalCommandRunner extends Disposable implements CommandRunner {
  private terminal: vscode.Terminal | undefined;
  private pty: PatchpilotPseudoterminal | undefined;
  private transcriptText = '';

  /** `name`: the terminal's name; `reveal: false` (a background task) runs without bringing the terminal forward. */
  constructor(private readonly log: vscode.LogOutputChannel, private readonly look: { name?: string; reveal?: boolean } = {}) {
    super();
    this._register({ dispose: () => this.terminal?.dispose() });
  }

  /** What the terminal showed most recently (bounded): for diagnostics and the in-VS-Code tests. */
  transcript(): string {
    return this.transcriptText;
  }

  /** Brings the terminal forward without moving the keyboard there (made now if no command ran yet). */
  reveal(): void {
    this.ensureTerminal();
    this.terminal?.show(true);
  }

  async run(request: CommandRequest): Promise<CommandResult> {
    const pty = this.ensureTerminal();
    const interrupt = new AbortController();
    const signal = request.signal ? AbortSignal.any([request.signal, interrupt.signal]) : interrupt.signal;
    pty.interrupt = () => interrupt.abort();
    this.echo(`\x1b[1;36m${request.purpose === 'test' ? 'test' : 'run'}\x1b[0m \x1b[2m${request.cwd}\x1b[0m\r\n\x1b[1m$ ${request.command}\x1b[0m\r\n`);
    this.log.info(`${request.purpose}: ${request.command} (cwd ${request.cwd})`);
    const sandbox = request.sandbox ? `sandbox: ${request.sandbox.mode}` : 'no sandbox';
    this.echo(`\x1b[2m(${sandbox})\x1b[0m\r\n`);
    // What the person sees live is masked like what the model sees: a secret may be split across two chunks.
    const masked = request.redact?.stream();
    try {
      const result = await runProcess({
        ...request, signal,
        onOutput: (chunk) => {
          this.echo(toTerminalText(masked ? masked.push(chunk) : chunk));
          request.onOutput?.(chunk);
        },
      }, { spillDir: spillDirFor(request.cwd) });
      if (masked) this.echo(toTerminalText(masked.end()));
      const cancelledHere = interrupt.signal.aborted && !request.signal?.aborted;
      this.echo(`\r\n${exitLine(result, cancelledHere)}\r\n\r\n`);
      this.log.info(`${request.command} → ${stripAnsi(exitLine(result, cancelledHere))} in ${result.durationMs} ms`);
      return result;
    } finally {
      pty.interrupt = undefined;
    }
  }

  private echo(text: string): void {
    this.pty?.write(text);
    this.transcriptText = (this.transcriptText + text).slice(-TRANSCRIPT_LIMIT);
  }

  private ensureTerminal(): PatchpilotPseudoterminal {
    if (!this.terminal || !this.pty) {
      const pty = new PatchpilotPseudoterminal(() => {
        this.terminal = undefined;
        this.pty = undefined;
      });
      this.pty = pty;
      this.terminal = vscode.window.createTerminal({ name: this.look.name ?? 'Patchpilot', pty, iconPath: new vscode.ThemeIcon('sparkle'), isTransient: true });
    }
    if (this.look.reveal !== false) this.terminal.show(true);
    return this.pty;
  }
}

function exitLine(result: CommandResult, cancelledFromTerminal: boolean): string {
  if (result.timedOut) return '\x1b[33m[timed out: process tree killed]\x1b[0m';
  if (result.cancelled) return `\x1b[33m[stopped${cancelledFromTerminal ? ' (Ctrl+C)' : ''}: process tree killed]\x1b[0m`;
  const colour = result.exitCode === 0 ? '32' : '31';
  return `\x1b[${colour}m[exit code ${result.exitCode ?? result.signal}]\x1b[0m`;
}
