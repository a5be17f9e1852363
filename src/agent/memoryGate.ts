// What the remember and forget tools do in a session: the memory file is written only in a trusted workspace, only
// with notes that pass the checks of memory.ts, within the bounds, and always through the task's change writer — so a
// memory change is reviewed like any other ('ask' before it is written, 'auto' in the final review), undone with the
// task, and carries this task's id and date. Refusals come back to the model as data with the reason.
import type { ChangeWriter } from '../tools/context';
import { failure } from '../tools/tool';
import type { ToolResult } from '../tools/types';
import type { Workspace } from '../tools/workspace/types';
import type { Journal } from './journal';
import { MEMORY_LIMITS, noteRefusal, parseMemory, withNote, withoutNote } from './memory';
import { MEMORY_FILE } from './projectContext';

export interface MemoryGateOptions {
  taskId: string;
  trusted: boolean;
  workspace: Workspace;
  writer: ChangeWriter;
  journal: Journal;
  now: () => number;
}

const WHERE = `${MEMORY_FILE} (Patchpilot: Show Memory in VS Code)`;

export class MemoryGate {
  private notesWritten = 0;

  constructor(private readonly options: MemoryGateOptions) {}

  async remember(note: string): Promise<ToolResult> {
    if (!this.options.trusted) return failure('memory_refused', 'Memory is written only in a trusted workspace; this one is not trusted, so nothing was saved.');
    const refusal = noteRefusal(note);
    if (refusal) return failure('memory_refused', refusal);
    if (this.notesWritten >= MEMORY_LIMITS.notesPerTask) {
      return failure('memory_refused', `This task already saved ${MEMORY_LIMITS.notesPerTask} notes, the most one task may add. Nothing was saved.`);
    }
    const before = await this.read();
    const outcome = withNote(before, note, this.options.taskId, new Date(this.options.now()).toISOString().slice(0, 10));
    if (outcome.kind === 'added') {
      const entries = parseMemory(outcome.text).length;
      if (entries > MEMORY_LIMITS.entries || outcome.text.length > MEMORY_LIMITS.fileChars) {
        return failure('memory_refused', `The project memory is full (${MEMORY_LIMITS.entries} notes or ${MEMORY_LIMITS.fileChars} characters at most). `
          + `Nothing was saved; the person can prune ${WHERE}.`);
      }
    }
    const result = await this.options.writer.apply([{ path: MEMORY_FILE, before, after: outcome.text }], 'Project memory');
    if (!result.ok) return result;
    this.notesWritten += outcome.kind === 'added' ? 1 : 0;
    this.options.journal.append({ type: 'memory_noted', note: outcome.kind === 'added' ? note : `${outcome.existing.text} (confirmed again)` });
    return {
      ok: true,
      output: outcome.kind === 'added'
        ? `Noted in ${MEMORY_FILE}, with this task's id and today's date.`
        : `A near-identical note was already in ${MEMORY_FILE} ("${outcome.existing.text}"); its date was refreshed, nothing added.`,
    };
  }

  async forget(note: string): Promise<ToolResult> {
    if (!this.options.trusted) return failure('memory_refused', 'Memory is changed only in a trusted workspace; nothing was removed.');
    const before = await this.read();
    if (before === null) return failure('no_match', `There is no ${MEMORY_FILE} yet; nothing to forget.`);
    const own = withoutNote(before, note, (entry) => entry.taskId === this.options.taskId);
    if (own.kind === 'ambiguous') {
      return failure('ambiguous_match', `Several notes of this task match; give more of the text: ${own.matches.map((m) => `"${m.text}"`).join(', ')}.`);
    }
    if (own.kind === 'not_found') {
      const anyone = withoutNote(before, note);
      return anyone.kind === 'not_found'
        ? failure('no_match', `No note in ${MEMORY_FILE} matches "${note}".`)
        : failure('memory_refused', `That note was not written by this task, so you may not remove it; only the person can, in ${WHERE}. Mention it in finish if it is wrong.`);
    }
    const result = await this.options.writer.apply([{ path: MEMORY_FILE, before, after: own.text }], 'Project memory');
    if (!result.ok) return result;
    this.notesWritten = Math.max(0, this.notesWritten - 1);
    this.options.journal.append({ type: 'memory_noted', note: `forgotten: ${own.entry.text}` });
    return { ok: true, output: `Removed "${own.entry.text}" from ${MEMORY_FILE}.` };
  }

  private async read(): Promise<string | null> {
    const { workspace } = this.options;
    return (await workspace.exists(MEMORY_FILE)) ? (await workspace.readFile(MEMORY_FILE)).toString('utf8') : null;
  }
}

/** The ToolContext entries of a session's memory. */
export function memoryTools(gate: MemoryGate): { remember(note: string): Promise<ToolResult>; forget(note: string): Promise<ToolResult> } {
  return { remember: (note) => gate.remember(note), forget: (note) => gate.forget(note) };
}
