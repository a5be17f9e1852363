// VS Code models: Patchpilot on a chat model that another extension contributes to vscode.lm (the scripted models of
// test/vscode/lm-test-extension). Select Model lists them in their own section; Fix Failing Tests runs on one to a
// verified result with real tool calls and tool results sent back as ToolResultParts, the reply streaming into the
// chat and tokens counted by the model; consent refused, a used-up quota and a model that is gone are each one plain
// message with Select Model as the way out.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { driver } from './driver';
import { nextTaskResult, patchpilot, readWorkspaceFile, resetWorkspace, setSetting, waitFor } from './helpers';

const CODER = 'vscode-lm:patchpilot-test/fake-coder';
const GUARDED = 'vscode-lm:patchpilot-test/fake-guarded';

type Part = { type: 'text'; text: string } | { type: 'toolCall'; callId: string; name: string; input: unknown } | { type: 'toolResult'; callId: string; text: string } | { type: 'other' };
interface FakeState {
  api: string;
  requests: { model: string; turn: number | null; outcome: string; tools: string[]; toolMode: number | null; messages: { role: string; parts: Part[] }[] }[];
  tokenCounts: { kind: 'text' | 'message'; count: number }[];
  remaining: number;
  violations: string[];
}

async function useFakeModel(model: string, script: unknown): Promise<void> {
  await vscode.commands.executeCommand('patchpilotTest.lm.setScript', script);
  await setSetting('model', model);
}

const fakeState = async (): Promise<FakeState> => (await vscode.commands.executeCommand<FakeState>('patchpilotTest.lm.state'));

const READING = 'Let me run the tests first and read what fails, then fix the cause in the code rather than the tests. ';

const fixScript = {
  turns: [
    { expect: ['Make the failing tests pass', 'node --test test/'], content: READING.repeat(3), chunk_delay_ms: 40,
      tool_calls: [{ name: 'run_tests', arguments: {} }] },
    { expect: ['not ok 1 - add adds two numbers'], tool_calls: [{ name: 'read_file', arguments: { path: 'src/math.js' } }] },
    { expect: ['return a - b;'], content: 'add() subtracts; it must add.',
      tool_calls: [{ name: 'edit_file', arguments: { path: 'src/math.js', edits: [{ search: 'return a - b;', replace: 'return a + b;' }] } }] },
    { tool_calls: [{ name: 'finish', arguments: { summary: 'add() adds with + now.' } }] },
  ],
};

