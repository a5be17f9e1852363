// The workbench launches of the in-VS-Code tests: which fixture workspace, trust setting and spec files each one runs.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const fixturesDir = path.join(__dirname, 'fixtures');

/** Copies a fixture into a fresh git repository with one commit, the way a person's project looks. */
function gitFixture(name) {
  return async (root) => {
    const workspace = path.join(root, name);
    fs.cpSync(path.join(fixturesDir, name), workspace, { recursive: true });
    const git = (...args) => execFileSync('git', ['-c', 'user.name=Patchpilot Tests', '-c', 'user.email=tests@patchpilot.invalid', ...args],
      { cwd: workspace, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'fixture');
    return workspace;
  };
}

/** Packs the extension the way users get it (offline, no dependencies: the bundle carries them). */
function packageVsix(repoRoot) {
  const out = path.join(repoRoot, 'test-artifacts/vscode/patchpilot.vsix');
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts/vscode-test/package.mjs'), out], { cwd: repoRoot, stdio: 'pipe' });
  return out;
}

/**
 * Packs a test-only extension (a folder beside this file) into a .vsix in the scenario's temp root, for the workbench
 * to install beside Patchpilot: code-server takes one development extension only, so others come as installed ones.
 */
function testExtension(folder) {
  return (repoRoot, root) => {
    const out = path.join(root, `${folder}.vsix`);
    execFileSync(path.join(repoRoot, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--skip-license', '--allow-missing-repository',
      '--out', out], { cwd: path.join(__dirname, folder), stdio: 'pipe' });
    return out;
  };
}

const scenarios = [
  { name: 'trusted', prepare: gitFixture('calc'), specs: ['activation', 'fixTests', 'hunkReview', 'newTask', 'undo', 'denied', 'commandApproval', 'selectModel', 'progress', 'panelState', 'safety', 'reviewAfterFix', 'panelUx', 'providerErrors', 'providerProfiles', 'chat', 'mcp', 'roles', 'background', 'watchTests', 'queueSidebar', 'attempts'] },
  { name: 'restricted', prepare: gitFixture('calc'), untrusted: true, specs: ['restricted'] },
  { name: 'reload', prepare: gitFixture('calc'), specs: (phase) => (phase === 'start' ? ['reloadStart'] : ['reloadResume']) },
  { name: 'demo', specs: (phase) => (phase === 'start' ? ['demoStart'] : ['demoRun']) },
  { name: 'packaged', prepare: gitFixture('calc'), installVsix: packageVsix, specs: ['packaged'] },
  // Chat models contributed to vscode.lm by a test extension (proposed API "chatProvider" in VS Code 1.100, which
  // code-server allows every extension); the desktop route would need --enable-proposed-api for it, so it runs here only.
  { name: 'vscode-lm', prepare: gitFixture('calc'), extensions: [testExtension('lm-test-extension')], routes: ['code-server'], specs: ['lmProvider'] },
];

module.exports = { scenarios, gitFixture, testExtension };
