// The desktop VS Code route's pure parts: command line, profile, settings, environment and route choice.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadElectronArgs, repoRoot, runnerDir, type Scenario } from './modules';

const electronArgs = loadElectronArgs();
const root = '/tmp/pp-vscode-electron-x';
const workspace = path.join(root, 'calc');

function optionsFor(scenario: Scenario) {
  return electronArgs.runTestsOptions({ executable: '/opt/code/code', scenario, repoRoot, workspace, root, debugPort: 45123,
    driverUrl: 'http://127.0.0.1:40000' });
}

describe('vscode-runner: electron arguments', () => {
  it('opens the workspace with its own profile, a remote-debugging port and no welcome page', () => {
    const { launchArgs, vscodeExecutablePath } = optionsFor({ name: 'trusted' });
    assert.equal(vscodeExecutablePath, '/opt/code/code');
    assert.equal(launchArgs[0], workspace);
    assert.ok(launchArgs.includes(`--user-data-dir=${path.join(root, 'ud')}`));
    assert.ok(launchArgs.includes(`--extensions-dir=${path.join(root, 'exts')}`));
    assert.ok(launchArgs.includes('--remote-debugging-port=45123'));
    assert.ok(launchArgs.includes('--skip-welcome'));
    assert.ok(!launchArgs.some((arg) => arg.startsWith('--disable-extensions')), 'the packaged scenario needs its installed extension');
  });

  it('runs the compiled mocha suite for the repository as the development extension', () => {
    const options = optionsFor({ name: 'trusted' });
    assert.equal(options.extensionTestsPath, path.join(repoRoot, 'out/test/vscode/suite/index.js'));
    assert.equal(options.extensionDevelopmentPath, repoRoot);
  });

  it('uses the empty harness extension when the packaged .vsix is under test', () => {
    const options = optionsFor({ name: 'packaged', installVsix: () => '/x/patchpilot.vsix' });
    assert.equal(options.extensionDevelopmentPath, path.join(runnerDir, 'harness-extension'));
  });

  it('passes the driver, scenario and workspace to the extension host, with no API key and an isolated HOME', () => {
    const env = optionsFor({ name: 'reload' }).extensionTestsEnv;
    assert.equal(env.PATCHPILOT_E2E_DRIVER, 'http://127.0.0.1:40000');
    assert.equal(env.PATCHPILOT_E2E_SCENARIO, 'reload');
    assert.equal(env.PATCHPILOT_E2E_WORKSPACE, workspace);
    assert.equal(env.OPENAI_API_KEY, '');
    assert.equal(env.HOME, path.join(root, 'home'));
    assert.ok('ELECTRON_RUN_AS_NODE' in env && env.ELECTRON_RUN_AS_NODE === undefined);
  });

  it('starts the untrusted scenario without --disable-workspace-trust but otherwise like runTests', () => {
    const scenario: Scenario = { name: 'restricted', untrusted: true };
    assert.equal(electronArgs.needsWorkspaceTrust(scenario), true);
    assert.equal(electronArgs.needsWorkspaceTrust({ name: 'trusted' }), false);
    const options = optionsFor(scenario);
    const args = electronArgs.directSpawnArgs(options);
    assert.ok(!args.includes(electronArgs.DISABLE_TRUST));
    assert.deepEqual(args.slice(0, options.launchArgs.length), options.launchArgs);
    assert.ok(args.includes(`--extensionTestsPath=${options.extensionTestsPath}`));
    assert.ok(args.includes(`--extensionDevelopmentPath=${options.extensionDevelopmentPath}`));
    assert.ok(args.includes('--no-sandbox'));
  });

  it('installs the .vsix into the scenario profile, replacing any shared default profile', () => {
    const cli = ['/opt/code/bin/code', '--extensions-dir=/home/u/.vscode-test/extensions', '--user-data-dir=/home/u/.vscode-test/user-data'];
    const { command, args } = electronArgs.installVsixArgs(cli, { root, vsix: '/x/patchpilot.vsix' });
    assert.equal(command, '/opt/code/bin/code');
    assert.deepEqual(args.filter((arg) => arg.includes('.vscode-test')), []);
    assert.ok(args.includes(`--extensions-dir=${path.join(root, 'exts')}`));
    assert.ok(args.includes(`--user-data-dir=${path.join(root, 'ud')}`));
    assert.equal(args[args.indexOf('--install-extension') + 1], '/x/patchpilot.vsix');
  });
});

describe('vscode-runner: electron user settings', () => {
  it('draws dialogs and the title bar in the DOM, on top of the code-server settings', () => {
    const settings = electronArgs.electronUserSettings({ name: 'trusted' });
    assert.equal(settings['window.dialogStyle'], 'custom');
    assert.equal(settings['window.titleBarStyle'], 'custom');
    assert.equal(settings['workbench.startupEditor'], 'none');
    assert.equal(settings['terminal.integrated.gpuAcceleration'], 'off');
    assert.equal(settings['security.workspace.trust.enabled'], false);
  });

  it('turns workspace trust on for the untrusted scenario, never prompting', () => {
    const settings = electronArgs.electronUserSettings({ name: 'restricted', untrusted: true });
    assert.equal(settings['security.workspace.trust.enabled'], true);
    assert.equal(settings['security.workspace.trust.startupPrompt'], 'never');
  });
});

describe('vscode-runner: route choice', () => {
  const env = electronArgs.EXECUTABLE_ENV;

  it('runs code-server only, and says why, when no desktop VS Code is given', () => {
    const choice = electronArgs.chooseRoutes(undefined, {});
    assert.deepEqual(choice.routes, ['code-server']);
    assert.match(choice.skipped ?? '', new RegExp(`${env} is not set`));
  });

  it('adds the electron route after code-server when the variable is set', () => {
    const choice = electronArgs.chooseRoutes(undefined, { [env]: '/usr/share/code/code' });
    assert.deepEqual(choice.routes, ['code-server', 'electron']);
    assert.equal(choice.executable, '/usr/share/code/code');
    assert.equal(choice.skipped, undefined);
  });

  it('runs one route on request, and refuses electron without the variable or an unknown route', () => {
    assert.deepEqual(electronArgs.chooseRoutes('code-server', { [env]: '/c' }).routes, ['code-server']);
    assert.deepEqual(electronArgs.chooseRoutes('electron', { [env]: '/c' }).routes, ['electron']);
    const missing = electronArgs.chooseRoutes('electron', {});
    assert.deepEqual(missing.routes, []);
    assert.match(missing.error ?? '', new RegExp(env));
    assert.match(electronArgs.chooseRoutes('both', {}).error ?? '', /unknown --route both/);
  });
});
