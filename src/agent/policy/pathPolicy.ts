// Path policy: confines every model-given path to the workspace root and refuses protected files (secrets, .git).
//
// Decisions documented here because other modules rely on them:
// - A path is checked twice: as written (lexically) and as it really resolves on disk (symlinks followed), so
//   a link inside the workspace pointing outside it, or at a protected file, is refused like the target itself.
// - For a path that does not exist yet, the deepest existing ancestor is resolved, so a new file under a
//   symlinked folder that escapes the root is caught before it is written. Dangling links are followed by hand.
// - `.env.example`, `.env.sample` and `.env.template` stay readable and writable: they are documentation of
//   the variables by convention and hold no secrets; every other `.env` / `.env.*` file is protected.
// - Protected paths are refused for reads as well as writes: a secret read into the model's context has left
//   the machine already.
// - Matching is case-insensitive (the `ignore` default) so `.ENV` on a case-insensitive disk is caught too.
// - The built-in patterns always apply, in the CLI and in VS Code alike; settings and flags only add to them. A
//   built-in pattern is dropped only when the person names it in a separate, explicit list (`unprotected`), and
//   `.git` can never be dropped: checkpoints and undo rely on the repository being left alone.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

export type PathAccess = 'read' | 'write';

export type PathCheck =
  | { ok: true; relative: string; absolute: string }
  | { ok: false; code: 'outside_workspace' | 'protected_path'; message: string };

export interface PathPolicyOptions {
  /** Gitignore-style patterns added to the built-in protected patterns (patchpilot.protectedPaths, --protected). */
  extraProtected?: string[];
  /**
   * Built-in patterns the person explicitly removed (patchpilot.unprotectedPaths, --unprotect), written exactly as
   * in DEFAULT_PROTECTED_PATTERNS (e.g. `.npmrc`). Anything else is reported by `unprotectProblems`, never guessed.
   */
  unprotected?: string[];
}

/** Built-in patterns that cannot be removed, with why. */
const ALWAYS_PROTECTED: Readonly<Record<string, string>> = {
  '.git': 'checkpoints and undo depend on the repository internals staying untouched',
};

/** What is wrong with an `unprotected` list: entries that are not built-in patterns or cannot be removed. */
export function unprotectProblems(unprotected: readonly string[]): string[] {
  return unprotected.flatMap((entry) => {
    const pattern = entry.trim();
    if (ALWAYS_PROTECTED[pattern]) return [`'${pattern}' stays protected: ${ALWAYS_PROTECTED[pattern]}.`];
    if (!DEFAULT_PROTECTED_PATTERNS.includes(pattern)) {
      return [`'${pattern}' is not a built-in protected pattern, so there is nothing to remove (built-ins: ${DEFAULT_PROTECTED_PATTERNS.filter((p) => !p.startsWith('!')).join(', ')}).`];
    }
    return [];
  });
}

/** The effective pattern list: built-ins minus the explicitly removed ones, plus the added ones. */
export function effectiveProtectedPatterns(options: PathPolicyOptions = {}): string[] {
  const removed = new Set((options.unprotected ?? []).map((p) => p.trim()).filter((p) => !ALWAYS_PROTECTED[p]));
  return [...DEFAULT_PROTECTED_PATTERNS.filter((p) => !removed.has(p)), ...(options.extraProtected ?? [])];
}

/** Gitignore-style patterns protected unless the person configures otherwise. */
export const DEFAULT_PROTECTED_PATTERNS: readonly string[] = [
  '.git',
  '.env',
  '.env.*',
  '!.env.example',
  '!.env.sample',
  '!.env.template',
  '.envrc',
  '*.pem',
  '*.key',
  '*.p12',
  '*.pfx',
  'id_rsa*',
  'id_ed25519*',
  'id_ecdsa*',
  'id_dsa*',
  '.npmrc',
  '.netrc',
  '.pypirc',
  '.git-credentials',
  '.pgpass',
  '.ssh',
  '.aws',
  '.patchpilot/tasks',
];

const HOW_TO_CHANGE =
  'Protected paths are built in; patchpilot.protectedPaths (VS Code) and --protected (CLI) add to them, and only ' +
  'patchpilot.unprotectedPaths / --unprotect can remove a built-in one. Ask the person if this file is really needed.';

const MAX_LINK_HOPS = 40;

export class PathPolicy {
  private readonly root: string;
  private readonly realRoot: string;
  private readonly matcher: Ignore;
  /** The patterns in force, for the sandbox (which hides the matching files) and the journal. */
  readonly patterns: readonly string[];

  constructor(root: string, options: PathPolicyOptions = {}, patterns: readonly string[] = effectiveProtectedPatterns(options)) {
    this.root = path.resolve(root);
    this.realRoot = resolveRealPath(this.root);
    this.patterns = patterns;
    this.matcher = ignore().add([...this.patterns]);
  }

  /**
   * Only the workspace boundary, no protected paths: for Patchpilot's own restore code (undo puts back exactly the
   * files a task wrote, which passed the task's rules when they were written). Never handed to the model's tools.
   */
  static boundaryOnly(root: string): PathPolicy {
    return new PathPolicy(root, {}, []);
  }

