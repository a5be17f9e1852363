// Pure argument, settings and environment building for the desktop VS Code route (@vscode/test-electron); no I/O here.
'use strict';
const path = require('node:path');

const EXECUTABLE_ENV = 'PATCHPILOT_VSCODE_EXECUTABLE';

// What runTests (@vscode/test-electron 2.5.x, out/runTest.js) puts after launchArgs. Kept here so the untrusted
// scenario can start VS Code with exactly the same command line minus '--disable-workspace-trust'; a unit test runs
// the installed runTests against a recording executable and checks this copy still matches it.
const RUN_TESTS_FIXED_ARGS = ['--no-sandbox', '--disable-gpu-sandbox', '--disable-updates', '--skip-welcome',
  '--skip-release-notes', '--disable-workspace-trust'];
const DISABLE_TRUST = '--disable-workspace-trust';

/** Desktop-only additions: modal dialogs and the title bar drawn in the DOM, where the UI actions look for them. */
function electronUserSettings(scenario) {
  return { ...require('./launch').userSettings(scenario), 'window.dialogStyle': 'custom', 'window.titleBarStyle': 'custom' };
}

/** Where one scenario's desktop VS Code keeps its state: all under the scenario's temp root. */
function profileDirs(root) {
  return { userDataDir: path.join(root, 'ud'), extensionsDir: path.join(root, 'exts'), home: path.join(root, 'home') };
}

function launchArgs({ workspace, root, debugPort }) {
  const dirs = profileDirs(root);
  // '=' forms: runTests only adds its shared default profile when it does not see these (util.getProfileArguments).
  return [workspace, `--user-data-dir=${dirs.userDataDir}`, `--extensions-dir=${dirs.extensionsDir}`,
    `--remote-debugging-port=${debugPort}`, '--skip-welcome', '--disable-telemetry'];
}

/** The development extension VS Code runs the tests for: an empty harness when the .vsix copy is under test. */
function extensionDevelopmentPath(scenario, repoRoot) {
  return scenario.installVsix ? path.join(__dirname, 'harness-extension') : repoRoot;
}

function extensionTestsEnv({ driverUrl, scenario, workspace, root }) {
  const dirs = profileDirs(root);
  return {
    PATCHPILOT_E2E_DRIVER: driverUrl, PATCHPILOT_E2E_SCENARIO: scenario.name, PATCHPILOT_E2E_WORKSPACE: workspace,
    OPENAI_API_KEY: '',
    HOME: dirs.home, XDG_CONFIG_HOME: path.join(dirs.home, '.config'), XDG_DATA_HOME: path.join(dirs.home, '.local/share'),
    XDG_CACHE_HOME: path.join(dirs.home, '.cache'), EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: '' }),
    // Inherited from a VS Code terminal this would make the executable run as plain Node (undefined = not passed on).
    ELECTRON_RUN_AS_NODE: undefined,
  };
}

/** The options for @vscode/test-electron's runTests, for one scenario. */
function runTestsOptions({ executable, scenario, repoRoot, workspace, root, debugPort, driverUrl }) {
  return {
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: extensionDevelopmentPath(scenario, repoRoot),
    extensionTestsPath: path.join(repoRoot, 'out/test/vscode/suite/index.js'),
    launchArgs: launchArgs({ workspace, root, debugPort }),
    extensionTestsEnv: extensionTestsEnv({ driverUrl, scenario, workspace, root }),
  };
}

/** The command line runTests would use for these options, without '--disable-workspace-trust'. */
function directSpawnArgs(options) {
  const fixed = RUN_TESTS_FIXED_ARGS.filter((arg) => arg !== DISABLE_TRUST);
  return [...options.launchArgs, ...fixed, `--extensionTestsPath=${options.extensionTestsPath}`,
    `--extensionDevelopmentPath=${options.extensionDevelopmentPath}`];
}

/** runTests always disables workspace trust; a scenario that needs Restricted Mode is started without it. */
function needsWorkspaceTrust(scenario) {
  return Boolean(scenario.untrusted);
}

/** Arguments for the VS Code CLI (from resolveCliArgsFromVSCodeExecutablePath) that install a .vsix into the profile. */
function installVsixArgs(cliArgs, { root, vsix }) {
  const dirs = profileDirs(root);
  // The CLI args may carry runTests' shared default profile; this scenario's own profile replaces it.
  const kept = cliArgs.slice(1).filter((arg) => !/^--(extensions-dir|user-data-dir)(=|$)/.test(arg));
  return { command: cliArgs[0], args: [...kept, `--extensions-dir=${dirs.extensionsDir}`,
    `--user-data-dir=${dirs.userDataDir}`, '--install-extension', vsix, '--force'] };
}

/** Which routes `run.js` runs: `--route code-server|electron`, else code-server plus electron when the variable is set. */
function chooseRoutes(routeArg, env) {
  const executable = env[EXECUTABLE_ENV] || undefined;
  if (routeArg === undefined) {
    return executable
      ? { routes: ['code-server', 'electron'], executable }
      : { routes: ['code-server'], skipped: `${EXECUTABLE_ENV} is not set (the path of a desktop VS Code executable)` };
  }
  if (routeArg === 'code-server') return { routes: ['code-server'], executable };
  if (routeArg === 'electron') {
    if (!executable) return { routes: [], error: `--route electron needs ${EXECUTABLE_ENV} (the path of a desktop VS Code executable)` };
    return { routes: ['electron'], executable };
  }
  return { routes: [], error: `unknown --route ${routeArg} (use code-server or electron)` };
}

module.exports = {
  EXECUTABLE_ENV, DISABLE_TRUST, electronUserSettings, profileDirs, launchArgs, extensionDevelopmentPath,
  extensionTestsEnv, runTestsOptions, directSpawnArgs, needsWorkspaceTrust, installVsixArgs, chooseRoutes,
};
