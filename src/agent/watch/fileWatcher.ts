// Watches a workspace for file changes the way the person means them: one fs.watch per folder that git would look
// at — .git, .patchpilot, node_modules and everything .gitignore rules ignore are neither watched nor reported — with
// new folders picked up as they appear and a changed .gitignore taken into account. Node only, no vscode: the VS Code
// side may use its own FileSystemWatcher and feed the same watch loop.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Never watched, at any depth. */
export const ALWAYS_IGNORED = new Set(['.git', '.patchpilot', 'node_modules']);

interface Layer {
  base: string;
  rules: Ignore;
}

interface WatchedFolder {
  watcher: fs.FSWatcher;
  layers: Layer[];
}

export interface WorkspaceWatcher {
  close(): void;
  /** Folders watched now (root-relative, '' for the root). */
  folders(): string[];
}

export function watchWorkspace(root: string, onChange: (relative: string) => void, onError: (error: Error) => void = () => undefined): WorkspaceWatcher {
  const watched = new Map<string, WatchedFolder>();
  let closed = false;

  const addFolder = (relative: string, parentLayers: Layer[]): void => {
    if (closed || watched.has(relative)) return;
    const absolute = path.join(root, relative);
    const layers = withLayer(root, relative, parentLayers);
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(absolute, { persistent: true }, (_event, name) => {
        if (name) onEvent(relative, name.toString());
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onError(error as Error);
      return;
    }
    watcher.on('error', () => removeFolder(relative));
    watched.set(relative, { watcher, layers });
    for (const entry of readFolders(absolute)) {
      const child = join(relative, entry);
      if (!isIgnored(layers, child, true)) addFolder(child, layers);
    }
  };

  const removeFolder = (relative: string): void => {
    for (const [folder, entry] of [...watched]) {
      if (folder === relative || folder.startsWith(`${relative}/`) || relative === '') {
        entry.watcher.close();
        watched.delete(folder);
      }
    }
  };

  const onEvent = (folder: string, name: string): void => {
    if (closed) return;
    const parent = watched.get(folder);
    if (!parent) return;
    const relative = join(folder, name);
    if (name === '.gitignore') {
      // The rules changed: watch again from scratch with the new ones (rare; cheap next to a test run).
      removeFolder('');
      addFolder('', []);
      onChange(relative);
      return;
    }
    let isDirectory = false;
    try {
      isDirectory = fs.statSync(path.join(root, relative)).isDirectory();
    } catch {
      // gone: a deleted file or folder
      if (watched.has(relative)) removeFolder(relative);
    }
    if (isIgnored(parent.layers, relative, isDirectory)) return;
    if (isDirectory) addFolder(relative, parent.layers);
    onChange(relative);
  };

  addFolder('', []);
  return {
    close: () => {
      closed = true;
      removeFolder('');
    },
    folders: () => [...watched.keys()].sort(),
  };
}

/** Whether a root-relative path is left out: a built-in name in it, or the .gitignore layers above it say so. */
function isIgnored(layers: readonly Layer[], relative: string, isDirectory: boolean): boolean {
  if (relative.split('/').some((segment) => ALWAYS_IGNORED.has(segment))) return true;
  let ignored = false;
  for (const layer of layers) {
    if (layer.base !== '' && !relative.startsWith(`${layer.base}/`)) continue;
    const below = layer.base === '' ? relative : relative.slice(layer.base.length + 1);
    const verdict = layer.rules.test(isDirectory ? `${below}/` : below);
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}

function withLayer(root: string, relative: string, parentLayers: Layer[]): Layer[] {
  try {
    const text = fs.readFileSync(path.join(root, relative, '.gitignore'), 'utf8');
    return [...parentLayers, { base: relative, rules: ignore().add(text) }];
  } catch {
    return parentLayers;
  }
}

function readFolders(absolute: string): string[] {
  try {
    return fs.readdirSync(absolute, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch {
    return [];
  }
}

function join(folder: string, name: string): string {
  return folder === '' ? name : `${folder}/${name}`;
}