describe('VS Code models (vscode.lm)', () => {
  before(async () => {
    resetWorkspace();
    // The test extension registers its models once it is activated; VS Code lists them from then on.
    await waitFor(async () => (await vscode.lm.selectChatModels({ vendor: 'patchpilot-test' })).length === 2, 'the test models in vscode.lm', 30000);
  });

  after(async () => {
    await setSetting('model', undefined);
  });

  it('Select Model lists the VS Code models in their own section and saves vscode-lm:<vendor>/<id>', async () => {
    const { api } = await fakeState();
    assert.equal(api, typeof (vscode.lm as { registerLanguageModelChatProvider?: unknown }).registerLanguageModelChatProvider === 'function'
      ? 'registerLanguageModelChatProvider' : 'registerChatModelProvider', `VS Code ${vscode.version}`);
    await driver.ui('runCommand', { title: 'Patchpilot: Select Model' });
    const state = await driver.ui<{ placeholder: string; labels: string[] }>('quickPickState', { contains: 'Fake Coder' });
    assert.ok(state.labels.includes('Fake Guarded'), `both test models are listed (saw ${state.labels.join(', ')})`);
    assert.ok(state.labels.includes('gpt-4.1-mini'), 'the configured OpenAI-compatible names stay beside them');
    await driver.ui('screenshot', { name: 'select-model-vscode-models' });
    await driver.ui('quickInput', { value: 'Fake Coder', pick: 'Fake Coder' });
    await waitFor(() => vscode.workspace.getConfiguration('patchpilot').get('model') === CODER, 'the VS Code model in the settings');
    await driver.ui('notifications', { contains: 'no API key is needed' });
  });

  it('Fix Failing Tests runs through vscode.lm to a verified result: tool calls, tool results, streamed text, counted tokens', async () => {
    const host = await patchpilot();
    await setSetting('testCommand', 'node --test test/');
    await useFakeModel(CODER, fixScript);
    await host.runCommand('patchpilot.focusChat', []);
    await driver.ui('webviewWaitFor', { view: 'chat', selector: '#composer-input' });
    const finished = nextTaskResult(host);
    await driver.ui('runCommand', { title: 'Patchpilot: Fix Failing Tests' });

    // The first reply streams in (about 1 s) before its tool call: its text is in the chat while it arrives.
    await driver.ui('webviewWaitFor', { view: 'chat', selector: '#streaming-text', hasText: 'Let me run the tests first' });
    await driver.ui('screenshot', { name: 'vscode-lm-streaming' });
    const result = await finished;
    assert.equal(result.status, 'verified', result.summary);
    assert.equal(result.modelCalls, 4);

    const fake = await fakeState();
    assert.deepEqual(fake.violations, []);
    assert.equal(fake.remaining, 0);
    assert.deepEqual(fake.requests.map((r) => r.outcome), ['reply', 'reply', 'reply', 'reply']);
    const [first, second] = fake.requests;
    assert.ok(first.tools.includes('run_tests') && first.tools.includes('edit_file'), `the tools go with the request (${first.tools.join(', ')})`);
    assert.equal(first.toolMode, 1, 'LanguageModelChatToolMode.Auto');
    assert.equal(first.messages[0].role, 'user', 'the system prompt is the first user message');
    // The second request carries the model's tool call and, in the next user message, its result as a ToolResultPart.
    const callIndex = second.messages.findIndex((m) => m.role === 'assistant' && m.parts.some((p) => p.type === 'toolCall' && p.name === 'run_tests'));
    assert.ok(callIndex > 0, 'the assistant turn with the run_tests call is sent back');
    const call = second.messages[callIndex].parts.find((p) => p.type === 'toolCall');
    const results = second.messages[callIndex + 1];
    assert.equal(results.role, 'user');
    const toolResult = results.parts.find((p) => p.type === 'toolResult');
    assert.ok(toolResult && toolResult.type === 'toolResult' && call && call.type === 'toolCall');
    assert.equal(toolResult.callId, call.callId, 'the result answers that call');
    assert.match(toolResult.text, /not ok 1 - add adds two numbers/, 'the real test output went back to the model');

    // Tokens were counted by the model (messages and the reply text), and the task's usage is those counts.
    assert.ok(fake.tokenCounts.some((c) => c.kind === 'message') && fake.tokenCounts.some((c) => c.kind === 'text'), 'countTokens was asked');
    assert.ok(result.usage.promptTokens > 0 && result.usage.completionTokens > 0);
    assert.equal(result.usage.costUsd, null, 'no price configured: tokens only');
    assert.ok(host.panel.snapshot.timeline.some((e) => e.kind === 'model' && e.text.includes('add() subtracts')), 'the replies are in the timeline');

    await host.runCommand('patchpilot.acceptAll', []);
    assert.match(readWorkspaceFile('src/math.js'), /return a \+ b;/);
  });

  it('consent not given is one plain error with Select Model: refused by VS Code for a guarded model, or by the provider', async () => {
    const host = await patchpilot();
    // The guarded model needs the person's consent. VS Code asks in a modal dialog, which it never shows while
    // extension tests run (it refuses every prompt then): the request fails exactly as when the person refuses.
    await useFakeModel(GUARDED, { turns: [{ content: 'unused' }] });
    const refused = nextTaskResult(host);
    void host.runCommand('patchpilot.newTask', ['Say hello']);
    const result = await refused;
    assert.equal(result.status, 'failed', result.summary);
    assert.match(result.summary, /Patchpilot may not use "Fake Guarded" \(patchpilot-test\)/);
    assert.match(result.summary, /cannot be used by 'patchpilot\.patchpilot'/, 'VS Code itself refused it');
    assert.match(result.summary, /Allow Patchpilot to use Fake Guarded in the consent dialog/);
    const messages = await driver.ui<string[]>('notifications', { contains: 'consent dialog' });
    assert.equal(messages.filter((m) => m.includes('consent dialog')).length, 1, `one message (saw ${messages.join(' | ')})`);
    await driver.ui('screenshot', { name: 'vscode-lm-consent-refused' });
    assert.equal((await fakeState()).requests.length, 0, 'nothing reached the model without consent');
    await vscode.commands.executeCommand('notifications.clearAll');

    // A provider that finds its own consent missing (signed out, access revoked) throws NoPermissions itself.
    await useFakeModel(CODER, { turns: [{ content: 'Let me', error: { code: 'NoPermissions', message: 'The person has not signed in to the test plan.', when: 'stream' } }] });
    const second = nextTaskResult(host);
    void host.runCommand('patchpilot.newTask', ['Say hello']);
    const byProvider = await second;
    assert.equal(byProvider.status, 'failed', byProvider.summary);
    assert.match(byProvider.summary, /Patchpilot may not use "Fake Coder" \(patchpilot-test\) \(The person has not signed in to the test plan\)/);
    assert.match(byProvider.summary, /Select Model/);
  });

  it('a used-up quota (LanguageModelError.Blocked) is shown plainly, whether the request fails to start or midway', async () => {
    const host = await patchpilot();
    const quota = 'You have used up the requests of your test plan.';
    await useFakeModel(CODER, { turns: [
      { error: { code: 'Blocked', message: quota, when: 'start' } },
      { content: 'Let me look', error: { code: 'Blocked', message: quota, when: 'stream' } },
    ] });
    for (const when of ['start', 'stream']) {
      const failed = nextTaskResult(host);
      void host.runCommand('patchpilot.newTask', ['Say hello']);
      const result = await failed;
      assert.equal(result.status, 'failed', `${when}: ${result.status} ${result.summary}`);
      assert.match(result.summary, /"Fake Coder" \(patchpilot-test\) is blocked for Patchpilot: the quota is used up/, when);
      assert.match(result.summary, /used up the requests of your test plan/, `${when}: what the model said is kept`);
      assert.match(result.summary, /Select Model/);
      await driver.ui('notifications', { contains: 'the quota is used up' });
      if (when === 'start') await vscode.commands.executeCommand('notifications.clearAll');
    }
    await driver.ui('webviewWaitFor', { view: 'chat', selector: '#status', hasText: 'Failed' }).catch(() => undefined);
    await driver.ui('screenshot', { name: 'vscode-lm-quota' });
    // Select Model on the message is the way out: it opens the picker with the VS Code models.
    await driver.ui('clickNotificationButton', { message: 'the quota is used up', button: 'Select Model' });
    await driver.ui('quickPickState', { contains: 'Fake Guarded' });
    await driver.ui('pressKeys', { keys: 'Escape' });
  });

  it('a VS Code model that is gone fails the task with one clear message, and Select Model on it is the way out', async () => {
    const host = await patchpilot();
    await setSetting('model', 'vscode-lm:patchpilot-test/no-such-model');
    const failed = nextTaskResult(host);
    void host.runCommand('patchpilot.newTask', ['Say hello']);
    const result = await failed;
    assert.equal(result.status, 'failed');
    assert.match(result.summary, /The VS Code model "no-such-model" \(patchpilot-test\) is no longer available/);
    assert.match(result.summary, /VS Code offers 2 other chat model\(s\)/);
    await driver.ui('notifications', { contains: 'no longer available' });
    await driver.ui('clickNotificationButton', { message: 'no longer available', button: 'Select Model' });
    await driver.ui('quickPickState', { contains: 'Fake Coder' });
    await driver.ui('screenshot', { name: 'vscode-lm-gone-select-model' });
    await driver.ui('quickInput', { value: 'Fake Coder', pick: 'Fake Coder' });
    await waitFor(() => vscode.workspace.getConfiguration('patchpilot').get('model') === CODER, 'a VS Code model picked from the error');
  });
});
