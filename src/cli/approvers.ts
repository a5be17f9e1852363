// Approvers for the terminal: 'auto' accepts (the command policy's deny rules still apply), 'ask' asks per hunk.
import { createInterface } from 'node:readline/promises';
import type { Approver, ChangeReview, CommandApproval, FileDecision, ProposedFileChange } from '../agent/ports';

export const autoApprover: Approver = {
  async reviewChanges({ changes }) {
    return { files: changes.map((c) => ({ path: c.path, hunks: c.hunks.map((h) => ({ index: h.index, accepted: true })) })) };
  },
  async approveCommand() {
    return { approved: true };
  },
};

/** Asks on the terminal: y accepts a hunk, n rejects it (and asks why), a/r accept/reject the rest. */
export class TerminalApprover implements Approver {
  // One reader for the whole run: re-creating it would drop answers already buffered from a pipe.
  private reader: ReturnType<typeof createInterface> | undefined;

  constructor(private readonly input: NodeJS.ReadableStream, private readonly output: NodeJS.WritableStream, private readonly color: boolean) {}

  close(): void {
    this.reader?.close();
  }

  private get rl(): ReturnType<typeof createInterface> {
    this.reader ??= createInterface({ input: this.input, output: this.output, terminal: false });
    return this.reader;
  }

  async reviewChanges(request: { title: string; changes: ProposedFileChange[] }): Promise<ChangeReview> {
    const rl = this.rl;
    const files: FileDecision[] = [];
    let rest: 'accept' | 'reject' | null = null;
    {
      this.say(`\n${request.title}`);
      for (const change of request.changes) {
        const decision: FileDecision = { path: change.path, hunks: [] };
        for (const hunk of change.hunks) {
          this.say(this.paint('1', `\n${change.path} — hunk ${hunk.index + 1}/${change.hunks.length} @@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`));
          for (const l of hunk.lines) this.say(l.startsWith('+') ? this.paint('32', l) : l.startsWith('-') ? this.paint('31', l) : l);
          const answer = rest ?? (await this.ask(rl, 'Accept this hunk? [y]es / [n]o / [a]ccept rest / [r]eject rest: '));
          if (answer === 'a' || answer === 'accept') rest = 'accept';
          if (answer === 'r' || answer === 'reject') rest = 'reject';
          const accepted = answer === 'y' || answer === 'a' || answer === 'accept' || answer === '';
          const reason = accepted ? undefined : (await rl.question('Why (goes back to the model; Enter to skip)? ')).trim() || undefined;
          decision.hunks.push({ index: hunk.index, accepted, reason });
        }
        files.push(decision);
      }
    }
    return { files };
  }

  async approveCommand(request: { command: string; reason: string }): Promise<CommandApproval> {
    const rl = this.rl;
    {
      const answer = await this.ask(rl, `Run \`${request.command}\`? (${request.reason}) [y/N]: `);
      if (answer === 'y' || answer === 'yes') return { approved: true };
      const feedback = (await rl.question('Why not (goes back to the model; Enter to skip)? ')).trim();
      return { approved: false, feedback: feedback || undefined };
    }
  }

  private async ask(rl: ReturnType<typeof createInterface>, prompt: string): Promise<string> {
    return (await rl.question(prompt)).trim().toLowerCase();
  }

  private say(text: string): void {
    this.output.write(text + '\n');
  }

  private paint(code: string, text: string): string {
    return this.color ? `\x1b[${code}m${text}\x1b[0m` : text;
  }
}
