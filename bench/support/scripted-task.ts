// A long agent task against the scripted model, for the step-overhead, context-growth and memory benchmarks: a
// generated project, a generated script (read many files, edit some, finish), the scripted server in its own
// process (so its request log weighs neither on our heap nor on our event loop), and a timing ModelClient wrapper.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { OpenAIModelClient } from '../../src/agent/model/openaiClient';
import type { ModelClient, ModelReply, ModelRequest } from '../../src/agent/ports';
import { AgentSession } from '../../src/agent/session';
import type { TaskResult } from '../../src/agent/result';
import { autoApprover } from '../../src/cli/approvers';
import { NodeCommandRunner } from '../../src/tools/process/runProcess';
import type { Script, ScriptTurn } from '../../src/scripted/script';
import { repoRoot } from './main';

export interface TaskShape {
  /** Model calls in the task, the last one being `finish`. */
  steps: number;
  /** Every `editEvery`-th step edits a file read before; the others read a new file. */
  editEvery: number;
  linesPerFile: number;
  /** Every `every`-th read step runs a command printing `bytes` bytes instead (the small-window case). */
  largeOutputs?: { every: number; bytes: number };
}

/** Writes `count` distinct TypeScript-like files of `lines` lines each under src/. */
export function generateProject(root: string, count: number, lines: number): void {
  for (let file = 0; file < count; file++) {
    const dir = path.join(root, 'src', `group${Math.floor(file / 50)}`);
    fs.mkdirSync(dir, { recursive: true });
    const body = [`// module ${file}: generated for the Patchpilot benchmarks`];
    for (let line = 1; line < lines; line++) {
      body.push(`export function fn${file}_${line}(value: number): number { return value * ${line} + ${file}; }`);
    }
    fs.writeFileSync(path.join(dir, `module${file}.ts`), body.join('\n') + '\n');
  }
}

export function projectFile(index: number): string {
  return `src/group${Math.floor(index / 50)}/module${index}.ts`;
}

/** How many files the task reads (and so how many the project needs). */
export function readsIn(shape: TaskShape): number {
  let reads = 0;
  for (let step = 1; step < shape.steps; step++) if (step % shape.editEvery !== 0) reads++;
  return reads;
}

/** read_file of a new file per step, an edit of an already-read file every editEvery-th step, then finish. */
export function buildScript(shape: TaskShape): Script {
  const turns: ScriptTurn[] = [];
  let reads = 0;
  let edits = 0;
  for (let step = 1; step < shape.steps; step++) {
    if (step % shape.editEvery === 0) {
      const file = edits++;
      const line = 1 + (file % (shape.linesPerFile - 1));
      const search = `export function fn${file}_${line}(value: number): number { return value * ${line} + ${file}; }`;
      turns.push({ tool_calls: [{ name: 'edit_file', arguments: { path: projectFile(file), edits: [{ search, replace: search.replace('value *', 'value * 2 *') }] } }] });
    } else if (shape.largeOutputs && step % shape.largeOutputs.every === 0) {
      turns.push({ content: 'Printing the log.', tool_calls: [{ name: 'run_command', arguments: { command: `node -e "process.stdout.write('y'.repeat(${shape.largeOutputs.bytes}))"` } }] });
      reads++;
    } else {
      turns.push({ content: `Reading file ${reads}.`, tool_calls: [{ name: 'read_file', arguments: { path: projectFile(reads++) } }] });
    }
  }
  turns.push({ content: 'Done.', tool_calls: [{ name: 'finish', arguments: { summary: `Read ${reads} files and made ${edits} edits.` } }] });
  return { model: 'scripted', turns };
}

export interface ScriptedServerProcess {
  url: string;
  stop(): Promise<void>;
}

