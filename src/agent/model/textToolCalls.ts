// Tool calls written as text. Open models served without a tool-call parser (vLLM without --tool-call-parser, some
// Ollama and LM Studio templates) print their calls into the reply instead of the tool_calls field. The common
// shapes are recognised and turned back into calls: Hermes/Qwen `<tool_call>{json}</tool_call>`, Llama 3.1
// `<|python_tag|>{json}`, Mistral `[TOOL_CALLS][…]`, `<function=name>{json}</function>`, and a fenced JSON object
// (or list) with `name` and `arguments`. Only names of tools the loop offers count, so an example in prose is not run.

export interface TextToolCall {
  name: string;
  argumentsText: string;
}

export interface TextToolCalls {
  calls: TextToolCall[];
  /** The reply without the call text: what the model said besides. */
  rest: string;
  /** Which shape it was, for the journal. */
  format: 'tool_call_tags' | 'python_tag' | 'mistral' | 'function_tags' | 'fenced_json';
}

interface Shape {
  format: TextToolCalls['format'];
  pattern: RegExp;
  /** Turns one match into candidate call objects. */
  read(match: RegExpExecArray): unknown[];
}

const SHAPES: Shape[] = [
  { format: 'tool_call_tags', pattern: /<tool_call>\s*([\s\S]*?)\s*(?:<\/tool_call>|$)/g, read: (m) => parseJsonList(m[1]) },
  { format: 'function_tags', pattern: /<function=([\w.-]+)>\s*([\s\S]*?)\s*<\/function>/g, read: (m) => [{ name: m[1], arguments: parseJson(m[2]) ?? m[2] }] },
  { format: 'python_tag', pattern: /<\|python_tag\|>\s*([\s\S]*?)\s*(?:<\|eom_id\|>|<\|eot_id\|>|$)/g, read: (m) => m[1].split(/;\s*(?=\{)/).flatMap(parseJsonList) },
  { format: 'mistral', pattern: /\[TOOL_CALLS\]\s*(\[[\s\S]*\])/g, read: (m) => parseJsonList(m[1]) },
  { format: 'fenced_json', pattern: /```(?:json|tool_call|tool_code)?\s*\n([\s\S]*?)\n?```/g, read: (m) => parseJsonList(m[1]) },
];

export function toolCallsFromText(content: string, toolNames: ReadonlySet<string>): TextToolCalls | null {
  for (const shape of SHAPES) {
    const calls: TextToolCall[] = [];
    let rest = content;
    for (const match of content.matchAll(shape.pattern)) {
      const found = shape.read(match as RegExpExecArray).map((candidate) => asCall(candidate, toolNames)).filter((c): c is TextToolCall => c !== null);
      if (found.length === 0) continue;
      calls.push(...found);
      rest = rest.replace(match[0], '');
    }
    if (calls.length > 0) return { calls, rest: rest.trim(), format: shape.format };
  }
  return null;
}

function asCall(candidate: unknown, toolNames: ReadonlySet<string>): TextToolCall | null {
  if (typeof candidate !== 'object' || candidate === null) return null;
  const record = candidate as Record<string, unknown>;
  // OpenAI-shaped {type: 'function', function: {name, arguments}} appears too.
  const inner = typeof record.function === 'object' && record.function !== null ? (record.function as Record<string, unknown>) : record;
  const name = inner.name;
  if (typeof name !== 'string' || !toolNames.has(name)) return null;
  const args = inner.arguments ?? inner.parameters ?? inner.args ?? {};
  return { name, argumentsText: typeof args === 'string' ? args : JSON.stringify(args) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.trim());
  } catch {
    return undefined;
  }
}

function parseJsonList(text: string): unknown[] {
  const value = parseJson(text);
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