  /** True when a workspace-relative POSIX path (folders with a trailing '/') is protected. */
  isProtectedRelative(relative: string): boolean {
    const isDirectory = relative.endsWith('/');
    const bare = isDirectory ? relative.slice(0, -1) : relative;
    return this.protectedRule(bare, isDirectory) !== null;
  }

  check(inputPath: string, access: PathAccess): PathCheck {
    const lexical = this.lexicalResolve(inputPath);
    if (lexical === null) return this.outside(inputPath);

    // Symlinks are judged by where they lead: the real path must stay under the real root.
    const realRelative = relativeInside(this.realRoot, resolveRealPath(lexical.absolute));
    if (realRelative === null) return this.outside(inputPath, true);

    const isDirectory = isExistingDirectory(lexical.absolute);
    const rule = this.protectedRule(lexical.relative, isDirectory) ?? this.protectedRule(realRelative, isDirectory);
    if (rule !== null) {
      const verb = access === 'read' ? 'Reading' : 'Writing';
      const via = realRelative !== lexical.relative && this.protectedRule(lexical.relative, isDirectory) === null
        ? ` (it resolves to '${realRelative}')` : '';
      return {
        ok: false,
        code: 'protected_path',
        message: `${verb} '${lexical.relative}'${via} is refused: it is a protected path (rule '${rule}'), ` +
          `because such files hold secrets or repository internals. ${HOW_TO_CHANGE}`,
      };
    }
    return { ok: true, relative: lexical.relative, absolute: lexical.absolute };
  }

  /**
   * The protected rule any path would match, even one outside the workspace (`~/.ssh/id_rsa`,
   * `$HOME/.aws/credentials`): used to keep commands that name such files from running unasked.
   */
  protectedRuleFor(anyPath: string): string | null {
    const parts = anyPath.replace(/\\/g, '/').split('/')
      .filter((part) => part !== '' && part !== '.' && part !== '..' && part !== '~' && !part.startsWith('$'));
    if (parts.length === 0) return null;
    try {
      return this.protectedRule(parts.join('/'), false);
    } catch {
      return null; // a word the matcher cannot read as a path (it rejects some shapes) names no protected file
    }
  }

  /** Workspace-relative POSIX path of the input, or null when it points outside the root as written. */
  private lexicalResolve(inputPath: string): { relative: string; absolute: string } | null {
    const trimmed = inputPath.trim();
    if (trimmed.startsWith('~')) return null; // the shell's home shorthand: never inside the workspace
    const native = process.platform === 'win32' ? trimmed.replace(/\//g, '\\') : trimmed;
    const absolute = path.resolve(this.root, native === '' ? '.' : native);
    const relative = relativeInside(this.root, absolute);
    return relative === null ? null : { relative, absolute };
  }

  /** The rule that protects a relative path, or null. The root itself is never protected. */
  private protectedRule(relative: string, isDirectory: boolean): string | null {
    if (relative === '.') return null;
    // Folder-only patterns ('secrets/') match a folder only when it is named with a trailing slash.
    const result = this.matcher.test(isDirectory ? `${relative}/` : relative);
    return result.ignored ? result.rule?.pattern ?? 'protected' : null;
  }

  private outside(inputPath: string, throughLink = false): PathCheck {
    const why = throughLink ? ' through a symbolic link' : '';
    return {
      ok: false,
      code: 'outside_workspace',
      message: `'${inputPath}' is outside the workspace${why} (${this.root}). ` +
        'Only files under the workspace folder can be read or written; use a path relative to it.',
    };
  }
}

function isExistingDirectory(absolute: string): boolean {
  try {
    return fs.statSync(absolute).isDirectory();
  } catch {
    return false;
  }
}

/** POSIX path of `target` relative to `base`, '.' for the base itself, or null when it is not under `base`. */
function relativeInside(base: string, target: string): string | null {
  const relative = path.relative(base, target);
  if (relative === '') return '.';
  if (path.isAbsolute(relative) || relative === '..' || relative.startsWith(`..${path.sep}`)) return null;
  return relative.split(path.sep).join('/');
}

/**
 * The real path of `target` even when it (or its tail) does not exist: the deepest existing ancestor is
 * resolved and the missing rest appended. Dangling symlinks are followed by reading the link, because the
 * write that comes next would follow them too.
 */
export function resolveRealPath(target: string, hops = 0): string {
  const absolute = path.resolve(target);
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(absolute);
  } catch {
    const parent = path.dirname(absolute);
    if (parent === absolute) return absolute;
    return path.join(resolveRealPath(parent, hops), path.basename(absolute));
  }
  try {
    return fs.realpathSync.native(absolute);
  } catch {
    if (!stat.isSymbolicLink() || hops >= MAX_LINK_HOPS) return absolute;
    const linkDir = resolveRealPath(path.dirname(absolute), hops);
    return resolveRealPath(path.resolve(linkDir, fs.readlinkSync(absolute)), hops + 1);
  }
}