/** Starts `patchpilot scripted-server` as a child process and waits for the URL it prints. */
export async function startServerProcess(script: Script, scratch: string): Promise<ScriptedServerProcess> {
  const scriptPath = path.join(scratch, 'script.json');
  fs.writeFileSync(scriptPath, JSON.stringify(script));
  const built = path.join(repoRoot, 'dist', 'cli.js');
  const cli = fs.existsSync(built) ? built : path.join(repoRoot, 'out', 'src', 'cli', 'main.js');
  const child = spawn(process.execPath, [cli, 'scripted-server', '--script', scriptPath, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('http'));
      if (line) resolve(line.trim());
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`scripted server exited (${code}) before serving: ${err}`)));
  });
  return { url, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Wraps a ModelClient to time each complete() and keep the server-reported prompt size of each request. */
export class TimedModelClient implements ModelClient {
  readonly callMs: number[] = [];
  /** performance.now() at the start and end of each call, to find the harness gaps between calls. */
  readonly startedAt: number[] = [];
  readonly endedAt: number[] = [];
  readonly promptTokens: number[] = [];
  readonly messageCounts: number[] = [];

  constructor(private readonly inner: ModelClient, private readonly beforeCall?: (index: number) => void) {}

  get model(): string {
    return this.inner.model;
  }

  async complete(request: ModelRequest): Promise<ModelReply> {
    this.beforeCall?.(this.callMs.length);
    const start = performance.now();
    this.startedAt.push(start);
    const reply = await this.inner.complete(request);
    const end = performance.now();
    this.endedAt.push(end);
    this.callMs.push(end - start);
    // The server counts the messages; the tool schemas travel with every request too.
    this.promptTokens.push(reply.usage.promptTokens + Math.ceil(JSON.stringify(request.tools).length / 4));
    this.messageCounts.push(request.messages.length);
    return reply;
  }
}

export interface TaskRun {
  result: TaskResult;
  /** Wall time of session.run(), ms. */
  runMs: number;
  modelMs: number[];
  toolMs: number[];
  /** Per step (index = step - 1): harness time from the end of its model call to the start of the next, minus its tool time. */
  gapMs: number[];
  promptTokens: number[];
  condensations: number;
  journalBytes: number;
  events: number;
}

export interface TaskRunOptions {
  shape: TaskShape;
  windowTokens: number;
  beforeModelCall?: (index: number) => void;
}

/** Runs one whole task in a fresh temp project; throws unless the task ran every scripted step and finished. */
export async function runScriptedTask(options: TaskRunOptions): Promise<TaskRun> {
  const { shape } = options;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'patchpilot-bench-task-'));
  const project = path.join(scratch, 'project');
  generateProject(project, readsIn(shape), shape.linesPerFile);
  const server = await startServerProcess(buildScript(shape), scratch);
  try {
    const model = new TimedModelClient(new OpenAIModelClient({ baseURL: server.url, apiKey: 'bench', model: 'scripted' }), options.beforeModelCall);
    const session = AgentSession.create({
      goal: 'Read the modules and make the small edits the script asks for.',
      cwd: project, testCommand: null, approval: 'auto', model, runner: new NodeCommandRunner(), approver: autoApprover,
      journalDir: path.join(scratch, 'journal'),
      budgets: { maxSteps: shape.steps + 5, maxWallMs: null },
      context: { windowTokens: options.windowTokens },
    });
    const toolStarts = new Map<string, number>();
    const toolMs: number[] = [];
    const toolMsByStep = new Map<number, number>();
    let condensations = 0;
    let events = 0;
    // Listeners run synchronously inside Journal.append, so performance.now() here is the event's own moment.
    session.onEvent((event) => {
      events++;
      if (event.type === 'tool_started') toolStarts.set(event.id, performance.now());
      if (event.type === 'tool_finished') {
        const start = toolStarts.get(event.id);
        if (start !== undefined) {
          const ms = performance.now() - start;
          toolMs.push(ms);
          toolMsByStep.set(event.step, (toolMsByStep.get(event.step) ?? 0) + ms);
        }
      }
      if (event.type === 'context_condensed') condensations++;
    });
    const start = performance.now();
    const result = await session.run();
    const runMs = performance.now() - start;
    // No test command: the task ends "unverified" (finished, nothing to check it with).
    if (result.status !== 'unverified' || result.steps !== shape.steps) {
      throw new Error(`The scripted task ended early: ${result.status} (${result.reason}) after ${result.steps} of ${shape.steps} steps: ${result.summary}`);
    }
    const journalBytes = fs.readdirSync(path.join(scratch, 'journal')).reduce((total, name) => total + fs.statSync(path.join(scratch, 'journal', name)).size, 0);
    const gapMs = model.startedAt.slice(1).map((next, i) => next - model.endedAt[i] - (toolMsByStep.get(i + 1) ?? 0));
    return { result, runMs, modelMs: model.callMs, toolMs, gapMs, promptTokens: model.promptTokens, condensations, journalBytes, events };
  } finally {
    await server.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
