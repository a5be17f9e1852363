// An in-memory overlay over the caller's files: a multi-file edit is computed completely before anything is written.
import type { FileChange, FileLookup } from './types';

export class WorkingSet {
  private readonly current = new Map<string, string | null>();
  private readonly order: string[] = [];
  private readonly moves = new Map<string, string>();

  constructor(private readonly lookup: FileLookup) {}

  read(path: string): string | undefined {
    if (this.current.has(path)) return this.current.get(path) ?? undefined;
    return this.lookup(path);
  }

  write(path: string, content: string | null): void {
    if (!this.current.has(path) && !this.order.includes(path)) this.order.push(path);
    this.current.set(path, content);
  }

  /** Records a rename: `from` is removed and `to` receives `content`. */
  move(from: string, to: string, content: string): void {
    this.write(from, null);
    this.moves.set(from, to);
    this.current.set(to, content);
  }

  /** One FileChange per touched path, in first-touched order; paths whose content ends up unchanged are left out. */
  changes(): FileChange[] {
    const result: FileChange[] = [];
    for (const path of this.order) {
      const before = this.lookup(path) ?? null;
      const movedTo = this.moves.get(path);
      if (movedTo !== undefined) {
        result.push({ path, before, after: this.current.get(movedTo) ?? null, movedTo });
        continue;
      }
      const after = this.current.get(path) ?? null;
      if (before !== after) result.push({ path, before, after });
    }
    return result;
  }
}
