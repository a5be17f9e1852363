// Patchpilot: Show Memory — the project memory as a quick pick: each note with where it came from (task, date), a
// Forget button per note, and Edit, which opens .patchpilot/memory.md itself. The person may change anything; the
// model may only add (trusted workspaces) and forget its own task's notes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MEMORY_HEADER, parseMemory, withoutNote, type MemoryEntry } from '../agent/memory';
import { MEMORY_FILE } from '../agent/projectContext';

interface NoteItem extends vscode.QuickPickItem {
  entry?: MemoryEntry;
  edit?: boolean;
}

const FORGET: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Forget this note' };

function provenance(entry: MemoryEntry): string {
  const who = entry.taskId ? `task ${entry.taskId}` : 'written by hand';
  return entry.date ? `${who} · ${entry.date}` : who;
}

/** The file's text, or null when there is none yet. */
function readMemory(root: string): string | null {
  const full = path.join(root, MEMORY_FILE);
  return fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : null;
}

/**
 * Removes one note exactly (by its line, so two similar notes are never confused), keeping every other byte; the
 * file is re-read first so an edit made meanwhile is kept. Returns false when the note is no longer there.
 */
export function forgetEntry(root: string, entry: MemoryEntry): boolean {
  const text = readMemory(root);
  if (text === null) return false;
  const still = parseMemory(text).find((candidate) => candidate.line === entry.line && candidate.text === entry.text);
  if (!still) return false;
  const outcome = withoutNote(text, entry.text, (candidate) => candidate.line === entry.line);
  if (outcome.kind !== 'removed') return false;
  fs.writeFileSync(path.join(root, MEMORY_FILE), outcome.text);
  return true;
}

export async function showMemory(root: string, args: unknown[] = []): Promise<void> {
  const full = vscode.Uri.file(path.join(root, MEMORY_FILE));
  // Arguments (tests, keybindings): ['forget', text] forgets the note with that text; ['edit'] opens the file.
  if (args[0] === 'edit') {
    await openForEdit(full);
    return;
  }
  if (args[0] === 'forget' && typeof args[1] === 'string') {
    const entry = parseMemory(readMemory(root) ?? '').find((candidate) => candidate.text === args[1]);
    if (!entry || !forgetEntry(root, entry)) throw new Error(`No note "${args[1]}" in ${MEMORY_FILE}.`);
    return;
  }
  const pick = vscode.window.createQuickPick<NoteItem>();
  pick.title = `Patchpilot: project memory (${MEMORY_FILE})`;
  pick.placeholder = 'Read at the start of every task. Forget a note with its trash button; choose one (or Edit) to open the file.';
  pick.matchOnDetail = true;
  const refresh = (): void => {
    const text = readMemory(root);
    const entries = text === null ? [] : parseMemory(text);
    pick.items = [
      { label: '$(edit) Edit the memory file', description: MEMORY_FILE, edit: true, alwaysShow: true },
      ...entries.map((entry) => ({ label: entry.text, detail: provenance(entry), entry, buttons: [FORGET] })),
      ...(entries.length ? [] : [{ label: 'No notes yet', description: 'tasks add them with the remember tool (trusted workspaces only)', alwaysShow: true }]),
    ];
  };
  refresh();
  pick.onDidTriggerItemButton(({ item }) => {
    if (!item.entry) return;
    if (!forgetEntry(root, item.entry)) void vscode.window.showWarningMessage('Patchpilot: that note changed in the file meanwhile; nothing was removed.');
    refresh();
  });
  pick.onDidAccept(() => {
    const chosen = pick.selectedItems[0];
    pick.hide();
    if (chosen?.edit || chosen?.entry) void openForEdit(full, chosen.entry?.line);
  });
  pick.onDidHide(() => pick.dispose());
  pick.show();
}

async function openForEdit(uri: vscode.Uri, line?: number): Promise<void> {
  if (!fs.existsSync(uri.fsPath)) {
    fs.mkdirSync(path.dirname(uri.fsPath), { recursive: true });
    fs.writeFileSync(uri.fsPath, MEMORY_HEADER);
  }
  const editor = await vscode.window.showTextDocument(uri, { preview: false });
  if (line !== undefined) editor.selection = new vscode.Selection(line, 0, line, 0);
}
