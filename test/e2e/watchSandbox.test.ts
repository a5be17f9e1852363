// `patchpilot watch` runs the person's test command in the sandbox a session's commands get (workspace-write): a test
// command that writes outside the workspace is blocked there and the run reads as failing; with `--sandbox off` (the
// explicit way out) the same command does write, so the difference is the sandbox's.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { requireSandbox } from '../unit/process/sandboxSupport';
import { cleanupAll, cliPath, makeRepo } from './support/harness';

async function watchUntil(args: string[], done: (output: string) => boolean): Promise<{ output: string; code: number | null }> {
  const child = spawn(process.execPath, [cliPath, 'watch', ...args], { env: { ...process.env, OPENAI_API_KEY: 'test-key' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const seen = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`watch did not get there in time:\n${output}`)), 60_000);
    const onData = (data: Buffer) => {
      output += data.toString();
      if (done(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
  try {
    await seen;
  } finally {
    child.kill('SIGTERM');
  }
  return { output, code: await exited };
}

describe('watch runs its tests in the sandbox (real CLI)', function () {
  this.timeout(90_000);
  let outside: string;
  beforeEach(() => {
    outside = realpathSync(mkdtempSync(join(homedir(), '.pp-e2e-watch-outside-')));
    writeFileSync(join(outside, 'keep.txt'), 'the person\'s other project\n');
  });
  afterEach(async () => {
    await cleanupAll();
    rmSync(outside, { recursive: true, force: true });
  });

  it('blocks a test command that writes outside the workspace; --sandbox off lets it (so the sandbox is what blocked it)', async function () {
    requireSandbox(this);
    const cwd = makeRepo('calc');
    const planted = join(outside, 'planted.txt');
    const test = `node -e "require('fs').writeFileSync('${planted}', 'x')" && node --test`;
    const confined = await watchUntil(['--cwd', cwd, '--test', test, '--debounce', '100'], (output) => /\[watch\] tests (pass|fail)/.test(output));
    assert.equal(confined.code, 0, confined.output);
    assert.match(confined.output, /\[watch\] tests run in the sandbox \(bubblewrap, workspace-write\)/);
    assert.match(confined.output, /\[watch\] tests fail \(exit 1/);
    assert.equal(existsSync(planted), false, 'the write outside the workspace was blocked');
    assert.deepEqual(readdirSync(outside), ['keep.txt']);

    const unconfined = await watchUntil(['--cwd', cwd, '--test', test, '--debounce', '100', '--sandbox', 'off'], (output) => /\[watch\] tests (pass|fail)/.test(output));
    assert.match(unconfined.output, /sandbox is off/);
    assert.equal(existsSync(planted), true, 'without the sandbox the same command writes outside');
  });
});
