// activation_ms: the extension's activation inside the real VS Code (code-server + headless Chromium, as the
// in-VS-Code tests run it), and the cost of its first command. A probe module loaded as the "extension tests" times
// extension.activate() (loading the bundle + activate()) and the first `Patchpilot: Review Changes` in the extension
// host, then the workbench exits. Each run is a fresh code-server with fresh user data.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchMain, repoRoot } from './support/main';
import { median, round, unmeasured, type BenchEntries } from './support/stats';

const RUNS = 3;
const TIMEOUT_MS = 120_000;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-dev-shm-usage'];

interface ProbeResult { activeBefore?: boolean; activateMs?: number; insideActivateMs?: number | null; firstCommandMs?: number; secondCommandMs?: number; error?: string }

function startCodeServer(binary: string, root: string, env: NodeJS.ProcessEnv): { child: ChildProcess; port: Promise<number> } {
  const args = ['--auth', 'none', '--bind-addr', '127.0.0.1:0', '--config', '/dev/null', '--user-data-dir', path.join(root, 'ud'),
    '--extensions-dir', path.join(root, 'exts'), '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override'];
  const child = spawn(binary, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const port = new Promise<number>((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (data: Buffer) => {
      seen += data.toString();
      const match = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(seen);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`code-server exited early (${code})`)));
  });
  return { child, port };
}

function stopGroup(child: ChildProcess): void {
  // code-server starts its own children (the extension host): stop the whole group we created, by its id.
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function oneRun(codeServer: string, chromiumPath: string): Promise<ProbeResult & { workbenchToExitMs: number }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'patchpilot-bench-activation-'));
  const workspace = path.join(root, 'ws');
  for (const dir of ['home', 'ud/User', 'exts', 'tmp', 'ws']) fs.mkdirSync(path.join(root, dir), { recursive: true });
  fs.writeFileSync(path.join(root, 'ud/User/settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoCheckUpdates': false, 'git.enabled': false, 'chat.disableAIFeatures': true }));
  const outFile = path.join(root, 'probe.json');
  const env = { ...process.env, HOME: path.join(root, 'home'), XDG_CONFIG_HOME: path.join(root, 'home/.config'), XDG_DATA_HOME: path.join(root, 'home/.local/share'), XDG_CACHE_HOME: path.join(root, 'home/.cache'), TMPDIR: path.join(root, 'tmp'), EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: '' }), PATCHPILOT_BENCH_OUT: outFile, OPENAI_API_KEY: '' };
  const server = startCodeServer(codeServer, root, env);
  const { chromium } = await import('playwright-core');
  let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
  try {
    const port = await Promise.race([server.port, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('code-server did not start in 60 s')), 60_000).unref())]);
    const host = `127.0.0.1:${port}`;
    const payload = encodeURIComponent(JSON.stringify([
      ['extensionDevelopmentPath', `vscode-remote://${host}${repoRoot}`],
      ['extensionTestsPath', `vscode-remote://${host}${path.join(repoRoot, 'out/bench/vscode/activation-probe.js')}`],
      ['skipWelcome', 'true'],
    ]));
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let exit: (code: unknown) => void = () => undefined;
    const exited = new Promise((resolve) => (exit = resolve));
    await page.exposeFunction('codeAutomationExit', (code: unknown) => exit(code));
    await page.exposeFunction('codeAutomationLog', () => undefined);
    const start = performance.now();
    await page.goto(`http://${host}/?folder=${encodeURIComponent(workspace)}&payload=${payload}`);
    const outcome = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), TIMEOUT_MS).unref())]);
    const workbenchToExitMs = performance.now() - start;
    if (outcome === 'timeout' || !fs.existsSync(outFile)) throw new Error(`the probe did not report within ${TIMEOUT_MS / 1000} s (exit: ${String(outcome)})`);
    const probe = JSON.parse(fs.readFileSync(outFile, 'utf8')) as ProbeResult;
    if (probe.error) throw new Error(`the probe failed inside VS Code: ${probe.error}`);
    return { ...probe, workbenchToExitMs };
  } finally {
    if (browser) await browser.close().catch(() => undefined);
    stopGroup(server.child);
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export async function measureActivation(): Promise<BenchEntries> {
  const codeServer = path.join(repoRoot, '.vscode-e2e/node_modules/.bin/code-server');
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(codeServer)) {
    // The project's own installer of the in-VS-Code test tools (code-server, Chromium); idempotent.
    console.error('activation: code-server is missing; running scripts/vscode-test/install.sh');
    spawnSync('bash', [path.join(repoRoot, 'scripts/vscode-test/install.sh')], { cwd: repoRoot, stdio: ['ignore', 2, 2], timeout: 600_000 });
  }
  if (!fs.existsSync(codeServer)) return { activation_ms: unmeasured('ms', 'code-server is not installed and scripts/vscode-test/install.sh could not install it') };
  if (!fs.existsSync(chromiumPath)) return { activation_ms: unmeasured('ms', `no Chromium at ${chromiumPath}`) };
  if (!fs.existsSync(path.join(repoRoot, 'dist/extension.js'))) return { activation_ms: unmeasured('ms', 'dist/extension.js is missing (build first)') };
  const runs: Awaited<ReturnType<typeof oneRun>>[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await oneRun(codeServer, chromiumPath));
  const pick = (key: 'activateMs' | 'insideActivateMs' | 'firstCommandMs' | 'secondCommandMs' | 'workbenchToExitMs'): number | null => {
    const values = runs.map((r) => r[key]).filter((v): v is number => typeof v === 'number');
    return values.length ? round(median(values), 1) : null;
  };
  const activate = pick('activateMs');
  const first = pick('firstCommandMs');
  const second = pick('secondCommandMs');
  return {
    activation_ms: {
      value: activate,
      unit: 'ms',
      runs: RUNS,
      lazy: runs.every((r) => r.activeBefore === false),
      inside_activate_ms: pick('insideActivateMs'),
      first_command_ms: first,
      baseline_second_command_ms: second,
      workbench_load_to_exit_ms: pick('workbenchToExitMs'),
      host: 'code-server (VS Code server + workbench) in headless Chromium',
      summary: `median of ${RUNS} fresh code-server launches: extension.activate() ${activate} ms (bundle load + activate(); ${pick('insideActivateMs')} ms inside activate()); first command (Review Changes, opens the panel) ${first} ms vs ${second} ms for the same command again; not active before its first command: ${runs.every((r) => r.activeBefore === false)}`,
    },
  };
}

benchMain(module, measureActivation);
