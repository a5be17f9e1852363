// Data for the sidebar's benchmark and browser tests: a task conversation of any length with every kind of
// timeline entry (long unbroken paths and code lines included, so a 300-px view has something to overflow), and
// the sidebar state around it.
import type { SidebarState, TaskListItem } from '../../src/shared/sidebarProtocol';
import { emptySnapshot, type PanelSnapshot, type TimelineEntry } from '../../src/shared/viewModel';

const LONG_PATH = 'packages/server/src/features/authentication/providers/oauth2/refreshTokenRotationHandler.integration.test.ts';

/** The `i`-th entry of a conversation: the kinds cycle so any slice looks like a real task. */
export function timelineEntry(i: number): TimelineEntry {
  const step = Math.floor(i / 8) + 1;
  switch (i % 8) {
    case 0:
      return { kind: 'user', text: i === 0 ? 'Make the token refresh retry once on a 401, and keep the tests green.' : `Follow-up ${i}: also log the retry at debug level.`, followUp: i > 0 };
    case 1:
      return { kind: 'model', step, text: `I will look at the refresh handler first (step ${step}), then change the retry and run the tests.` };
    case 2:
      return { kind: 'tool', id: `call-${i}`, step, name: 'read_file', argsText: JSON.stringify({ path: LONG_PATH }, null, 2), state: 'ok', summary: `Read ${LONG_PATH} (212 lines)` };
    case 3:
      return { kind: 'tool', id: `call-${i}`, step, name: 'edit_file', argsText: JSON.stringify({ path: LONG_PATH, search: 'if (response.status === 401) { throw new UnauthorizedError(response.statusText); }' }),
        state: 'error', summary: 'The search text was not found. Closest candidate at lines 88–90 differs in whitespace.', code: 'no_match' };
    case 4:
      return { kind: 'file', path: LONG_PATH, added: 12, removed: 3 };
    case 5:
      return { kind: 'test', command: 'npx mocha "out/test/unit/**/*.test.js" --reporter dot --timeout 20000', exitCode: 1, timedOut: false, passed: 41, failed: 1,
        failures: [{ name: 'refreshes the token once on 401', file: LONG_PATH, line: 88, message: 'AssertionError: expected 2 calls to refresh, got 1\n  at Context.<anonymous> (refreshTokenRotationHandler.integration.test.ts:88:12)' }],
        output: '  41 passing (2s)\n  1 failing\n\n  1) refreshes the token once on 401:\n     AssertionError: expected 2 calls to refresh, got 1', verification: i % 16 === 5 };
    case 6:
      return { kind: 'reflection', attempt: step, text: 'The retry runs before the new token is stored, so the second call still carries the old one.' };
    default:
      return { kind: 'note', level: i % 16 === 7 ? 'warning' : 'info', text: `Checkpoint taken before step ${step}.` };
  }
}

export function conversationSnapshot(entries: number, overrides: Partial<PanelSnapshot> = {}): PanelSnapshot {
  return {
    ...emptySnapshot(),
    taskId: 'task-live',
    title: 'Make the token refresh retry once on a 401, and keep the tests green.',
    goal: 'Make the token refresh retry once on a 401, and keep the tests green.\n\n(expanded mentions…)',
    status: 'running',
    statusText: 'Step 3: running the tests',
    approval: 'auto',
    plan: [
      { title: 'Read the refresh handler and its tests', status: 'done' },
      { title: 'Retry once on 401 after storing the new token', status: 'in_progress' },
      { title: 'Run the tests', status: 'pending' },
    ],
    timeline: Array.from({ length: entries }, (_, i) => timelineEntry(i)),
    meter: { steps: 3, maxSteps: 30, tokens: 48_200, maxTokens: 500_000, costUsd: 0.0213, maxCostUsd: 2, startedAt: 0, maxWallMs: 1_200_000 },
    ...overrides,
  };
}

export function taskList(now: number): TaskListItem[] {
  return [
    { taskId: 'task-live', title: 'Make the token refresh retry once on a 401, and keep the tests green.', status: 'running', startedAt: now - 3 * 60_000, live: true },
    { taskId: 'task-old-1', title: 'Fix failing tests', status: 'verified', startedAt: now - 5 * 3_600_000, live: false },
    { taskId: 'task-old-2', title: `Rename the config loader in ${LONG_PATH}`, status: 'failed', startedAt: now - 3 * 86_400_000, live: false },
  ];
}

export function sidebarState(task: PanelSnapshot | null, overrides: Partial<SidebarState> = {}): SidebarState {
  return {
    task,
    tasks: task ? taskList(Date.now()) : [],
    sendMode: task === null ? 'new' : task.status === 'running' ? 'steer' : 'continue',
    blocked: null,
    activeEditor: 'src/auth/refreshTokenRotationHandler.ts',
    queue: [],
    queueRunning: false,
    ...overrides,
  };
}
