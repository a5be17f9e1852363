// finish: the model says the goal is met. The loop then verifies (runs the tests); this tool's result is the verdict.
import { defineTool } from './tool';

export interface FinishArgs { summary: string }

export const FINISH_TOOL_NAME = 'finish';

export const finishTool = defineTool<FinishArgs>({
  name: FINISH_TOOL_NAME,
  description: 'Call when the goal is met. The test command then runs; if it fails, the result tells you what failed and the task goes on.',
  parameters: {
    type: 'object',
    properties: { summary: { type: 'string', description: 'What was changed and why, in a few sentences.' } },
    required: ['summary'],
    additionalProperties: false,
  },
  readOnly: true,
  // The loop handles finish itself (verification); this run is never reached through the registry.
  async run() {
    return { ok: true, output: 'finished' };
  },
});
