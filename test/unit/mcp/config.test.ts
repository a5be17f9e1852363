// MCP configuration: VS Code's mcp.json shape, errors that name the field, no plain-text secrets, references
// resolved, tool names sanitised, the allow rules.
import * as assert from 'node:assert/strict';
import { McpConfigError, mcpAllowed, mcpToolName, parseMcpConfig, resolveReferences } from '../../../src/tools/mcp/config';

describe('MCP configuration', () => {
  it('reads stdio and http servers in VS Code\'s mcp.json shape (and the mcpServers spelling)', () => {
    const servers = parseMcpConfig({ servers: {
      files: { type: 'stdio', command: 'node', args: ['server.js'], env: { LOG: 'debug', API_TOKEN: '${env:FILES_TOKEN}' } },
      search: { url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer ${secret:search}' } },
    } }, '.vscode/mcp.json');
    assert.deepEqual(servers.map((s) => [s.name, s.type]), [['files', 'stdio'], ['search', 'http']]);
    assert.equal(parseMcpConfig({ mcpServers: { a: { command: 'x' } } }, 'f').length, 1);
    assert.deepEqual(parseMcpConfig({}, 'f'), []);
  });

  it('names the exact field that is wrong', () => {
    const cases: [unknown, RegExp][] = [
      [{ servers: { a: { type: 'stdio' } } }, /f: servers\.a\.command must be a non-empty string/],
      [{ servers: { a: { command: 'x', args: 'y' } } }, /servers\.a\.args must be a list of strings/],
      [{ servers: { a: { type: 'http', url: 'ftp://x' } } }, /servers\.a\.url must be an http\(s\) URL/],
      [{ servers: { a: { type: 'ws', url: 'x' } } }, /servers\.a\.type must be "stdio" or "http"/],
      [{ servers: { 'bad name!': { command: 'x' } } }, /a server name may use letters/],
      [{ servers: { a: { command: 'x', env: { N: 1 } } } }, /servers\.a\.env\.N must be a string/],
      [[], /the file must hold a JSON object/],
    ];
    for (const [value, message] of cases) assert.throws(() => parseMcpConfig(value, 'f'), (e: unknown) => e instanceof McpConfigError && message.test(e.message));
  });

  it('refuses secrets in plain text, accepts references', () => {
    assert.throws(() => parseMcpConfig({ servers: { a: { url: 'http://x', headers: { Authorization: 'Bearer sk-live-123' } } } }, 'f'), /holds a secret in plain text/);
    assert.throws(() => parseMcpConfig({ servers: { a: { command: 'x', env: { GITHUB_TOKEN: 'ghp_abc' } } } }, 'f'), /GITHUB_TOKEN holds a secret/);
    assert.doesNotThrow(() => parseMcpConfig({ servers: { a: { command: 'x', env: { GITHUB_TOKEN: '${env:GITHUB_TOKEN}', MODE: 'fast' } } } }, 'f'));
  });

  it('resolves references and names a missing one', async () => {
    const lookup = async (kind: string, name: string) => (kind === 'env' && name === 'T' ? 'v1' : undefined);
    assert.deepEqual(await resolveReferences({ Authorization: 'Bearer ${env:T}' }, 'h', lookup), { Authorization: 'Bearer v1' });
    await assert.rejects(resolveReferences({ X: '${secret:nope}' }, 'servers.a.headers', lookup), /servers\.a\.headers\.X needs \$\{secret:nope\}, which is not set/);
  });

  it('sanitises tool names to what the chat APIs accept, and matches allow rules by server or tool', () => {
    assert.equal(mcpToolName('git.hub', 'create issue'), 'mcp__git_hub__create_issue');
    assert.ok(mcpToolName('s', 'x'.repeat(100)).length <= 64);
    assert.ok(mcpAllowed(['notes'], 'notes', 'add'));
    assert.ok(mcpAllowed(['notes/add'], 'notes', 'add'));
    assert.ok(!mcpAllowed(['notes/add'], 'notes', 'delete'));
    assert.ok(!mcpAllowed([], 'notes', 'add'));
  });
});
