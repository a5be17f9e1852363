// Try the Demo, part 1: the command makes a sample project with a failing test (git repository, demo marker) and
// the window opens it (part 2, demoRun, runs there). A test opens it in this window; a person gets a new window.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { driver } from './driver';
import { patchpilot } from './helpers';

describe('Try the Demo (making the project)', () => {
  it('creates the demo project and opens it', async () => {
    const host = await patchpilot();
    const folder = await host.runCommand('patchpilot.tryDemo', [{ open: false }]) as string;
    assert.ok(fs.existsSync(path.join(folder, '.patchpilot', 'demo.json')), 'the demo marker is there');
    assert.ok(fs.existsSync(path.join(folder, 'test', 'slugify.test.js')), 'the sample project with its failing test');
    assert.ok(fs.existsSync(path.join(folder, '.git')), 'a git repository, so checkpoints work');
    await driver.ui('reloadWindow', { phase: 'demo', folder });
    // The extension host goes away with the page; this test never returns and is not counted.
    await new Promise(() => undefined);
  });
});
