// The scripted-model file format (docs/scripted-model.md): types, loading and validation with errors that name the field.
import * as fs from 'node:fs';

export interface ScriptToolCall {
  name: string;
  /** An object is sent as JSON; a string is sent verbatim (it may be malformed JSON on purpose). */
  arguments?: Record<string, unknown> | string;
}

/** A one-time failure served before a turn's reply; the retried request then gets the reply. */
export type ScriptFault =
  | { status: number; retry_after?: number | string; retry_after_ms?: number; message?: string }
  | { drop_after_chunks: number }
  | { stall_ms: number };

export interface ScriptTurn {
  expect?: string[];
  absent?: string[];
  fault?: ScriptFault;
  content?: string;
  tool_calls?: ScriptToolCall[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
  delay_ms?: number;
  /** Streamed replies: wait this long between chunks, as a model generating token by token (streaming tests). */
  chunk_delay_ms?: number;
  /** Free text for people reading the script; ignored by the server. */
  note?: string;
}

export interface Script {
  model?: string;
  /** What GET /v1/models lists (default: just `model`), for testing model pickers. */
  models?: string[];
  turns: ScriptTurn[];
  /**
   * Parallel attempts: `attempts[k]` answers the requests that carry the header `X-Patchpilot-Attempt: k+1`, each
   * with its own turn cursor, so attempts that run at once each get their own conversation.
   */
  attempts?: { turns: ScriptTurn[] }[];
}

export class ScriptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptError';
  }
}

