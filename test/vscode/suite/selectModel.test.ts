// Select Model: the provider's own list (GET /models) is offered beside the configured names, and a provider that
// cannot list its models is explained while the configured names stay available.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { driver } from './driver';
import { setSetting, useScriptedModel, waitFor } from './helpers';

const currentModel = (): string | undefined => vscode.workspace.getConfiguration('patchpilot').get<string>('model');

describe('Select Model', () => {
  after(async () => {
    await setSetting('models', undefined);
    await setSetting('model', undefined);
  });

  it('offers the models the provider lists and saves the pick', async () => {
    await useScriptedModel({ models: ['scripted', 'qwen2.5-coder:7b', 'llama3.1:8b'], turns: [{ content: 'unused' }] });
    await setSetting('models', ['gpt-4.1-mini']);
    await driver.ui('runCommand', { title: 'Patchpilot: Select Model' });
    const state = await driver.ui<{ placeholder: string; labels: string[] }>('quickPickState', { contains: 'qwen2.5-coder:7b', placeholderContains: 'model(s) offered' });
    assert.ok(state.labels.includes('llama3.1:8b'), `the provider's models are listed (saw ${state.labels.join(', ')})`);
    assert.ok(state.labels.includes('gpt-4.1-mini'), 'the configured names stay');
    assert.equal(state.labels.filter((label) => label === 'scripted').length, 1, 'the current model is listed once');
    assert.match(state.placeholder, /3 model\(s\) offered by 127\.0\.0\.1:\d+/);
    await driver.ui('screenshot', { name: 'select-model' });
    await driver.ui('quickInput', { value: 'qwen', pick: 'qwen2.5-coder:7b' });
    await waitFor(() => currentModel() === 'qwen2.5-coder:7b', 'the picked model in the settings');
  });

  it('explains a provider that cannot list its models, and keeps the configured names', async () => {
    // Nothing listens on port 9 (discard) on these machines: the request fails at once.
    await setSetting('baseUrl', 'http://127.0.0.1:9/v1');
    await setSetting('models', ['local-model-a']);
    await driver.ui('runCommand', { title: 'Patchpilot: Select Model' });
    const state = await driver.ui<{ placeholder: string; labels: string[] }>('quickPickState', { contains: 'local-model-a', placeholderContains: 'Could not list' });
    assert.match(state.placeholder, /could not reach http:\/\/127\.0\.0\.1:9\/v1/);
    await driver.ui('quickInput', { value: 'typed-model-name', pick: 'use this name' });
    await waitFor(() => currentModel() === 'typed-model-name', 'a typed name that matches no item is used as it is');
  });
});
