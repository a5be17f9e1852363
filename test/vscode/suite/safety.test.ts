// Safe autonomy inside VS Code: the built-in protected paths apply in the extension too (a protectedPaths setting only
// adds to them), and commands run in the sandbox — a command the person allowed still cannot read .env.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { driver } from './driver';
import { nextTaskResult, patchpilot, readWorkspaceFile, requestText, resetWorkspace, setSetting, useScriptedModel, workspaceRoot } from './helpers';

const SECRET = 'vscode-secret-8f3e2a1b';
const PEEK = `node -e "console.log(require('fs').readFileSync('.env', 'utf8'))"`;

const script = {
  turns: [
    { expect: ['Look for credentials'], tool_calls: [
      { name: 'read_file', arguments: { path: '.env' } },
      { name: 'write_file', arguments: { path: '.git/config', content: '[core]\n\thooksPath = /tmp/evil\n' } },
      { name: 'search_text', arguments: { query: SECRET } },
      { name: 'read_file', arguments: { path: 'data/app.sqlite' } },
      { name: 'run_command', arguments: { command: PEEK } },
      { name: 'run_command', arguments: { command: 'cat config.json' } },
    ] },
    { absent: [SECRET], tool_calls: [{ name: 'finish', arguments: { summary: 'No credentials reachable.' } }] },
  ],
};

describe('safety in VS Code', () => {
  before(async () => {
    resetWorkspace();
    fs.writeFileSync(path.join(workspaceRoot(), '.env'), `API_TOKEN=${SECRET}\n`);
    fs.mkdirSync(path.join(workspaceRoot(), 'data'), { recursive: true });
    fs.writeFileSync(path.join(workspaceRoot(), 'data', 'app.sqlite'), 'rows\n');
    // The same value in an ordinary file: readable, but masked wherever it is shown.
    fs.writeFileSync(path.join(workspaceRoot(), 'config.json'), `{ "token": "${SECRET}" }\n`);
    // The person adds a pattern and allows the inline node command: neither may switch the built-in protection off.
    await setSetting('protectedPaths', ['*.sqlite']);
    await setSetting('commands.allow', ['node -e *']);
    await setSetting('approval.newTask', 'auto');
  });
  after(async () => {
    await setSetting('protectedPaths', undefined);
    await setSetting('commands.allow', undefined);
    await setSetting('approval.newTask', undefined);
    resetWorkspace();
  });

  it('cannot read .env or write .git/config, and a command cannot read .env inside the sandbox', async () => {
    const configBefore = readWorkspaceFile('.git/config');
    const host = await patchpilot();
    const serverIndex = await useScriptedModel(script);
    const finished = nextTaskResult(host);
    void host.runCommand('patchpilot.newTask', ['Look for credentials']);
    const result = await finished;
    assert.equal(readWorkspaceFile('.git/config'), configBefore);
    const { requests } = await driver.scriptedRequests(serverIndex);
    const seen = requestText(requests[1]);
    assert.ok(!seen.includes(SECRET), 'the secret never reached the model');
    assert.equal((seen.match(/ERROR \[protected_path\]/g) ?? []).length, 3, '.env, .git/config and the added *.sqlite pattern');
    assert.doesNotMatch(seen, /^\.env:\d+/m, 'search_text skips the protected file');
    assert.match(seen, /^config\.json:1:.*\[secret \.env:API_TOKEN hidden by Patchpilot\]/m, 'and masks the value where it finds it elsewhere');
    assert.match(seen, /cannot be read: protected files/, 'the sandbox hid .env from the allowed command');
    assert.match(host.runner.transcript(), /sandbox: workspace-write/, 'the terminal says the command ran sandboxed');
    assert.ok(!host.runner.transcript().includes(SECRET), 'the terminal echo is masked too');
    assert.match(host.runner.transcript(), /\[secret \.env:API_TOKEN hidden by Patchpilot\]/);
    assert.equal(result?.safety?.sandbox, 'workspace-write');
    await driver.ui('webviewWaitFor', { selector: '.entry.note', hasText: 'Commands run in the sandbox' });
  });
});
