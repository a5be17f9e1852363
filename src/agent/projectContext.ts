// Rules files people already keep (AGENTS.md and friends) and the project memory (.patchpilot/memory.md).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const RULES_FILES = ['AGENTS.md', 'CLAUDE.md', '.github/copilot-instructions.md', '.cursorrules', '.clinerules', '.patchpilot/rules.md'];
export const MEMORY_FILE = '.patchpilot/memory.md';
const MAX_RULES_CHARS = 12_000;
const MAX_MEMORY_CHARS = 8_000;

export interface RulesFile { path: string; text: string }

/** Reads every rules file present; a folder (.clinerules/) contributes its .md files. Oversized text is cut with a note. */
export function loadRules(root: string): RulesFile[] {
  const found: RulesFile[] = [];
  for (const name of RULES_FILES) {
    const full = join(root, name);
    const stat = statSync(full, { throwIfNoEntry: false });
    if (stat?.isFile()) found.push({ path: name, text: bounded(readFileSync(full, 'utf8'), MAX_RULES_CHARS) });
    else if (stat?.isDirectory()) {
      for (const child of readdirSync(full).filter((f) => /\.(md|txt)$/.test(f)).sort()) {
        found.push({ path: `${name}/${child}`, text: bounded(readFileSync(join(full, child), 'utf8'), MAX_RULES_CHARS) });
      }
    }
  }
  return found;
}

export function loadMemory(root: string): string {
  const full = join(root, MEMORY_FILE);
  if (!existsSync(full)) return '';
  const text = readFileSync(full, 'utf8');
  // Newest notes matter most: keep the end when the file has grown large.
  return text.length > MAX_MEMORY_CHARS ? '…\n' + text.slice(-MAX_MEMORY_CHARS) : text;
}

/**
 * Where long command output is spilled: inside the workspace, so the model's read_file reaches it, and git-ignored
 * by ensurePatchpilotIgnore (tmp/). The CLI and the extension both run commands with it.
 */
export function spillDirFor(root: string): string {
  return join(root, '.patchpilot', 'tmp');
}

/** Keeps Patchpilot's own working files (journals, spilled output) out of git status and checkpoints. */
export async function ensurePatchpilotIgnore(root: string): Promise<void> {
  const full = join(root, '.patchpilot', '.gitignore');
  if (existsSync(full)) return;
  await mkdir(join(root, '.patchpilot'), { recursive: true });
  await writeFile(full, 'tasks/\ntmp/\n.gitignore\n');
}

function bounded(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) + `\n[… ${text.length - max} more characters not shown]` : text;
}
