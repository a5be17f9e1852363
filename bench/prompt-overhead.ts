// prompt_overhead_tokens: what every request carries before the task's own conversation — the system prompt and the
// tool schemas — counted with a real tokenizer (o200k_base, the GPT-4o/4.1 family's, via js-tiktoken) and with the
// loop's own estimate (characters / 4). Deterministic: one count. The goal is under 2,000 tokens.
import { getEncoding } from 'js-tiktoken';
import { systemPrompt } from '../src/agent/prompts';
import { ToolRegistry } from '../src/tools/registry';
import { benchMain } from './support/main';
import type { BenchEntries } from './support/stats';

export async function measurePromptOverhead(): Promise<BenchEntries> {
  const encoding = getEncoding('o200k_base');
  // The tools go on the wire in the chat-completions shape; count that text.
  const tools = JSON.stringify(new ToolRegistry().schemas().map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } })));
  const system = systemPrompt({ root: '/home/dev/project', testCommand: 'npm test', review: false, trusted: true, rules: [], memory: '' });
  const toolTokens = encoding.encode(tools).length;
  const systemTokens = encoding.encode(system).length;
  const total = toolTokens + systemTokens;
  return {
    prompt_overhead_tokens: {
      value: total,
      unit: 'tokens per request',
      runs: 1,
      tokenizer: 'o200k_base',
      system_prompt_tokens: systemTokens,
      tool_schema_tokens: toolTokens,
      estimate_chars_div_4: Math.ceil((tools.length + system.length) / 4),
      under_goal: total < 2000,
      summary: `system prompt ${systemTokens} + ${new ToolRegistry().schemas().length} tool schemas ${toolTokens} = ${total} tokens (o200k_base; goal < 2,000); the loop's estimate (chars/4): ${Math.ceil((tools.length + system.length) / 4)}`,
    },
  };
}

benchMain(module, measurePromptOverhead);
