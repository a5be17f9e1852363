// Undo a task from its journal, finished or not: every file back to its pre-image, files edited since left alone.
import { ChangeSet, type RestoreReport } from '../tools/changes/changeSet';
import { NodeWorkspace } from '../tools/workspace/nodeWorkspace';
import { Journal } from './journal';
import { PathPolicy } from './policy/pathPolicy';

export async function undoTask(journalDir: string, taskId: string): Promise<RestoreReport> {
  const events = Journal.read(Journal.pathFor(journalDir, taskId));
  const started = events.find((e) => e.type === 'task_started');
  if (!started || started.type !== 'task_started') throw new Error(`The journal of ${taskId} has no task_started event.`);
  const root = started.config.cwd;
  // Undo writes only files the task itself wrote; the protected-path rules were applied when they were written.
  const workspace = new NodeWorkspace(root, PathPolicy.boundaryOnly(root));
  const changes = new ChangeSet(workspace);
  for (const event of events) if (event.type === 'file_changed') changes.record(event.change);
  return changes.undoAll();
}
