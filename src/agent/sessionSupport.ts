// Small pieces of the session kept out of it: how a thrown error ends a task, and how a task gets its id.
import { randomBytes } from 'node:crypto';
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
