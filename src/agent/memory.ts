// The project memory file (.patchpilot/memory.md) as data: human-readable markdown, one note per "- " line, each the
// model wrote carrying its provenance in an HTML comment (`<!-- task:ID date:YYYY-MM-DD -->`), which markdown views hide.
// Pure text transforms (parse, add with de-duplication, forget) and the checks a note the model writes must pass;
// reading and writing the file happens in memoryGate.ts (the agent) and the VS Code memory view.

export const MEMORY_HEADER = '# Patchpilot project memory\n\nWhat the agent learned about this repository. Edit freely; it is read at the start of every task.\n\n';

/** Bounds that keep memory useful (and an injected note small): per note, per file and per task. */
export const MEMORY_LIMITS = { noteChars: 500, fileChars: 8_000, entries: 60, notesPerTask: 5 } as const;

export interface MemoryEntry {
  text: string;
  /** The task that wrote it; null for a note the person wrote (or an older note without provenance). */
  taskId: string | null;
  /** YYYY-MM-DD, when known. */
  date: string | null;
  /** 0-based line of the file the entry is on. */
  line: number;
}

const PROVENANCE = /\s*<!--\s*task:(\S+)\s+date:(\d{4}-\d{2}-\d{2})\s*-->\s*$/;
/** The format before provenance: `- note _(YYYY-MM-DD)_`. */
const LEGACY_DATE = /\s*_\((\d{4}-\d{2}-\d{2})\)_\s*$/;

export function parseMemory(text: string): MemoryEntry[] {
  const entries: MemoryEntry[] = [];
  text.split('\n').forEach((raw, line) => {
    const match = /^\s*[-*]\s+(.*?)\s*$/.exec(raw.replace(/\r$/, ''));
    if (!match || !match[1]) return;
    let body = match[1];
    let taskId: string | null = null;
    let date: string | null = null;
    const provenance = PROVENANCE.exec(body);
    if (provenance) {
      [taskId, date] = [provenance[1], provenance[2]];
      body = body.slice(0, provenance.index);
    } else {
      const legacy = LEGACY_DATE.exec(body);
      if (legacy) {
        date = legacy[1];
        body = body.slice(0, legacy.index);
      }
    }
    if (body.trim()) entries.push({ text: body.trim(), taskId, date, line });
  });
  return entries;
}

/** What two notes are compared by: case, punctuation, markdown emphasis and spacing do not make a note new. */
export function normalizeNote(text: string): string {
  return text.toLowerCase().replace(/[`*_~"'.,;:!?()[\]{}]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Near-identical: the same normalized text, or one edit per 20 characters away (a typo fixed, a word changed). */
export function isNearIdentical(a: string, b: string): boolean {
  const x = normalizeNote(a);
  const y = normalizeNote(b);
  if (x === y) return true;
  const allowed = Math.floor(Math.max(x.length, y.length) / 20);
  return allowed > 0 && Math.abs(x.length - y.length) <= allowed && editDistance(x, y, allowed) <= allowed;
}

/** Levenshtein distance, giving up (returning limit + 1) once every path exceeds `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, row[j]);
    }
    if (best > limit) return limit + 1;
    previous = row;
  }
  return previous[b.length];
}

export function formatEntry(text: string, taskId: string, date: string): string {
  return `- ${text} <!-- task:${taskId} date:${date} -->`;
}

export type AddOutcome =
  | { kind: 'added'; text: string }
  /** A near-identical note was there: its date (and task) now say it was confirmed again; nothing added. */
  | { kind: 'updated'; text: string; existing: MemoryEntry };

/** The file with the note added at the end, or the near-identical note's provenance refreshed in place. */
export function withNote(file: string | null, note: string, taskId: string, date: string): AddOutcome {
  const text = file ?? MEMORY_HEADER;
  const oneLine = note.replace(/\s*\n\s*/g, ' ').trim();
  const existing = parseMemory(text).find((entry) => isNearIdentical(entry.text, oneLine));
  const lines = text.split('\n');
  if (existing) {
    // The person's wording (or the earlier one) stays; only the provenance is refreshed.
    lines[existing.line] = formatEntry(existing.text, taskId, date);
    return { kind: 'updated', text: lines.join('\n'), existing };
  }
  const body = text.length === 0 || text.endsWith('\n') ? text : `${text}\n`;
  return { kind: 'added', text: `${body}${formatEntry(oneLine, taskId, date)}\n` };
}

