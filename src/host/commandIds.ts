// The command ids the extension contributes (package.json `contributes.commands` lists the same ids).
export const COMMAND_IDS = [
  'patchpilot.newTask', 'patchpilot.fixFailingTests', 'patchpilot.reviewChanges', 'patchpilot.acceptAll', 'patchpilot.rejectAll',
  'patchpilot.stop', 'patchpilot.resumeTask', 'patchpilot.taskHistory', 'patchpilot.undoTask', 'patchpilot.setApiKey',
  'patchpilot.selectModel',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

/** Context keys the `when` clauses of package.json read. */
export const CONTEXT_KEYS = {
  taskRunning: 'patchpilot.taskRunning',
  reviewPending: 'patchpilot.reviewPending',
} as const;

export const PANEL_VIEW_TYPE = 'patchpilot.review';
export const PROPOSED_SCHEME = 'patchpilot-proposed';
