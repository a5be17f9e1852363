// Small pieces of the session kept out of it: how a thrown error ends a task, and how a task gets its id.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unifiedDiff } from '../tools/changes/hunks';
import { spillDirFor } from './projectContext';
import type { Journal } from './journal';
import type { PathPolicy } from './policy/pathPolicy';
import type { TaskResult } from './result';
import { TaskSafety } from './safety';
import type { SessionOptions } from './sessionOptions';
import type { SessionState } from './state';
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

/** The sandbox, environment, secrets and test guard of one run, decided once and journaled. */
export async function prepareTaskSafety(options: SessionOptions, state: SessionState, pathPolicy: PathPolicy, journal: Journal): Promise<TaskSafety> {
  const autoWrites = options.approval === 'auto' && (options.trusted ?? true);
  const protectTests = autoWrites && !options.allowTestEdits;
  const safety = await TaskSafety.create({
    cwd: options.cwd, taskId: state.taskId, pathPolicy, sandbox: options.sandbox ?? 'workspace-write',
    allowHosts: options.allowHosts ?? [], passEnv: options.passEnv ?? [], protectTests, knownSecrets: options.knownSecrets,
    testFilesAtStart: state.testFilesAtStart ?? undefined,
    onProxyDecision: (host, allowed) => journal.append({ type: 'network', host, allowed }),
  });
  state.testFilesAtStart = safety.testGuard ? safety.testGuard.files() : null;
  journal.append({
    type: 'safety', sandbox: { ...safety.sandbox }, droppedEnv: safety.droppedEnv, testFiles: state.testFilesAtStart, allowHosts: options.allowHosts ?? [],
  });
  return safety;
}

/** The report's safety section. */
export function summarizeSafety(safety: TaskSafety, allowHosts: string[]): NonNullable<TaskResult['safety']> {
  return {
    sandbox: safety.sandbox.active, requestedSandbox: safety.sandbox.requested, enforcedBy: safety.sandbox.enforcedBy, note: safety.sandbox.note,
    envDropped: safety.droppedEnv, testFilesProtected: safety.testGuard?.files().length ?? 0, allowHosts,
  };
}
