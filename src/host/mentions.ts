// @-mentions in the chat: `@path/to/file`, `@selection`, `@problems`, `@terminal`. Completion offers them as the
// person types; expansion turns a message into the goal the model gets (the message, then each mention's content)
// while the person's own words stay the task's title. Pure: the editor's state comes in through MentionSources, so
// this is tested under plain mocha. Protected paths are never attached: the path policy decides, as for the tools.
import type { MentionItem } from '../shared/sidebarProtocol';

export interface MentionSources {
  /** Workspace-relative files matching a query, best first (bounded by the caller). */
  findFiles(query: string): Promise<string[]>;
  /** Text of a workspace file, or an error text when it cannot be attached (protected, binary, missing). */
  readFile(relative: string): Promise<{ ok: true; text: string } | { ok: false; reason: string }>;
  /** The active editor's selection, if any text is selected. */
  selection(): { path: string; startLine: number; endLine: number; text: string } | null;
  /** Problems (errors and warnings) VS Code knows of, workspace-relative. */
  problems(): { path: string; line: number; severity: 'error' | 'warning'; message: string }[];
  /** The end of the Patchpilot terminal's output (already masked). */
  terminal(): string;
}

const SPECIAL: readonly MentionItem[] = [
  { kind: 'selection', label: '@selection', insert: '@selection', detail: 'the text selected in the editor' },
  { kind: 'problems', label: '@problems', insert: '@problems', detail: 'errors and warnings in the Problems view' },
  { kind: 'terminal', label: '@terminal', insert: '@terminal', detail: 'the end of the Patchpilot terminal' },
];
const MAX_FILE_CHARS = 20_000;
const MAX_PROBLEMS = 50;
const MAX_TERMINAL_CHARS = 6_000;
// A mention starts a word: `@` at the start or after whitespace, then a path-like run of characters.
const MENTION = /(^|\s)@([\w./\-[\]@+~]+)/g;

export async function completeMentions(query: string, sources: MentionSources, limit = 20): Promise<MentionItem[]> {
  const lower = query.toLowerCase();
  const special = SPECIAL.filter((item) => item.label.slice(1).startsWith(lower));
  const files = await sources.findFiles(query);
  return [...special, ...files.slice(0, limit - special.length).map((path): MentionItem => ({
    kind: 'file', label: path.split('/').pop() ?? path, insert: `@${path}`, detail: path,
  }))];
}

export interface ExpandedMessage {
  /** What the model gets: the message, then the attached context. */
  goal: string;
  /** The person's words, for the header and the history. */
  title: string;
  /** What was attached, in words ("src/a.ts", "selection of src/b.ts:3-9"), and what could not be. */
  attached: string[];
  refused: string[];
}

export async function expandMentions(text: string, sources: MentionSources, attachFile: string | null = null): Promise<ExpandedMessage> {
  const sections: string[] = [];
  const attached: string[] = [];
  const refused: string[] = [];
  const seen = new Set<string>();
  const names = [...text.matchAll(MENTION)].map((match) => match[2].replace(/[.,;:!?)]+$/, ''));
  if (attachFile) names.push(attachFile);
  for (const name of names) {
    if (seen.has(name)) continue;
    seen.add(name);
    const section = await expandOne(name, sources);
    if (section === null) continue; // an @word that is nothing we know (an e-mail, a decorator): left as typed
    if ('refused' in section) refused.push(section.refused);
    else {
      sections.push(section.text);
      attached.push(section.label);
    }
  }
  const title = text.trim();
  const goal = sections.length ? `${title}\n\n## Context the person attached\n\n${sections.join('\n\n')}` : title;
  return { goal, title, attached, refused };
}

async function expandOne(name: string, sources: MentionSources): Promise<{ text: string; label: string } | { refused: string } | null> {
  switch (name) {
    case 'selection': {
      const selection = sources.selection();
      if (!selection) return { refused: '@selection: nothing is selected in the editor' };
      return { label: `selection of ${selection.path}:${selection.startLine}-${selection.endLine}`,
        text: `### @selection (${selection.path}, lines ${selection.startLine}-${selection.endLine})\n${fence(selection.text)}` };
    }
    case 'problems': {
      const problems = sources.problems();
      const lines = problems.slice(0, MAX_PROBLEMS).map((p) => `- ${p.path}:${p.line} ${p.severity}: ${p.message}`);
      if (problems.length > MAX_PROBLEMS) lines.push(`- … ${problems.length - MAX_PROBLEMS} more`);
      return { label: `${problems.length} problem(s)`, text: `### @problems\n${lines.length ? lines.join('\n') : 'No problems are reported.'}` };
    }
    case 'terminal': {
      const output = sources.terminal().slice(-MAX_TERMINAL_CHARS);
      return { label: 'the terminal output', text: `### @terminal (the end of the Patchpilot terminal)\n${fence(output || '(empty)')}` };
    }
    default: {
      const file = await sources.readFile(name);
      if (!file.ok) return file.reason === 'not_found' ? null : { refused: `@${name}: ${file.reason}` };
      const text = file.text.length > MAX_FILE_CHARS ? `${file.text.slice(0, MAX_FILE_CHARS)}\n[… ${file.text.length - MAX_FILE_CHARS} more characters: read the file for the rest]` : file.text;
      return { label: name, text: `### @${name}\n${fence(text)}` };
    }
  }
}

function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}\n${text.replace(/\s+$/, '')}\n${ticks}`;
}

/** Files whose path contains the query, those whose name starts with it first, then shorter paths. */
export function rankFiles(files: readonly string[], query: string, limit = 20): string[] {
  const q = query.toLowerCase();
  const scored: { file: string; score: number }[] = [];
  for (const file of files) {
    const lower = file.toLowerCase();
    const at = lower.indexOf(q);
    if (at === -1) continue;
    const base = lower.slice(lower.lastIndexOf('/') + 1);
    scored.push({ file, score: (base.startsWith(q) ? 0 : base.includes(q) ? 1 : 2) * 10_000 + file.length });
  }
  return scored.sort((a, b) => a.score - b.score).slice(0, limit).map((entry) => entry.file);
}
