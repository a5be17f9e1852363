// The scripted model of the reload test, shared by its two halves (before and after the window reload).
export const RELOAD_GOAL = 'Fix add() so that it adds';

const fix = { name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: 'return a - b;', replace: 'return a + b;' }] } };

export const reloadScript = {
  turns: [
    { expect: [RELOAD_GOAL], tool_calls: [fix] },
    { expect: [RELOAD_GOAL, 'has been resumed'], content: 'Resumed; proposing the fix again.', tool_calls: [fix] },
    { tool_calls: [{ name: 'finish', arguments: { summary: 'add() adds again.' } }] },
  ],
};