export type ForgetOutcome =
  | { kind: 'removed'; text: string; entry: MemoryEntry }
  | { kind: 'not_found' }
  | { kind: 'ambiguous'; matches: MemoryEntry[] };

/**
 * The file without the one entry that matches: the same note (near-identical), else the only entry containing the
 * given text. Several candidates remove nothing (say which, so the caller can be precise).
 */
export function withoutNote(file: string, match: string, accept: (entry: MemoryEntry) => boolean = () => true): ForgetOutcome {
  const entries = parseMemory(file).filter(accept);
  const wanted = normalizeNote(match);
  const exact = entries.filter((entry) => isNearIdentical(entry.text, match));
  const candidates = exact.length ? exact : entries.filter((entry) => wanted.length > 0 && normalizeNote(entry.text).includes(wanted));
  if (candidates.length === 0) return { kind: 'not_found' };
  if (candidates.length > 1) return { kind: 'ambiguous', matches: candidates };
  const lines = file.split('\n');
  lines.splice(candidates[0].line, 1);
  return { kind: 'removed', text: lines.join('\n'), entry: candidates[0] };
}

/**
 * Notes that would carry something to download or execute into every later task are refused: a note in memory is
 * read by the model as context, and a repository file (or a web page) can tell the model to "remember" such a thing.
 * A heuristic, not a proof — the real line is that memory grants nothing: every command still goes through the
 * command rules and the person's approval, whatever memory says.
 */
const RISKY_NOTE_PATTERNS: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /\b(?:https?|ftp|file):\/\/|\bwww\.\S+/i, why: 'it contains a URL' },
  { pattern: /\b(?:curl|wget|nc|ncat|netcat|ssh|scp|telnet|powershell|iwr|invoke-webrequest)\b/i, why: 'it names a network or remote-shell command' },
  { pattern: /\|\s*(?:sudo\s+)?(?:ba|z|k|fi)?sh\b|\|\s*(?:python|node|perl|ruby)\b/i, why: 'it pipes into an interpreter' },
  { pattern: /\b(?:eval|exec)\s*[("'`$]|\bbase64\s+(?:-d|--decode)\b|\bsudo\b|\bchmod\s+\+x\b|\brm\s+-[a-z]*r[a-z]*f?\b/i, why: 'it carries a command that executes or destroys' },
  { pattern: /\b(?:always|every time|automatically)\b[^.]*\b(?:run|execute|call|send|upload|post)\b/i, why: 'it tells future tasks to run something on their own' },
  { pattern: /\bignore (?:all |any |the )?(?:previous|prior|above|earlier) (?:instructions|rules)\b/i, why: 'it tries to override instructions' },
];

/** Why a model-written note is refused, or null when it may be written. */
export function noteRefusal(note: string): string | null {
  const text = note.trim();
  if (text.length < 3) return 'A note needs at least a few words.';
  if (text.length > MEMORY_LIMITS.noteChars) return `A note is at most ${MEMORY_LIMITS.noteChars} characters; keep it to one durable fact.`;
  if (/\n\s*\n/.test(text)) return 'Keep a note to one paragraph.';
  if (/<!--|-->/.test(text)) return 'A note may not contain HTML comments (they carry provenance in the memory file).';
  for (const { pattern, why } of RISKY_NOTE_PATTERNS) {
    if (pattern.test(text)) {
      return `Not saved: ${why}. Memory is for facts about the repository (how tests run, conventions, past failures), not for commands future tasks should run; ` +
        'if the person wants this, they can add it to .patchpilot/memory.md themselves.';
    }
  }
  return null;
}
