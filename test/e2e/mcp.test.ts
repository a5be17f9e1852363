// MCP end to end: a real MCP server of our own (stdio, and streamable HTTP with a bearer token from the
// environment), its tools offered to the model as mcp__notes__*, refused under --approve auto unless allowed, asked
// about (with "always") in review mode, errors and oversized results handled, the stdio server confined by the
// sandbox and gone when the task ends, and bad configuration refused with the exact field.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ScriptedServer } from '../../src/scripted/server';
import { requireSandbox } from '../unit/process/sandboxSupport';
import { cleanupAll, makeRepo, repoRoot, runCli, scripted, taskArgs } from './support/harness';

const SERVER = join(repoRoot, 'test', 'fixtures', 'mcp', 'notes-server.js');
const finish = { tool_calls: [{ name: 'finish', arguments: { summary: 'done' } }] };
const call = (tool: string, args: Record<string, unknown> = {}) => ({ name: `mcp__notes__${tool}`, arguments: args });

function writeConfig(dir: string, servers: Record<string, unknown>): string {
  const file = join(dir, '..', `${dir.split('/').pop()}-mcp.json`);
  writeFileSync(file, JSON.stringify({ servers }));
  return file;
}

function toolResults(server: ScriptedServer, index: number): string[] {
  const messages = (server.requests[index]?.body?.messages ?? []) as { role: string; content: string }[];
  const last = messages.map((m) => m.role).lastIndexOf('assistant');
  return messages.slice(last + 1).filter((m) => m.role === 'tool').map((m) => m.content);
}

function journal(repo: string): { type: string; [key: string]: unknown }[] {
  const dir = join(repo, '.patchpilot', 'tasks');
  return readdirSync(dir).flatMap((name) => readFileSync(join(dir, name), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string }));
}