/** Reads and validates a script file; errors name the file and the offending field. */
export function loadScript(filePath: string): Script {
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    throw new ScriptError(`Cannot read script ${filePath}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ScriptError(`Script ${filePath} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return validateScript(parsed);
  } catch (error) {
    throw new ScriptError(`Script ${filePath}: ${(error as Error).message}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonNegativeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function checkStringList(value: unknown, where: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item.length > 0)) {
    throw new ScriptError(`${where} must be a list of non-empty strings`);
  }
  return value as string[];
}

function checkFault(value: unknown, where: string): ScriptFault | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw new ScriptError(`${where} must be an object`);
  if ('status' in value) {
    const status = value.status;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) {
      throw new ScriptError(`${where}.status must be an HTTP error status (400-599)`);
    }
    const retryAfter = value.retry_after;
    if (retryAfter !== undefined && !isNonNegativeNumber(retryAfter) && typeof retryAfter !== 'string') {
      throw new ScriptError(`${where}.retry_after must be seconds (a number) or an HTTP date (a string)`);
    }
    if (value.retry_after_ms !== undefined && !isNonNegativeNumber(value.retry_after_ms)) {
      throw new ScriptError(`${where}.retry_after_ms must be a non-negative number`);
    }
    if (value.message !== undefined && typeof value.message !== 'string') {
      throw new ScriptError(`${where}.message must be a string`);
    }
    return value as ScriptFault;
  }
  if ('drop_after_chunks' in value) {
    if (!isNonNegativeNumber(value.drop_after_chunks) || !Number.isInteger(value.drop_after_chunks)) {
      throw new ScriptError(`${where}.drop_after_chunks must be a non-negative integer`);
    }
    return { drop_after_chunks: value.drop_after_chunks };
  }
  if ('stall_ms' in value) {
    if (!isNonNegativeNumber(value.stall_ms)) throw new ScriptError(`${where}.stall_ms must be a non-negative number`);
    return { stall_ms: value.stall_ms };
  }
  throw new ScriptError(`${where} must have "status", "drop_after_chunks" or "stall_ms"`);
}

function checkToolCalls(value: unknown, where: string): ScriptToolCall[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new ScriptError(`${where} must be a list`);
  return value.map((call, index) => {
    const at = `${where}[${index}]`;
    if (!isRecord(call)) throw new ScriptError(`${at} must be an object`);
    if (typeof call.name !== 'string' || call.name.length === 0) throw new ScriptError(`${at}.name must be a non-empty string`);
    const args = call.arguments;
    if (args !== undefined && typeof args !== 'string' && !isRecord(args)) {
      throw new ScriptError(`${at}.arguments must be an object or a string`);
    }
    return { name: call.name, arguments: args as ScriptToolCall['arguments'] };
  });
}

function checkTurn(value: unknown, index: number, prefix = ''): ScriptTurn {
  const where = `${prefix}turns[${index}] (turn ${index + 1})`;
  if (!isRecord(value)) throw new ScriptError(`${where} must be an object`);
  if (value.content !== undefined && typeof value.content !== 'string') throw new ScriptError(`${where}.content must be a string`);
  if (value.delay_ms !== undefined && !isNonNegativeNumber(value.delay_ms)) {
    throw new ScriptError(`${where}.delay_ms must be a non-negative number`);
  }
  if (value.chunk_delay_ms !== undefined && !isNonNegativeNumber(value.chunk_delay_ms)) {
    throw new ScriptError(`${where}.chunk_delay_ms must be a non-negative number`);
  }
  const usage = value.usage;
  if (usage !== undefined) {
    if (!isRecord(usage)) throw new ScriptError(`${where}.usage must be an object`);
    for (const key of ['prompt_tokens', 'completion_tokens']) {
      if (usage[key] !== undefined && !isNonNegativeNumber(usage[key])) throw new ScriptError(`${where}.usage.${key} must be a non-negative number`);
    }
  }
  const turn: ScriptTurn = {
    expect: checkStringList(value.expect, `${where}.expect`),
    absent: checkStringList(value.absent, `${where}.absent`),
    fault: checkFault(value.fault, `${where}.fault`),
    content: value.content as string | undefined,
    tool_calls: checkToolCalls(value.tool_calls, `${where}.tool_calls`),
    usage: usage as ScriptTurn['usage'],
    delay_ms: value.delay_ms as number | undefined,
    chunk_delay_ms: value.chunk_delay_ms as number | undefined,
  };
  if (turn.content === undefined && (turn.tool_calls === undefined || turn.tool_calls.length === 0)) {
    throw new ScriptError(`${where} needs "content" or "tool_calls" (a model reply cannot be empty)`);
  }
  return turn;
}

/** Checks an already-parsed script; throws a ScriptError naming the first bad field. */
export function validateScript(value: unknown): Script {
  if (!isRecord(value)) throw new ScriptError('a script must be a JSON object with a "turns" list');
  if (value.model !== undefined && typeof value.model !== 'string') throw new ScriptError('"model" must be a string');
  if (value.models !== undefined && !(Array.isArray(value.models) && value.models.every((m) => typeof m === 'string' && m !== ''))) {
    throw new ScriptError('"models" must be a list of model names');
  }
  if (value.turns === undefined && Array.isArray(value.attempts)) value = { ...value, turns: [] };
  const checked = value as Record<string, unknown>;
  if (!Array.isArray(checked.turns)) throw new ScriptError('"turns" must be a list');
  return {
    model: checked.model as string | undefined, models: checked.models as string[] | undefined,
    turns: checked.turns.map((turn, index) => checkTurn(turn, index)),
    ...(checked.attempts !== undefined ? { attempts: checkAttempts(checked.attempts) } : {}),
  };
}

function checkAttempts(value: unknown): { turns: ScriptTurn[] }[] {
  if (!Array.isArray(value)) throw new ScriptError('"attempts" must be a list of {"turns": [...]} objects');
  return value.map((attempt, k) => {
    const where = `attempts[${k}] (attempt ${k + 1})`;
    if (!isRecord(attempt) || !Array.isArray(attempt.turns)) throw new ScriptError(`${where} must be an object with a "turns" list`);
    return { turns: attempt.turns.map((turn, index) => checkTurn(turn, index, `${where}.`)) };
  });
}
