// Approvers for the terminal: 'auto' accepts (the command policy's deny rules still apply), 'ask' asks per hunk.
import { createInterface, type Interface } from 'node:readline';
import type { Approver, ChangeReview, CommandApproval, FileDecision, ProposedFileChange, ToolApproval } from '../agent/ports';
import { unattendedApprover } from '../agent/orchestrator/attemptsSetup';

// Nobody is asked in auto mode, so a command naming a protected file (cat .env) never runs unasked; outside the allow
// rules, auto mode runs a command only inside the sandbox (the same rule as an attempt's worktree, worded for the CLI).
export const autoApprover: Approver = unattendedApprover({
  protectedPath: 'it names a protected path, and --approve auto never lets such a command run; a person must approve it (--approve ask)',
  unconfined: (detail) => `it is outside the allow rules and would run unconfined: ${detail} Use --approve ask, install the sandbox, or pass --sandbox off to run such commands unconfined`,
});

/**
 * Asks on the terminal: y accepts a hunk, n rejects it (and asks why), a/r accept/reject the rest.
 * Anything but an explicit yes is a no, and so is the end of input: nothing is written unasked.
 */
export class TerminalApprover implements Approver {
  // Lines are queued as they arrive: answers piped in ahead of their questions must not be lost.
  private readonly lines: string[] = [];
  private readonly waiting: ((line: string | null) => void)[] = [];
  private ended = false;
  private reader: Interface | undefined;

  constructor(private readonly input: NodeJS.ReadableStream, private readonly output: NodeJS.WritableStream, private readonly color: boolean) {}

  close(): void {
    this.reader?.close();
  }

  async reviewChanges(request: { title: string; changes: ProposedFileChange[] }): Promise<ChangeReview> {
    const files: FileDecision[] = [];
    let rest: 'accept' | 'reject' | null = null;
    this.say(`\n${request.title}`);
    for (const change of request.changes) {
      const decision: FileDecision = { path: change.path, hunks: [] };
      for (const hunk of change.hunks) {
        this.say(this.paint('1', `\n${change.path} — hunk ${hunk.index + 1}/${change.hunks.length} @@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`));
        for (const l of hunk.lines) this.say(l.startsWith('+') ? this.paint('32', l) : l.startsWith('-') ? this.paint('31', l) : l);
        const answer = rest ?? (await this.ask('Accept this hunk? [y]es / [n]o / [a]ccept rest / [r]eject rest: '));
        if (answer === 'a' || answer === 'accept') rest = 'accept';
        if (answer === 'r' || answer === 'reject') rest = 'reject';
        const accepted = answer === 'y' || answer === 'yes' || answer === 'a' || answer === 'accept';
        const reason = accepted || rest === 'reject' ? undefined : (await this.ask('Why (goes back to the model; Enter to skip)? ', false)) || undefined;
        decision.hunks.push({ index: hunk.index, accepted, reason });
      }
      files.push(decision);
    }
    return { files };
  }

  async approveCommand(request: { command: string; reason: string; unconfined?: string }): Promise<CommandApproval> {
    const confinement = request.unconfined ? ` It would run WITHOUT a sandbox: ${request.unconfined}` : '';
    const answer = await this.ask(`Run \`${request.command}\`? (${request.reason}${confinement}) [y/N]: `);
    if (answer === 'y' || answer === 'yes') return { approved: true };
    const feedback = await this.ask('Why not (goes back to the model; Enter to skip)? ', false);
    return { approved: false, feedback: feedback || undefined };
  }

  async approveTool(request: { server: string; tool: string; argsText: string }): Promise<ToolApproval> {
    const args = request.argsText.length > 300 ? `${request.argsText.slice(0, 300)}…` : request.argsText;
    const answer = await this.ask(`Run the MCP tool ${request.server}/${request.tool} ${args}? [y]es / [N]o / [a]lways for this task: `);
    if (answer === 'a' || answer === 'always') return { approved: true, always: true };
    if (answer === 'y' || answer === 'yes') return { approved: true };
    const feedback = await this.ask('Why not (goes back to the model; Enter to skip)? ', false);
    return { approved: false, feedback: feedback || undefined };
  }

  private async ask(prompt: string, lowerCase = true): Promise<string> {
    this.output.write(prompt);
    const line = await this.nextLine();
    if (line === null) this.output.write('(no input: no)\n');
    const text = (line ?? '').trim();
    return lowerCase ? text.toLowerCase() : text;
  }

  private nextLine(): Promise<string | null> {
    this.reader ??= this.startReader();
    if (this.lines.length) return Promise.resolve(this.lines.shift()!);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private startReader(): Interface {
    const reader = createInterface({ input: this.input, terminal: false });
    reader.on('line', (line) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter(line);
      else this.lines.push(line);
    });
    reader.on('close', () => {
      this.ended = true;
      for (const waiter of this.waiting.splice(0)) waiter(null);
    });
    return reader;
  }

  private say(text: string): void {
    this.output.write(text + '\n');
  }

  private paint(code: string, text: string): string {
    return this.color ? `\x1b[${code}m${text}\x1b[0m` : text;
  }
}