describe('MCP tools (CLI, a real MCP server)', function () {
  this.timeout(120_000);
  afterEach(cleanupAll);

  it('offers the server\'s tools, refuses them under auto unless allowed, and runs allowed ones with bounded results', async () => {
    const repo = makeRepo('calc');
    mkdirSync(join(repo, 'notes'));
    writeFileSync(join(repo, 'notes', 'todo.md'), 'buy milk\n');
    const config = writeConfig(repo, { notes: { type: 'stdio', command: process.execPath, args: [SERVER] } });

    const refused = await scripted({ turns: [{ tool_calls: [call('add', { a: 2, b: 3 })] }, finish] });
    await runCli(['run', ...taskArgs(repo, refused, ['--goal', 'add', '--mcp-config', config])]);
    const offered = ((refused.requests[0].body?.tools ?? []) as { function: { name: string; description: string } }[]).map((t) => t.function.name);
    assert.ok(['mcp__notes__add', 'mcp__notes__read_note', 'mcp__notes__boom'].every((name) => offered.includes(name)), offered.join(', '));
    assert.match(toolResults(refused, 1)[0], /^ERROR \[needs_person\]: The MCP tool notes\/add may not run unattended.*--allow-mcp notes/);

    const allowed = await scripted({ turns: [
      { tool_calls: [call('add', { a: 2, b: 3 }), call('read_note', { name: 'todo.md' }), call('boom'), call('big'), call('add', { a: 'two' })] },
      finish,
    ] });
    await runCli(['run', ...taskArgs(repo, allowed, ['--goal', 'use the notes', '--mcp-config', config, '--allow-mcp', 'notes'])]);
    const [sum, note, boom, big, invalid] = toolResults(allowed, 1);
    assert.equal(sum, '5');
    assert.equal(note, 'buy milk\n');
    assert.match(boom, /^ERROR \[mcp_error\]: notes\/boom reported an error: the notes database is locked/);
    assert.ok(big.length < 60_000 && /characters of the tool's result left out/.test(big) && big.endsWith('END'), `bounded (${big.length} chars)`);
    assert.match(invalid, /^ERROR \[invalid_arguments\]: Invalid arguments for mcp__notes__add: .*required property 'b'.*\/a must be number/, 'the server\'s own schema is checked before the call');
    const events = journal(repo);
    assert.ok(events.some((e) => e.type === 'mcp_server' && e.state === 'started'));
    assert.ok(events.some((e) => e.type === 'mcp_server' && e.state === 'stopped'));
    assert.ok(events.some((e) => e.type === 'tool_finished' && e.name === 'mcp__notes__add'), 'MCP calls are journaled like any tool');
    const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes('notes-server.js') && !line.includes('ps -eo'));
    assert.deepEqual(left, [], 'the server stopped with the task');
  });

  it('runs the stdio server inside the sandbox: it cannot write outside the workspace', async function () {
    requireSandbox(this);
    const repo = makeRepo('calc');
    const outside = mkdtempSync(join(homedir(), '.pp-mcp-outside-'));
    try {
      const config = writeConfig(repo, { notes: { command: process.execPath, args: [SERVER] } });
      const server = await scripted({ turns: [{ tool_calls: [call('write_file_at', { path: join(outside, 'planted.txt') }), call('write_file_at', { path: join(repo, 'inside.txt') })] }, finish] });
      await runCli(['run', ...taskArgs(repo, server, ['--goal', 'write', '--mcp-config', config, '--allow-mcp', 'notes/write_file_at'])]);
      const [out, inside] = toolResults(server, 1);
      assert.match(out, /could not write .*EROFS|could not write .*ENOENT/);
      assert.ok(!existsSync(join(outside, 'planted.txt')));
      assert.match(inside, /^wrote /);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('asks in review mode, with "always" for the rest of the task', async () => {
    const repo = makeRepo('calc');
    const config = writeConfig(repo, { notes: { command: process.execPath, args: [SERVER] } });
    const server = await scripted({ turns: [{ tool_calls: [call('add', { a: 1, b: 1 })] }, { tool_calls: [call('add', { a: 2, b: 2 })] }, finish] });
    const run = await runCli(['run', ...taskArgs(repo, server, ['--goal', 'add', '--mcp-config', config, '--approve', 'ask'])], { input: 'a\n' });
    assert.equal(toolResults(server, 1)[0], '2');
    assert.equal(toolResults(server, 2)[0], '4');
    assert.equal((run.stdout.match(/Run the MCP tool notes\/add/g) ?? []).length, 1, 'asked once, then always allowed');
  });

  it('talks to a streamable-HTTP server with a bearer token from the environment', async () => {
    const repo = makeRepo('calc');
    const child = spawn(process.execPath, [SERVER, '--http', '0'], { env: { ...process.env, NOTES_TOKEN: 'tok-1234567890' }, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const port = await new Promise<number>((resolve) => child.stdout.on('data', (d: Buffer) => { const m = /listening (\d+)/.exec(d.toString()); if (m) resolve(Number(m[1])); }));
      const config = writeConfig(repo, { notes: { type: 'http', url: `http://127.0.0.1:${port}/mcp`, headers: { Authorization: 'Bearer ${env:NOTES_TOKEN}' } } });
      const server = await scripted({ turns: [{ tool_calls: [call('add', { a: 20, b: 22 })] }, { absent: ['tok-1234567890'], ...finish }] });
      await runCli(['run', ...taskArgs(repo, server, ['--goal', 'add', '--mcp-config', config, '--allow-mcp', 'notes'])], { env: { NOTES_TOKEN: 'tok-1234567890' } });
      assert.equal(toolResults(server, 1)[0], '42');
    } finally {
      child.kill();
    }
  });

  it('refuses a secret written in plain text and a broken entry, naming the field (exit 2)', async () => {
    const repo = makeRepo('calc');
    const plain = writeConfig(repo, { notes: { type: 'http', url: 'http://127.0.0.1:1/mcp', headers: { Authorization: 'Bearer abc123secretvalue' } } });
    const server = await scripted({ turns: [finish] });
    const first = await runCli(['run', ...taskArgs(repo, server, ['--goal', 'x', '--mcp-config', plain])]);
    assert.equal(first.code, 2);
    assert.match(first.stderr, /servers\.notes\.headers\.Authorization holds a secret in plain text; write "\$\{env:NAME\}"/);
    const broken = writeConfig(repo, { notes: { type: 'stdio', args: ['x'] } });
    const second = await runCli(['run', ...taskArgs(repo, server, ['--goal', 'x', '--mcp-config', broken])]);
    assert.equal(second.code, 2);
    assert.match(second.stderr, /servers\.notes\.command must be a non-empty string/);
  });
});
