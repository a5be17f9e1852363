// The command ids the extension contributes (package.json `contributes.commands` lists the same ids).
export const COMMAND_IDS = [
  'patchpilot.newTask', 'patchpilot.fixFailingTests', 'patchpilot.reviewChanges', 'patchpilot.acceptAll', 'patchpilot.rejectAll',
  'patchpilot.stop', 'patchpilot.resumeTask', 'patchpilot.taskHistory', 'patchpilot.undoTask', 'patchpilot.setApiKey',
  'patchpilot.selectModel', 'patchpilot.focusChat', 'patchpilot.tryDemo',
  'patchpilot.acceptHunk', 'patchpilot.rejectHunk', 'patchpilot.nextHunk', 'patchpilot.previousHunk',
  'patchpilot.newBackgroundTask', 'patchpilot.showMemory', 'patchpilot.fixFailingTestsWithAttempts',
  'patchpilot.watchTests', 'patchpilot.stopWatching', 'patchpilot.addToQueue', 'patchpilot.runQueue',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

/** Context keys the `when` clauses of package.json read. */
export const CONTEXT_KEYS = {
  taskRunning: 'patchpilot.taskRunning',
  reviewPending: 'patchpilot.reviewPending',
  watching: 'patchpilot.watching',
} as const;

export const PANEL_VIEW_TYPE = 'patchpilot.review';
/** The read-only panel past tasks open in (never restored as the live panel). */
export const HISTORY_VIEW_TYPE = 'patchpilot.history';
/** A background task's panel (one per task; not restored after a reload: its worktree is gone then). */
export const BACKGROUND_VIEW_TYPE = 'patchpilot.background';
/** The chat view in the Patchpilot activity-bar container. */
export const CHAT_VIEW_TYPE = 'patchpilot.chat';
export const PROPOSED_SCHEME = 'patchpilot-proposed';
