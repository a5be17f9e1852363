// What users install is what is tested: the packaged .vsix, installed into code-server, activates and shows its panel.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { driver } from './driver';
import { extension } from './helpers';

describe('packaged .vsix', () => {
  it('is the installed copy, without sources, tests or maps', () => {
    const root = extension().extensionPath;
    assert.ok(!fs.existsSync(path.join(root, 'src')), 'no TypeScript sources');
    assert.ok(!fs.existsSync(path.join(root, 'test')), 'no tests');
    assert.ok(!fs.existsSync(path.join(root, 'out')), 'no compiled tests');
    assert.ok(!fs.existsSync(path.join(root, 'dist/extension.js.map')), 'no source maps');
    assert.ok(fs.existsSync(path.join(root, 'dist/extension.js')));
    assert.ok(fs.existsSync(path.join(root, 'media/dist/panel.js')));
    assert.equal(extension().isActive, false, 'lazy: not active before a command');
  });

  it('activates from the palette and renders the review panel', async () => {
    await driver.ui('runCommand', { title: 'Patchpilot: Review Changes' });
    await driver.ui('webviewWaitFor', { selector: '#goal' });
    assert.equal(extension().isActive, true);
    const status = await driver.ui<string[]>('webviewTexts', { selector: '#status' });
    assert.deepEqual(status, ['Idle']);
    await driver.ui('screenshot', { name: 'packaged-panel' });
  });
});
