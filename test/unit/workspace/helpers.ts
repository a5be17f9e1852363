// Test builders for the workspace: temporary trees from a path → content map, and a minimal path checker.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PathChecker } from '../../../src/tools/workspace/types';

export function makeTree(files: Record<string, string | Buffer>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-workspace-')));
  for (const [relative, content] of Object.entries(files)) {
    const absolute = path.join(root, relative);
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    fs.writeFileSync(absolute, content);
  }
  return root;
}

export function gitInit(root: string): void {
  execFileSync('git', ['init', '-q'], { cwd: root });
}

/** Stands in for PathPolicy: confines to the root and protects `.git`. */
export function simpleChecker(root: string): PathChecker {
  return {
    check(inputPath, access) {
      const absolute = path.resolve(root, inputPath);
      const relative = path.relative(root, absolute).split(path.sep).join('/');
      if (relative === '..' || relative.startsWith('../') || path.isAbsolute(relative)) {
        return { ok: false, code: 'outside_workspace', message: `${inputPath} is outside the workspace.` };
      }
      if (access === 'write' && (relative === '.git' || relative.startsWith('.git/'))) {
        return { ok: false, code: 'protected_path', message: `${inputPath} is protected.` };
      }
      return { ok: true, relative, absolute };
    },
  };
}

/** Every file under a folder, `.git` included, to catch stray temp files. */
export function allFilesOnDisk(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}
