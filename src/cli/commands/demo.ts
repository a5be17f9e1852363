// `patchpilot demo`: the real loop on a copy of a sample project with a failing test, against the built-in scripted
// model (no API key, no network): plan, tool calls, test runs, the reflection after a wrong first fix, the final diff.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCommand } from './run';

const GIT_ENV = { GIT_AUTHOR_NAME: 'Patchpilot Demo', GIT_AUTHOR_EMAIL: 'demo@patchpilot.invalid', GIT_COMMITTER_NAME: 'Patchpilot Demo', GIT_COMMITTER_EMAIL: 'demo@patchpilot.invalid' };

export function samplesDir(): string {
  // dist/cli.js and out/src/cli/commands/demo.js both sit below the package root.
  for (const candidate of [resolve(__dirname, '..', 'samples'), resolve(__dirname, '..', '..', '..', '..', 'samples')]) {
    if (existsSync(join(candidate, 'demo-script.json'))) return candidate;
  }
  throw new Error('The demo sample project is missing (samples/ next to dist/).');
}

export async function demoCommand(argv: string[]): Promise<number> {
  const samples = samplesDir();
  const project = mkdtempSync(join(tmpdir(), 'patchpilot-demo-'));
  cpSync(join(samples, 'demo-project'), project, { recursive: true });
  try {
    execFileSync('git', ['init', '-q'], { cwd: project });
    execFileSync('git', ['add', '-A'], { cwd: project });
    execFileSync('git', ['commit', '-qm', 'sample project'], { cwd: project, env: { ...process.env, ...GIT_ENV } });
  } catch {
    process.stdout.write('(git is not available: the demo runs without a git checkpoint)\n');
  }
  process.stdout.write([
    'Patchpilot demo',
    'The model in this demo is SCRIPTED: a local OpenAI-compatible server replays samples/demo-script.json over real HTTP.',
    'Everything else is real: the agent loop, the tools, the edits, the test runs (`node --test`) and the journal.',
    `Sample project copied to ${project}`,
    '',
  ].join('\n') + '\n');
  const code = await runCommand('fix-tests', [
    '--cwd', project, '--test', 'node --test', '--approve', 'auto', '--scripted-model', join(samples, 'demo-script.json'), ...argv,
  ]);
  process.stdout.write([
    '',
    code === 0 ? 'The tests pass. The changes above are in ' + project : 'The demo did not reach passing tests (exit ' + code + ').',
    '',
    'Run the same loop against a real model:',
    '  OpenAI:    OPENAI_API_KEY=sk-… node dist/cli.js fix-tests --cwd DIR --test "npm test" --model gpt-4.1',
    '  Ollama:    node dist/cli.js fix-tests --cwd DIR --test "npm test" --base-url http://localhost:11434/v1 --model qwen2.5-coder',
    '  LM Studio: node dist/cli.js fix-tests --cwd DIR --test "npm test" --base-url http://localhost:1234/v1 --model <loaded model>',
    '',
  ].join('\n'));
  return code;
}
