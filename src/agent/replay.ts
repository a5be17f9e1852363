// Rebuilds a task's state from its journal, for resume: the conversation, plan, spend, test runs and checkpoint.
import type { TaskEvent } from './events';
import { addUsage } from './loop';
import type { ChatMessage } from './ports';
import type { SessionState } from './state';

export interface Replayed {
  state: SessionState;
  /** Tool results to add for calls that never got one (the process died while they ran). */
  danglingResults: ChatMessage[];
}

export function replayJournal(events: readonly TaskEvent[], now: number): Replayed {
  const started = events.find((e) => e.type === 'task_started');
  if (!started || started.type !== 'task_started') throw new Error('The journal has no task_started event; it cannot be resumed.');
  const finished = lastFinished(events);
  if (finished) {
    throw new Error(`Task ${started.taskId} already ended (${finished.status}${finished.reason ? `: ${finished.reason}` : ''}); start a new task instead.`);
  }
  const state: SessionState = {
    taskId: started.taskId, config: started.config, messages: [], plan: [], steps: 0,
    usage: { promptTokens: 0, completionTokens: 0, costUsd: null }, testRuns: [], verificationAttempts: 0,
    awaitingReflection: false, checkpoint: null, checkpointTaken: false, runStartedAt: now,
  };
  for (const event of events) {
    switch (event.type) {
      // The planner's and the verifier's conversations are their own; the task's conversation is the coder's.
      case 'message': if (event.role !== 'planner' && event.role !== 'verifier') state.messages.push(event.message); break;
      case 'model_reply': state.steps = event.step; addUsage(state.usage, event.usage); break;
      case 'plan_updated': state.plan = event.items; break;
      case 'test_run':
        state.testRuns.push(event.run);
        if (event.verification && event.run.exitCode !== 0) state.verificationAttempts++;
        break;
      case 'triage': state.triage = event.report; break;
      case 'safety':
        if (state.testFilesAtStart === undefined) state.testFilesAtStart = event.testFiles;
        break;
      case 'checkpoint':
        state.checkpointTaken = true;
        state.checkpoint = event.ref && event.commit ? { ref: event.ref, commit: event.commit } : null;
        break;
      default: break;
    }
  }
  return { state, danglingResults: danglingToolResults(state.messages) };
}

/** The task_finished that still holds: the last one, unless the task was reopened after it. */
export function lastFinished(events: readonly TaskEvent[]): Extract<TaskEvent, { type: 'task_finished' }> | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event.type === 'task_reopened') return null;
    if (event.type === 'task_finished') return event;
  }
  return null;
}

/** The last assistant turn may have tool calls without results; the API requires one result per call. */
function danglingToolResults(messages: readonly ChatMessage[]): ChatMessage[] {
  let lastAssistant = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].role === 'assistant') {
      lastAssistant = i;
      break;
    }
  }
  if (lastAssistant < 0) return [];
  const assistant = messages[lastAssistant];
  if (assistant.role !== 'assistant' || !assistant.tool_calls) return [];
  const answered = new Set(messages.slice(lastAssistant + 1).flatMap((m) => (m.role === 'tool' ? [m.tool_call_id] : [])));
  return assistant.tool_calls
    .filter((call) => !answered.has(call.id))
    .map((call) => ({
      role: 'tool' as const,
      tool_call_id: call.id,
      content: `ERROR [cancelled]: The task was interrupted while ${call.function.name} ran, and has been resumed. Check the current state (files, tests) before going on.`,
    }));
}
