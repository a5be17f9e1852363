// MCP in VS Code: a server from the person's settings and one from the workspace's .vscode/mcp.json (used only after
// the person allows it), their tools called by the model, the question with "Always Allow" answered in the panel.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { driver } from './driver';
import { nextTaskResult, patchpilot, requestText, resetWorkspace, setSetting, useScriptedModel, workspaceRoot } from './helpers';

const SERVER = path.resolve(__dirname, '../../../../test/fixtures/mcp/notes-server.js');

describe('MCP servers in VS Code', () => {
  before(() => resetWorkspace());
  after(async () => {
    await setSetting('mcp.servers', undefined);
    await setSetting('mcp.allow', undefined);
    resetWorkspace();
  });

  it('asks before an MCP tool (Always Allow for the rest of the task), and uses the workspace file once allowed', async () => {
    await setSetting('approval.newTask', 'ask');
    await setSetting('mcp.servers', { notes: { type: 'stdio', command: process.execPath, args: [SERVER] } });
    fs.mkdirSync(path.join(workspaceRoot(), '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(workspaceRoot(), '.vscode', 'mcp.json'),
      `{\n  // the workspace's own server\n  "servers": { "wsnotes": { "command": ${JSON.stringify(process.execPath)}, "args": [${JSON.stringify(SERVER)}] } },\n}\n`);
    const host = await patchpilot();
    const serverIndex = await useScriptedModel({ turns: [
      { tool_calls: [{ name: 'mcp__notes__add', arguments: { a: 2, b: 3 } }] },
      { expect: ['5'], tool_calls: [{ name: 'mcp__notes__add', arguments: { a: 4, b: 5 } }, { name: 'mcp__wsnotes__add', arguments: { a: 1, b: 1 } }] },
      { expect: ['9'], tool_calls: [{ name: 'finish', arguments: { summary: 'Added.' } }] },
    ] });
    const finished = nextTaskResult(host);
    void host.runCommand('patchpilot.newTask', ['Add some numbers']);
    // The workspace's servers need the person's yes first.
    await driver.ui('clickNotificationButton', { message: '.vscode/mcp.json defines MCP servers', button: 'Allow' });
    await driver.ui('webviewWaitFor', { selector: '#question-command', hasText: 'MCP tool notes/add' });
    await driver.ui('screenshot', { name: 'mcp-question' });
    await driver.ui('webviewClick', { selector: '#question-always' });
    // The second notes/add runs without asking; wsnotes/add asks (a different server), answered Run.
    await driver.ui('webviewWaitFor', { selector: '#question-command', hasText: 'MCP tool wsnotes/add' });
    await driver.ui('webviewClick', { selector: '#question-run' });
    const result = await finished;
    assert.equal(result.status, 'unverified', result.summary);
    const { requests, violations } = await driver.scriptedRequests(serverIndex);
    assert.deepEqual(violations, []);
    assert.match(requestText(requests[2]), /\b9\b/);
    assert.match(requestText(requests[2]), /\b2\b/);
    const tools = (requests[0].body as { tools?: { function: { name: string } }[] }).tools?.map((t) => t.function.name) ?? [];
    assert.ok(tools.includes('mcp__notes__add') && tools.includes('mcp__wsnotes__add'), tools.join(', '));
  });
});
