// A provider that fails: one message per failure, saying what happened (unreachable is not the same as a 400, and a
// 400 shows what the server said), with a way out — Retry, Open Settings, Select Model — and a panel that ends in
// "Failed" instead of hanging on "Starting". Retry runs the task again with the settings as they are now.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { driver } from './driver';
import { nextTaskResult, patchpilot, setSetting, useScriptedModel } from './helpers';

/** A port nobody listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('provider errors', () => {
  after(async () => {
    await setSetting('baseUrl', undefined);
    await setSetting('model', undefined);
  });

  it('an unreachable provider: one error with Retry, Open Settings and Select Model; Retry works once it is fixed', async () => {
    const host = await patchpilot();
    await setSetting('baseUrl', `http://127.0.0.1:${await closedPort()}/v1`);
    await setSetting('model', 'scripted');
    const failed = nextTaskResult(host);
    void host.runCommand('patchpilot.newTask', ['Say hello']);
    const result = await failed;
    assert.equal(result.status, 'failed');
    assert.match(result.summary, /could not be reached/);
    const messages = await driver.ui<string[]>('notifications', { contains: 'could not be reached' });
    assert.equal(messages.filter((m) => m.includes('could not be reached')).length, 1, `one message, not one per retry (saw ${messages.join(' | ')})`);
    await driver.ui('webviewWaitFor', { selector: '#status', hasText: 'Failed' });
    await driver.ui('screenshot', { name: 'provider-unreachable' });

    // The person fixes the provider, then presses Retry: the same task runs again and finishes.
    await useScriptedModel({ turns: [{ tool_calls: [{ name: 'finish', arguments: { summary: 'Hello.' } }] }] });
    const retried = nextTaskResult(host);
    await driver.ui('clickNotificationButton', { message: 'could not be reached', button: 'Retry' });
    const second = await retried;
    assert.equal(second.taskId, result.taskId, 'Retry continues the same task');
    assert.equal(second.status, 'unverified');
  });

  it('a 400 is called a refusal and shows what the server said', async () => {
    const host = await patchpilot();
    // A real server refuses the same way twice: the first refusal of a new endpoint is retried once without
    // stream_options (some gateways reject it with a bare 400), and the second one is the answer.
    const refusal = { fault: { status: 400, message: 'model "nope" does not support tools' }, content: 'unused' };
    await useScriptedModel({ turns: [refusal, refusal] });
    const failed = nextTaskResult(host);
    void host.runCommand('patchpilot.newTask', ['Say hello']);
    const result = await failed;
    assert.match(result.summary, /refused the request/);
    assert.match(result.summary, /does not support tools/);
    assert.doesNotMatch(result.summary, /could not be reached/);
    const messages = await driver.ui<string[]>('notifications', { contains: 'does not support tools' });
    assert.ok(messages.length >= 1);
  });
});
