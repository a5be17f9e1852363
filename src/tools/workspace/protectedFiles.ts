// Finds the protected files that exist in a workspace (.env files, keys, credential folders), whether git ignores
// them or not — they usually are ignored, which is exactly why they hold secrets. The sandbox hides what this finds,
// and the secret masker reads values out of it. A plain synchronous walk: on 2 cores it beats an async pool, and the
// folders that hold dependencies or build output (node_modules, .venv, target …) are skipped, bounded by a limit.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ProtectedMatcher {
  /** True when a workspace-relative POSIX path (folders end with '/') is protected. */
  isProtectedRelative(relative: string): boolean;
}

export interface ProtectedFile {
  relative: string;
  absolute: string;
  directory: boolean;
}

/** Folders not descended into: dependency trees and caches, large and not where people keep their secrets. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn', '.venv', 'venv', '__pycache__', '.tox', '.mypy_cache', '.pytest_cache',
  'target', '.gradle', '.next', '.nuxt', '.turbo', '.cache', 'bower_components', '.yarn', '.pnpm-store', '.patchpilot']);
const DEFAULT_ENTRY_LIMIT = 200_000;

export function findProtectedFiles(root: string, matcher: ProtectedMatcher, options: { entryLimit?: number } = {}): ProtectedFile[] {
  const found: ProtectedFile[] = [];
  const limit = options.entryLimit ?? DEFAULT_ENTRY_LIMIT;
  let visited = 0;
  const stack: string[] = [''];
  while (stack.length > 0 && visited < limit) {
    const folder = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, folder), { withFileTypes: true });
    } catch {
      continue; // unreadable or vanished: nothing to hide there
    }
    for (const entry of entries) {
      visited++;
      const relative = folder === '' ? entry.name : `${folder}/${entry.name}`;
      const directory = entry.isDirectory();
      if (matcher.isProtectedRelative(directory ? `${relative}/` : relative)) {
        if (entry.isSymbolicLink()) continue; // a link is judged where it points, by the path policy
        found.push({ relative, absolute: path.join(root, relative), directory });
        continue; // a protected folder is hidden whole
      }
      if (directory && !SKIPPED_FOLDERS.has(entry.name)) stack.push(relative);
    }
  }
  return found.sort((a, b) => a.relative.localeCompare(b.relative));
}
