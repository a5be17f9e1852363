// `--attempts N` of `run` and `fix-tests`: one model client per attempt (every request says which attempt it serves in
// `X-Patchpilot-Attempt`), the attempts run by the orchestrator, their lines printed with an `[attempt-N]` prefix,
// the judge's reasons, and the report with `attempts`, `chosenAttempt` and `judge`.
import { writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { OpenAIModelClient } from '../../agent/model/openaiClient';
import type { Pricing } from '../../agent/model/pricing';
import { runAttempts, type AttemptModel, type AttemptsResult } from '../../agent/orchestrator/attempts';
import { attemptParallelism } from '../../agent/orchestrator/attemptsBudget';
import { ATTEMPT_HEADER, attemptCountProblem, attemptHeader, attemptModelName, describeAttempt } from '../../agent/orchestrator/attemptsSetup';
import { spillDirFor } from '../../agent/projectContext';
import type { SessionOptions } from '../../agent/session';
import { startScriptedServer, type ScriptedServer } from '../../scripted/server';
import { NodeCommandRunner } from '../../tools/process/runProcess';
import { autoApprover } from '../approvers';
import { buildModel, type BuiltModel, type ModelFlags } from '../modelFactory';
import { createPrinter } from '../printer';
import { UsageError } from '../usage';

export { ATTEMPT_HEADER };

export interface AttemptFlags {
  attempts?: string;
  'attempt-models'?: string;
  'attempt-scripted-models'?: string;
  parallel?: string;
}

/** The attempts asked for: 1 unless --attempts (or a per-attempt model list) says more. Bad values are usage errors. */
export function attemptCount(flags: AttemptFlags): number {
  const listed = Math.max(names(flags['attempt-models']).length, names(flags['attempt-scripted-models']).length);
  if (flags.attempts === undefined) return Math.max(1, listed);
  const n = Number(flags.attempts);
  if (attemptCountProblem(n)) throw new UsageError(`--attempts ${attemptCountProblem(n)}, not "${flags.attempts}".`);
  return n;
}

function names(list: string | undefined): string[] {
  if (list === undefined) return [];
  const items = list.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw new UsageError(`a comma-separated list takes no empty entries: "${list}".`);
  return items;
}

export interface AttemptsCliInput {
  count: number;
  flags: AttemptFlags;
  modelFlags: ModelFlags;
  base: BuiltModel;
  task: SessionOptions;
  verbose: boolean;
  quiet: boolean;
  color: boolean;
  report?: string;
}

export async function runWithAttempts(input: AttemptsCliInput): Promise<number> {
  const parallelCap = input.flags.parallel === undefined ? undefined : Number(input.flags.parallel);
  if (parallelCap !== undefined && (!Number.isInteger(parallelCap) || parallelCap < 1)) throw new UsageError(`--parallel takes a positive whole number, not "${input.flags.parallel}".`);
  const parallel = attemptParallelism(input.count, parallelCap);
  const { models, servers } = await attemptModels(input);
  const write = (text: string) => process.stdout.write(text);
  const print = input.quiet ? () => undefined : createPrinter({ write, verbose: input.verbose, color: input.color });
  const attemptPrinters = new Map<string, ReturnType<typeof createPrinter>>();
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  if (!input.quiet) write(`attempts: ${input.count} (${parallel} at once), models: ${models.map((m) => m.label).join(', ')}\n`);
  let result: AttemptsResult;
  try {
    result = await runAttempts({
      task: input.task, models, parallel, attemptApprover: autoApprover, signal: controller.signal,
      runnerFor: (worktree) => new NodeCommandRunner({ spillDir: spillDirFor(worktree), echo: input.verbose ? (c) => process.stderr.write(c) : undefined }),
      onEvent: (event) => {
        print(event);
        if (input.quiet) return;
        if (event.type === 'attempts_started') write(`worktrees: ${event.worktrees.join(', ')} (your files stay as they are until an attempt is chosen)\n`);
        if (event.type === 'attempt_finished') {
          write(`◆ ${describeAttempt(event.attempt)}\n`);
        }
        if (event.type === 'attempts_judged') for (const reason of event.judgement.reasons) write(`judge: ${reason}\n`);
        if (event.type === 'attempt_applied') for (const c of event.application.conflicts) write(`not applied: ${c.path}: ${c.reason}\n`);
      },
      onAttemptEvent: (attempt, event) => {
        if (input.quiet) return;
        let printer = attemptPrinters.get(attempt);
        if (!printer) {
          printer = createPrinter({ write: (text) => write(text.split('\n').map((line) => (line ? `[${attempt}] ${line}` : line)).join('\n')), verbose: input.verbose, color: input.color });
          attemptPrinters.set(attempt, printer);
        }
        printer(event);
      },
    });
  } finally {
    process.off('SIGINT', stop);
    await Promise.all(servers.map((server) => server.close()));
  }
  const costNote = input.base.costLabel(result.usage.costUsd);
  if (input.report) writeFileSync(input.report, JSON.stringify({ ...result, usage: { ...result.usage, costNote } }, null, 2) + '\n');
  if (!input.quiet) {
    const usage = result.usage;
    write(`chosen: ${result.chosenAttempt ?? 'none'}; steps: ${result.steps} across ${result.attempts.length} attempts, tokens: ${usage.promptTokens} in / ${usage.completionTokens} out, ${usage.costUsd === null ? `cost: ${costNote}` : `$${usage.costUsd.toFixed(4)} ${costNote}`}\n`);
    for (const change of result.changes) write(change.diff.endsWith('\n') ? change.diff : change.diff + '\n');
  }
  return result.status === 'verified' || result.status === 'unverified' ? 0 : 1;
}

/**
 * One client per attempt, models cycled: --attempt-scripted-models F1,F2 (a scripted server each), else the scripted
 * server of --scripted-model (its `attempts` lanes), else the endpoint of the model flags with --attempt-models.
 */
async function attemptModels(input: AttemptsCliInput): Promise<{ models: AttemptModel[]; servers: ScriptedServer[] }> {
  const modelNames = names(input.flags['attempt-models']);
  const files = names(input.flags['attempt-scripted-models']);
  const pricing = (name: string): Pricing | undefined => (input.modelFlags.priceInput === undefined && input.modelFlags.priceOutput === undefined ? undefined
    : { [name]: { inputPerMTok: input.modelFlags.priceInput ?? 0, outputPerMTok: input.modelFlags.priceOutput ?? 0 } });
  const scriptedClient = (url: string, i: number) => {
    const name = attemptModelName(modelNames, i, 'scripted');
    return new OpenAIModelClient({ baseURL: url, apiKey: 'scripted', model: name, pricing: pricing(name), extraHeaders: attemptHeader(i) });
  };
  const models: AttemptModel[] = [];
  if (files.length) {
    const servers: ScriptedServer[] = [];
    try {
      for (const file of files) servers.push(await startScriptedServer(resolve(file)));
    } catch (error) {
      await Promise.all(servers.map((server) => server.close()));
      throw error;
    }
    for (let i = 0; i < input.count; i++) {
      const client = scriptedClient(servers[i % servers.length].url, i);
      models.push({ client, label: `${client.model} (${basename(files[i % files.length])})` });
    }
    return { models, servers };
  }
  if (input.base.scripted) {
    for (let i = 0; i < input.count; i++) {
      const client = scriptedClient(input.base.scripted.url, i);
      models.push({ client, label: client.model });
    }
    return { models, servers: [] };
  }
  for (let i = 0; i < input.count; i++) {
    const model = modelNames.length ? attemptModelName(modelNames, i, '') : input.modelFlags.model;
    const built = await buildModel({ ...input.modelFlags, model, headers: [...(input.modelFlags.headers ?? []), `${ATTEMPT_HEADER}: ${i + 1}`] });
    models.push({ client: built.client, label: built.client.model });
  }
  return { models, servers: [] };
}
