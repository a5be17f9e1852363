// update_plan: the task's plan as a checklist the person sees live.
import { defineTool, failure } from './tool';
import type { PlanItem } from './types';

export interface UpdatePlanArgs { items: PlanItem[] }

export const updatePlanTool = defineTool<UpdatePlanArgs>({
  name: 'update_plan',
  description: 'Set the plan: the full list of steps, each pending, in_progress or done. At most one step in_progress. Call it at the start and whenever the plan changes.',
  parameters: {
    type: 'object',
    properties: {
      items: {
        type: 'array',
        minItems: 1,
        maxItems: 30,
        items: {
          type: 'object',
          properties: {
            title: { type: 'string', minLength: 1 },
            status: { type: 'string', enum: ['pending', 'in_progress', 'done'] },
          },
          required: ['title', 'status'],
          additionalProperties: false,
        },
      },
    },
    required: ['items'],
    additionalProperties: false,
  },
  readOnly: true,
  async run(args, context) {
    if (args.items.filter((item) => item.status === 'in_progress').length > 1) {
      return failure('invalid_arguments', 'At most one plan item may be in_progress.');
    }
    context.setPlan(args.items);
    const marks = { pending: '[ ]', in_progress: '[~]', done: '[x]' } as const;
    return { ok: true, output: 'Plan updated:\n' + args.items.map((item) => `${marks[item.status]} ${item.title}`).join('\n') };
  },
});
