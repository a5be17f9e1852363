// Contract of the workspace: file access confined to the root, protected paths refused, writes atomic.
import type { ToolErrorCode } from '../types';

export class WorkspaceError extends Error {
  constructor(readonly code: ToolErrorCode, message: string) {
    super(message);
    this.name = 'WorkspaceError';
  }
}

/** Cancellation surfaces as the stable 'cancelled' code, like every other workspace failure. */
export function throwIfCancelled(signal: AbortSignal | undefined, what = 'The operation'): void {
  if (signal?.aborted) throw new WorkspaceError('cancelled', `${what} was cancelled.`);
}

export type Access = 'read' | 'write';

export interface ListEntry { path: string; kind: 'file' | 'dir' }

export interface SearchHit { path: string; line: number; text: string }

export interface SearchOptions {
  /** Folder or file to search under, workspace-relative; default the root. */
  path?: string;
  regex?: boolean;
  caseSensitive?: boolean;
  maxResults?: number;
  signal?: AbortSignal;
}

export interface Workspace {
  readonly root: string;
  /**
   * Normalises a model-given path (relative or absolute) to a workspace-relative POSIX path.
   * Throws WorkspaceError('outside_workspace' | 'protected_path') — symlinks that escape the root count as outside.
   */
  resolve(path: string, access: Access): string;
  /** Absolute path on disk of a resolved relative path. */
  absolute(relativePath: string): string;
  exists(relativePath: string): Promise<boolean>;
  /** Throws WorkspaceError('file_not_found' | 'not_a_file'). */
  readFile(relativePath: string): Promise<Buffer>;
  /** Temp file + rename in the same folder; creates parent folders. */
  writeFileAtomic(relativePath: string, content: string | Buffer): Promise<void>;
  deleteFile(relativePath: string): Promise<void>;
  /** Respects .gitignore (and never lists .git). */
  listFiles(relativePath: string, options: { recursive: boolean; limit: number }): Promise<{ entries: ListEntry[]; truncated: boolean }>;
  searchText(query: string, options: SearchOptions): Promise<{ hits: SearchHit[]; truncated: boolean; filesSearched: number }>;
}

/** The verdict of the path policy on one model-given path (src/agent/policy/pathPolicy.ts returns this shape). */
export type PathCheckResult =
  | { ok: true; relative: string; absolute: string }
  | { ok: false; code: 'outside_workspace' | 'protected_path'; message: string };

/** What NodeWorkspace needs of the path policy; a PathPolicy instance satisfies it. */
export interface PathChecker {
  check(inputPath: string, access: Access): PathCheckResult;
  /**
   * Pattern-only test for paths already known to lie inside the root (enumerated files): the protected rule a path
   * matches, or null. Lets a search skip protected files without a realpath per file.
   */
  protectedRuleFor?(relativePath: string): string | null;
}
