// The GitHub Action's entry point run as GitHub runs it: `node dist/action.js` with INPUT_* variables and the
// GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files in a temp folder, against the scripted model over real HTTP.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupAll, git, makeRepo, repoRoot } from './support/harness';

const SECRET = 'sk-test-SECRET-4242';

function runAction(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'dist', 'action.js')], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Reads GITHUB_OUTPUT's `name<<DELIMITER` records. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i]);
    if (!match) continue;
    const end = lines.indexOf(match[2], i + 1);
    outputs[match[1]] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return outputs;
}

describe('GitHub Action (dist/action.js, scripted model over HTTP)', function () {
  this.timeout(90_000);
  let temp: string;
  beforeEach(() => {
    temp = mkdtempSync(join(tmpdir(), 'pp-action-'));
    writeFileSync(join(temp, 'output'), '');
    writeFileSync(join(temp, 'summary'), '');
  });
  afterEach(async () => {
    await cleanupAll();
    rmSync(temp, { recursive: true, force: true });
  });

  const githubEnv = (cwd: string, script: object) => {
    const scriptPath = join(temp, 'script.json');
    writeFileSync(scriptPath, JSON.stringify(script));
    return { GITHUB_WORKSPACE: cwd, RUNNER_TEMP: temp, GITHUB_OUTPUT: join(temp, 'output'), GITHUB_STEP_SUMMARY: join(temp, 'summary'),
      PATCHPILOT_SCRIPTED_MODEL: scriptPath, 'INPUT_FIX-TESTS': 'true', INPUT_TEST: 'node --test', 'INPUT_API-KEY': SECRET, INPUT_SANDBOX: 'workspace-write' };
  };

  it('fixes the failing test: outputs, job summary and patch written, the key masked, nothing committed or pushed', async () => {
    const cwd = makeRepo('calc');
    const remote = mkdtempSync(join(tmpdir(), 'pp-action-remote-'));
    try {
      git(remote, 'init', '-q', '--bare');
      git(cwd, 'remote', 'add', 'origin', remote);
      git(cwd, 'push', '-q', 'origin', 'HEAD:refs/heads/main');
      const before = { head: git(cwd, 'rev-parse', 'HEAD'), remote: git(cwd, 'ls-remote', 'origin'), branches: git(cwd, 'branch', '-a') };
      const result = await runAction(githubEnv(cwd, { turns: [
        { expect: ['Goal: make the failing tests pass'], absent: [SECRET], tool_calls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: '  return a - b;', replace: '  return a + b;' }] } }] },
        { absent: [SECRET], tool_calls: [{ name: 'finish', arguments: { summary: 'add() subtracted; it adds now.' } }] }] }));
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.ok(result.stdout.startsWith(`::add-mask::${SECRET}\n`), 'the key is masked before anything else is printed');
      assert.equal(result.stdout.split(SECRET).length, 2, 'the key appears only in the mask command');
      const outputs = parseOutputs(readFileSync(join(temp, 'output'), 'utf8'));
      assert.equal(outputs.status, 'verified');
      const report = JSON.parse(readFileSync(outputs.report, 'utf8')) as { status: string };
      assert.equal(report.status, 'verified');
      const summary = readFileSync(join(temp, 'summary'), 'utf8');
      assert.match(summary, /## ✅ Patchpilot: verified/);
      assert.match(summary, /\*\*Verdict:\*\* The tests pass/);
      assert.match(summary, /<details><summary>Diff \(1 file: src\/math.js\)<\/summary>[\s\S]*\+ {2}return a \+ b;[\s\S]*<\/details>/);
      assert.deepEqual({ head: git(cwd, 'rev-parse', 'HEAD'), remote: git(cwd, 'ls-remote', 'origin'), branches: git(cwd, 'branch', '-a') }, before,
        'no commit, no branch, no push');
      assert.equal(git(cwd, 'status', '--porcelain').trim(), 'M src/math.js', 'the fix is left in the working tree');
      // The patch output reproduces the fix on a clean checkout.
      const patch = readFileSync(outputs.patch, 'utf8');
      git(cwd, 'stash', '-q');
      git(cwd, 'apply', outputs.patch);
      assert.match(readFileSync(join(cwd, 'src', 'math.js'), 'utf8'), /return a \+ b;/);
      assert.match(patch, /^diff --git a\/src\/math.js b\/src\/math.js/);
    } finally {
      rmSync(remote, { recursive: true, force: true });
    }
  });

  it('attempts: two attempts in worktrees, the judge keeps the right one, and its fix is the patch', async () => {
    const cwd = makeRepo('calc');
    const wrong = { path: 'src/math.js', edits: [{ search: '  return a - b;', replace: '  return b - a;' }] };
    const right = { path: 'src/math.js', edits: [{ search: '  return a - b;', replace: '  return a + b;' }] };
    const lane = (edit: object, summary: string) => ({ turns: [
      { tool_calls: [{ name: 'edit_file', arguments: edit }] }, { tool_calls: [{ name: 'finish', arguments: { summary } }] },
      // A wrong attempt is told its tests fail and may answer once more before its budget share ends.
      { tool_calls: [{ name: 'finish', arguments: { summary } }] }] });
    const result = await runAction({ ...githubEnv(cwd, { attempts: [lane(wrong, 'swapped the operands'), lane(right, 'add() adds')] }), INPUT_ATTEMPTS: '2' });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const outputs = parseOutputs(readFileSync(join(temp, 'output'), 'utf8'));
    assert.equal(outputs.status, 'verified');
    const report = JSON.parse(readFileSync(outputs.report, 'utf8')) as { chosenAttempt: string | null; attempts: { id: string; verified: boolean }[] };
    assert.equal(report.chosenAttempt, 'attempt-2');
    assert.deepEqual(report.attempts.map((a) => [a.id, a.verified]), [['attempt-1', false], ['attempt-2', true]]);
    assert.match(readFileSync(outputs.patch, 'utf8'), /\+ {2}return a \+ b;/);
    assert.match(readFileSync(join(cwd, 'src', 'math.js'), 'utf8'), /return a \+ b;/);
  });

  it('a failure it could not fix becomes an ::error annotation at the test\'s file and line, and the step fails', async () => {
    const cwd = makeRepo('calc');
    const env = { ...githubEnv(cwd, { turns: [{ tool_calls: [{ name: 'finish', arguments: { summary: 'Nothing to do.' } }] }] }), 'INPUT_MAX-STEPS': '1' };
    const result = await runAction(env);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const outputs = parseOutputs(readFileSync(join(temp, 'output'), 'utf8'));
    assert.notEqual(outputs.status, 'verified');
    assert.match(result.stdout, /^::error file=test\/math.test.js,line=\d+,title=Patchpilot could not fix%3A add sums two numbers::/m);
    assert.match(readFileSync(join(temp, 'summary'), 'utf8'), /Patchpilot: (stopped|failed)/);
  });

  it('bad inputs fail the step with an annotation that says what to give', async () => {
    const cwd = makeRepo('calc');
    const result = await runAction({ ...githubEnv(cwd, { turns: [{ content: 'unused' }] }), 'INPUT_FIX-TESTS': 'yes' });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /::error title=Patchpilot inputs::Input "fix-tests" must be true or false, not "yes"\./);
  });
});
