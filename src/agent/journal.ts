// The task journal: an append-only JSON Lines event log per task, written synchronously so a crash loses nothing
// already reported, and read back to resume a task or browse history.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from './ports';
import type { RoleName, TaskEvent, TaskEventBody } from './events';
import { lastFinished } from './replay';

export type EventListener = (event: TaskEvent) => void;

export class Journal {
  private fd: number | undefined;
  private seq: number;
  private readonly listeners = new Set<EventListener>();
  /** The role acting now (set by the orchestrator); stamped on every event appended while it is set. */
  role: RoleName | undefined;

  constructor(readonly path: string, private readonly clock: Clock, lastSeq = 0) {
    this.seq = lastSeq;
  }

  static pathFor(journalDir: string, taskId: string): string {
    return join(journalDir, `${taskId}.jsonl`);
  }

  onEvent(listener: EventListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  append(body: TaskEventBody): TaskEvent {
    const event = { ...body, seq: ++this.seq, time: this.clock.now(), ...(this.role ? { role: this.role } : {}) } as TaskEvent;
    if (this.fd === undefined) {
      mkdirSync(join(this.path, '..'), { recursive: true });
      this.fd = openSync(this.path, 'a');
    }
    writeSync(this.fd, JSON.stringify(event) + '\n');
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A failing listener (a closed panel) must not break the task.
      }
    }
    return event;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** Reads a journal; a torn last line (the process died mid-write) is skipped, anything else malformed is an error. */
  static read(path: string): TaskEvent[] {
    const lines = readFileSync(path, 'utf8').split('\n');
    const events: TaskEvent[] = [];
    lines.forEach((line, index) => {
      if (!line.trim()) return;
      try {
        events.push(JSON.parse(line) as TaskEvent);
      } catch (error) {
        const isLast = lines.slice(index + 1).every((rest) => !rest.trim());
        if (!isLast) throw new Error(`Journal ${path} is damaged at line ${index + 1}: ${(error as Error).message}`);
      }
    });
    return events;
  }
}

export interface TaskSummary {
  taskId: string;
  goal: string;
  /** The task in the person's words (the goal when it was not expanded). */
  title: string;
  status: 'running' | 'verified' | 'unverified' | 'failed' | 'stopped' | 'interrupted';
  reason: string | null;
  startedAt: number;
  finishedAt: number | null;
  path: string;
}

/** Lists the tasks of a journal folder, newest first. A task without task_finished is 'interrupted' (resumable). */
export async function listTasks(journalDir: string): Promise<TaskSummary[]> {
  if (!existsSync(journalDir)) return [];
  const summaries: TaskSummary[] = [];
  for (const name of readdirSync(journalDir).filter((n) => n.endsWith('.jsonl'))) {
    const path = join(journalDir, name);
    let events: TaskEvent[];
    try {
      events = Journal.read(path);
    } catch {
      continue;
    }
    const started = events.find((e) => e.type === 'task_started');
    if (!started || started.type !== 'task_started') continue;
    const finished = lastFinished(events);
    summaries.push({
      taskId: started.taskId,
      goal: started.config.goal,
      title: started.config.title ?? started.config.goal,
      status: finished ? finished.status : 'interrupted',
      reason: finished ? finished.reason : null,
      startedAt: started.time,
      finishedAt: finished ? finished.time : null,
      path,
    });
  }
  return summaries.sort((a, b) => b.startedAt - a.startedAt);
}
