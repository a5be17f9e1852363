// Per-hunk review on the terminal (--approve ask), and what carries over between tasks: rules files and memory.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupAll, makeRepo, read, readReport, runCli, scripted, taskArgs } from './support/harness';

describe('review and memory (CLI, scripted model over HTTP)', function () {
  this.timeout(90_000);
  afterEach(cleanupAll);

  it('--approve ask: accepts one hunk, rejects the other with a reason that reaches the model', async () => {
    const repo = makeRepo('calc');
    const twoHunks = { path: 'src/strings.js', edits: [
      { search: '  return text.toUpperCase();', replace: "  return text.toUpperCase() + '!';" },
      { search: 'module.exports = { shout, whisper, title, reverse };', replace: 'module.exports = { shout, whisper, title };' },
    ] };
    const server = await scripted({ turns: [
      { tool_calls: [{ name: 'edit_file', arguments: twoHunks }] },
      { expect: ['Partly applied', 'hunk 2', 'reverse is still used by the CLI'], tool_calls: [{ name: 'finish', arguments: { summary: 'shout adds !' } }] },
    ] });
    const args = taskArgs(repo, server, ['--goal', 'make shout emphatic']).map((a) => (a === 'auto' ? 'ask' : a));
    const run = await runCli(['run', ...args], { input: 'y\nn\nreverse is still used by the CLI\n' });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /hunk 1\/2/);
    const after = read(repo, 'src/strings.js');
    assert.match(after, /toUpperCase\(\) \+ '!'/);
    assert.match(after, /module\.exports = \{ shout, whisper, title, reverse \};/);
    assert.equal(readReport(repo).changes.length, 1);
  });

  it('feeds rules files into the prompt, and memory from one task into the next', async () => {
    const repo = makeRepo('calc');
    writeFileSync(join(repo, 'AGENTS.md'), '# Agents\nAlways use strict equality in this repository.\n');
    const note = 'Tests run with node --test; math lives in src/math.js.';
    const first = await scripted({ turns: [
      { expect: ['Project instructions from AGENTS.md', 'Always use strict equality'], tool_calls: [{ name: 'remember', arguments: { note } }] },
      { tool_calls: [{ name: 'finish', arguments: { summary: 'noted' } }] },
    ] });
    assert.equal((await runCli(['run', ...taskArgs(repo, first, ['--goal', 'learn the repo'])])).code, 0);
    assert.match(read(repo, '.patchpilot/memory.md'), /Tests run with node --test/);
    const second = await scripted({ turns: [
      { expect: ['Project memory (.patchpilot/memory.md)', note], tool_calls: [{ name: 'finish', arguments: { summary: 'ok' } }] },
    ] });
    const run = await runCli(['run', ...taskArgs(repo, second, ['--goal', 'use what you know'])]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(readReport(repo).status, 'unverified', 'no test command: completed, not verified');
  });
});
