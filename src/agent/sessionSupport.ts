// Small pieces of the session kept out of it: how a thrown error ends a task, and how a task gets its id.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unifiedDiff } from '../tools/changes/hunks';
import { spillDirFor } from './projectContext';
import type { Ending } from './loop';
import { ModelError } from './model/errors';

export function endingForError(error: unknown): Ending {
  if (error instanceof Error && error.name === 'AbortError') return { status: 'stopped', reason: 'cancelled', summary: 'Stopped by the person.' };
  const message = error instanceof Error ? error.message : String(error);
  // "Could not be reached" only when it could not: a 400 or a 401 is the server answering, and says so.
  const kind = error instanceof ModelError ? error.kind : null;
  const lead = kind === 'network' || kind === 'timeout' ? 'The model could not be reached' : kind ? 'The model refused the request' : 'The task failed';
  return { status: 'failed', reason: 'model_error', summary: `${lead}: ${message}` };
}

export function newTaskId(now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** A tool output too large for the window, kept whole where read_file reaches it (git-ignored .patchpilot/tmp). */
export function spillToolOutput(cwd: string, taskId: string, callId: string, text: string): string | null {
  try {
    const dir = spillDirFor(cwd);
    mkdirSync(dir, { recursive: true });
    const name = `tool-${taskId}-${callId.replace(/[^\w-]/g, '_')}.txt`;
    writeFileSync(join(dir, name), text);
    return `.patchpilot/tmp/${name}`;
  } catch {
    return null;
  }
}

/** The task's diff so far, for the model and the verifier role: cut at 8,000 characters. */
export function boundedDiff(changes: { path: string; before: string | null; after: string | null }[]): string {
  const text = changes.map((c) => unifiedDiff(c.path, c.before, c.after)).join('\n');
  return text.length > 8000 ? text.slice(0, 8000) + '\n[… diff cut at 8,000 characters]' : text;
}
