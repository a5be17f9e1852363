// Walks a folder tree outside git (or when git is unavailable) with the same .gitignore rules git applies, nested files included.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { throwIfCancelled } from './types';

/** One .gitignore file: its rules apply to paths below the folder it sits in. */
interface IgnoreLayer {
  /** Root-relative POSIX folder of the .gitignore; '' for the root. */
  base: string;
  rules: Ignore;
}

interface PendingFolder {
  relative: string;
  layers: IgnoreLayer[];
}

/** Folders read between two yields to the event loop, so a big walk never freezes the host. */
const FOLDERS_PER_SLICE = 64;

function readIgnoreLayer(root: string, base: string): IgnoreLayer | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(root, base, '.gitignore'), 'utf8');
  } catch {
    return null;
  }
  return { base, rules: ignore().add(text) };
}

/** Later (deeper) layers override earlier ones, as git does: a nested `!pattern` re-includes. */
export function isIgnoredByLayers(layers: readonly IgnoreLayer[], relativePath: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const layer of layers) {
    const below = layer.base === '' ? relativePath : relativePath.slice(layer.base.length + 1);
    const verdict = layer.rules.test(isDirectory ? `${below}/` : below);
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}

/** The ignore layers that apply inside `relativeFolder`, read from the root down; null when the folder itself is ignored. */
function layersFor(root: string, relativeFolder: string): IgnoreLayer[] | null {
  const layers: IgnoreLayer[] = [];
  const rootLayer = readIgnoreLayer(root, '');
  if (rootLayer) layers.push(rootLayer);
  if (relativeFolder === '') return layers;
  const segments = relativeFolder.split('/');
  for (let depth = 1; depth <= segments.length; depth++) {
    const folder = segments.slice(0, depth).join('/');
    if (segments[depth - 1] === '.git' || isIgnoredByLayers(layers, folder, true)) return null;
    const layer = readIgnoreLayer(root, folder);
    if (layer) layers.push(layer);
  }
  return layers;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Every file under `relativeFolder` (root-relative POSIX paths, unsorted) that .gitignore rules keep.
 * `.git` is never entered; symlinks are reported as files and never followed, like git does.
 */
export async function walkNotIgnoredFiles(root: string, relativeFolder: string, signal?: AbortSignal): Promise<string[]> {
  const startLayers = layersFor(root, relativeFolder);
  if (!startLayers) return [];
  const files: string[] = [];
  const pending: PendingFolder[] = [{ relative: relativeFolder, layers: startLayers }];
  let foldersRead = 0;
  while (pending.length > 0) {
    const folder = pending.pop() as PendingFolder;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, folder.relative), { withFileTypes: true });
    } catch {
      continue; // unreadable or vanished folder: skip it, as git would
    }
    let layers = folder.layers;
    if (folder.relative !== relativeFolder && entries.some((entry) => entry.name === '.gitignore' && entry.isFile())) {
      const layer = readIgnoreLayer(root, folder.relative);
      if (layer) layers = [...layers, layer];
    }
    for (const entry of entries) {
      if (entry.name === '.git') continue;
      const relative = folder.relative === '' ? entry.name : `${folder.relative}/${entry.name}`;
      const isDirectory = entry.isDirectory();
      if (isIgnoredByLayers(layers, relative, isDirectory)) continue;
      if (isDirectory) pending.push({ relative, layers });
      else if (entry.isFile() || entry.isSymbolicLink()) files.push(relative);
    }
    if (++foldersRead % FOLDERS_PER_SLICE === 0) {
      await yieldToEventLoop();
      throwIfCancelled(signal, 'Listing the files');
    }
  }
  return files;
}
