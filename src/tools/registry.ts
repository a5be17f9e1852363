// The tool registry: lists the tools, parses and validates arguments, and runs a call — errors always come back as data.
import Ajv, { type ValidateFunction } from 'ajv';
import type { ToolSchema } from '../agent/ports';
import { applyPatchTool } from './applyPatch';
import type { ToolContext } from './context';
import { editFileTool } from './editFile';
import { finishTool } from './finish';
import { forgetTool } from './forget';
import { listFilesTool } from './listFiles';
import { readFileTool } from './readFile';
import { rememberTool } from './remember';
import { runCommandTool } from './runCommand';
import { runTestsTool } from './runTests';
import { searchTextTool } from './searchText';
import { errorToResult, failure, type ToolDefinition } from './tool';
import type { ToolResult } from './types';
import { updatePlanTool } from './updatePlan';
import { writeFileTool } from './writeFile';

// Each tool's Args type differs; the registry only sees validated unknown arguments.
type AnyTool = ToolDefinition<never>;

export const ALL_TOOLS: readonly AnyTool[] = [
  readFileTool, listFilesTool, searchTextTool, editFileTool, writeFileTool, applyPatchTool,
  runCommandTool, runTestsTool, updatePlanTool, rememberTool, forgetTool, finishTool,
] as unknown as AnyTool[];

export type ParsedArguments = { ok: true; value: unknown } | { ok: false; message: string };

/** Parses model-written JSON arguments, forgiving what is unambiguous (a code fence, trailing commas, empty text). */
export function parseArguments(text: string): ParsedArguments {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: {} };
  const attempts = [trimmed, trimmed.replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/, '$1'), trimmed.replace(/,\s*([}\]])/g, '$1')];
  let lastError = '';
  for (const attempt of attempts) {
    try {
      return { ok: true, value: JSON.parse(attempt) };
    } catch (error) {
      lastError = (error as Error).message;
    }
  }
  return { ok: false, message: `arguments are not valid JSON (${lastError}). Send a single JSON object.` };
}

export class ToolRegistry {
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly tools = new Map<string, AnyTool>();

  constructor(tools: readonly AnyTool[] = ALL_TOOLS, options: { readOnly?: boolean } = {}) {
    for (const tool of tools) {
      if (options.readOnly && !tool.readOnly && tool.name !== 'run_tests') continue;
      this.tools.set(tool.name, tool);
      this.validators.set(tool.name, this.ajv.compile(tool.parameters));
    }
  }

  has(name: string): boolean {
    return this.tools.has(name);
  }

  schemas(): ToolSchema[] {
    return [...this.tools.values()].map((tool) => ({ name: tool.name, description: tool.description, parameters: tool.parameters }));
  }

  /** Validates arguments against the tool's schema; the error names each offending field. */
  validate(name: string, args: unknown): ToolResult | null {
    const tool = this.tools.get(name);
    if (!tool) {
      return failure('unknown_tool', `There is no tool named "${name}". Available tools: ${[...this.tools.keys()].join(', ')}.`);
    }
    const validator = this.validators.get(name)!;
    if (validator(args)) return null;
    const problems = (validator.errors ?? []).map((e) => `${e.instancePath || '(arguments)'} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
    return failure('invalid_arguments', `Invalid arguments for ${name}: ${problems.join('; ')}.`);
  }

  async run(name: string, args: unknown, context: ToolContext): Promise<ToolResult> {
    const invalid = this.validate(name, args);
    if (invalid) return invalid;
    try {
      return await this.tools.get(name)!.run(args as never, context);
    } catch (error) {
      return errorToResult(error);
    }
  }
}
