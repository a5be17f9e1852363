// attempts_ms: three parallel attempts against three sequential ones (the same orchestrator with --parallel 3 vs 1,
// interleaved) on a small project with a real failing test, a scripted model that takes MODEL_DELAY_MS per reply, and
// sandboxed test runs; and worktree_create_ms: createWorktree (checkpoint, worktree, linked ignored entries) on the
// 50,000-file tree of the search benchmark, against a bare `git worktree add` of the same commit in the same run.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { OpenAIModelClient } from '../src/agent/model/openaiClient';
import { runAttempts } from '../src/agent/orchestrator/attempts';
import { autoApprover } from '../src/cli/approvers';
import { startScriptedServer } from '../src/scripted/server';
import type { Script, ScriptTurn } from '../src/scripted/script';
import { createWorktree, removeWorktree } from '../src/tools/changes/worktrees';
import { NodeCommandRunner } from '../src/tools/process/runProcess';
import { spillDirFor } from '../src/agent/projectContext';
import { ensureTree } from './search';
import { benchMain, workDir } from './support/main';
import { median, round, type BenchEntries } from './support/stats';

const ATTEMPTS = 3;
const RUNS = 3;
const MODEL_DELAY_MS = 400;
const WORKTREE_RUNS = 3;
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.invalid', ...args],
  { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 });

function makeProject(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-bench-attempts-'));
  fs.mkdirSync(path.join(root, 'src'));
  fs.mkdirSync(path.join(root, 'test'));
  fs.writeFileSync(path.join(root, 'src', 'math.js'), "'use strict';\nfunction add(a, b) {\n  return a - b;\n}\nmodule.exports = { add };\n");
  fs.writeFileSync(path.join(root, 'test', 'math.test.js'),
    "'use strict';\nconst test = require('node:test');\nconst assert = require('node:assert/strict');\nconst { add } = require('../src/math');\ntest('add sums', () => assert.equal(add(2, 3), 5));\n");
  fs.writeFileSync(path.join(root, 'package.json'), '{ "name": "bench-attempts", "private": true }\n');
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'start');
  return root;
}

/** Each attempt: read, edit, finish — three model replies of MODEL_DELAY_MS each, then a sandboxed test run. */
function script(): Script {
  const turn = (call: ScriptTurn['tool_calls']): ScriptTurn => ({ tool_calls: call, delay_ms: MODEL_DELAY_MS });
  const attempt = {
    turns: [
      turn([{ name: 'read_file', arguments: { path: 'src/math.js' } }]),
      turn([{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: '  return a - b;', replace: '  return a + b;' }] } }]),
      turn([{ name: 'finish', arguments: { summary: 'add adds' } }]),
    ],
  };
  return { turns: [], attempts: Array.from({ length: ATTEMPTS }, () => attempt) };
}

async function timeAttempts(parallel: number): Promise<number> {
  const root = makeProject();
  const server = await startScriptedServer(script());
  try {
    const models = Array.from({ length: ATTEMPTS }, (_, i) => ({
      client: new OpenAIModelClient({ baseURL: server.url, apiKey: 'scripted', model: 'scripted', extraHeaders: { 'X-Patchpilot-Attempt': String(i + 1) } }),
      label: 'scripted',
    }));
    const start = performance.now();
    const result = await runAttempts({
      task: { goal: 'make the failing tests pass', cwd: root, testCommand: 'node --test', approval: 'auto', model: models[0].client,
        runner: new NodeCommandRunner({ spillDir: spillDirFor(root) }), approver: autoApprover, journalDir: path.join(root, '.patchpilot', 'tasks') },
      models, parallel, attemptApprover: autoApprover, runnerFor: (worktree) => new NodeCommandRunner({ spillDir: spillDirFor(worktree) }),
    });
    const ms = performance.now() - start;
    if (result.status !== 'verified' || result.attempts.some((a) => !a.verified)) throw new Error(`attempts did not verify: ${JSON.stringify(result.attempts.map((a) => [a.id, a.status, a.reason]))}`);
    return ms;
  } finally {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function measureWorktrees(): Promise<{ ours: number[]; bare: number[]; files: number; generatedMs: number }> {
  const root = path.join(workDir, 'search-tree');
  const generatedMs = ensureTree(root);
  const ours: number[] = [];
  const bare: number[] = [];
  for (let run = 0; run < WORKTREE_RUNS; run++) {
    // Alternating which goes first, so neither always meets a warm (or a busy) disk.
    const bareFirst = run % 2 === 1;
    const timeBare = (commit: string, folder: string) => {
      const start = performance.now();
      git(root, 'worktree', 'add', '-q', '--detach', '--force', folder, commit);
      bare.push(performance.now() - start);
      git(root, 'worktree', 'remove', '--force', folder);
    };
    const start = performance.now();
    const worktree = await createWorktree(root, { purpose: 'bench', label: 'bench' });
    const createdMs = performance.now() - start;
    if (bareFirst) {
      // The checkpoint commit exists now; time the bare add, then createWorktree again from scratch.
      timeBare(worktree.baseCommit, `${worktree.path}-bare`);
      await removeWorktree(worktree);
      const again = performance.now();
      const second = await createWorktree(root, { purpose: 'bench', label: 'bench' });
      ours.push(performance.now() - again);
      await removeWorktree(second);
    } else {
      ours.push(createdMs);
      timeBare(worktree.baseCommit, `${worktree.path}-bare`);
      await removeWorktree(worktree);
    }
  }
  const files = Number(git(root, 'ls-files', '-z').split('\0').filter(Boolean).length);
  return { ours, bare, files, generatedMs };
}

export async function measureAttempts(): Promise<BenchEntries> {
  const parallelMs: number[] = [];
  const sequentialMs: number[] = [];
  await timeAttempts(ATTEMPTS); // warm-up: sandbox, module caches
  for (let run = 0; run < RUNS; run++) {
    parallelMs.push(await timeAttempts(ATTEMPTS));
    sequentialMs.push(await timeAttempts(1));
  }
  const par = median(parallelMs);
  const seq = median(sequentialMs);
  const wt = await measureWorktrees();
  const ours = median(wt.ours);
  const bare = median(wt.bare);
  const cores = os.availableParallelism();
  return {
    attempts_ms: {
      value: round(par, 0), unit: 'ms', runs: RUNS, attempts: ATTEMPTS, cores, model_delay_ms: MODEL_DELAY_MS,
      parallel_ms: round(par, 0), sequential_ms: round(seq, 0), ratio_parallel_to_sequential: round(par / seq, 2),
      summary: `${ATTEMPTS} attempts (3 model replies of ${MODEL_DELAY_MS} ms + a sandboxed test run each) on ${cores} cores, median of ${RUNS}: parallel ${round(par, 0)} ms vs sequential ${round(seq, 0)} ms (${round(par / seq, 2)}x)`,
    },
    worktree_create_ms: {
      value: round(ours, 0), unit: 'ms', runs: WORKTREE_RUNS, files: wt.files, baseline_git_worktree_add_ms: round(bare, 0), ratio_to_git_worktree_add: round(ours / bare, 2),
      tree_generated_ms: wt.generatedMs,
      summary: `createWorktree on ${wt.files.toLocaleString('en-US')} files, median of ${WORKTREE_RUNS}: ${round(ours, 0)} ms (checkpoint + worktree + links) vs bare git worktree add ${round(bare, 0)} ms (${round(ours / bare, 2)}x)`,
    },
  };
}

benchMain(module, measureAttempts);
