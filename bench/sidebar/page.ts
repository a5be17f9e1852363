// The sidebar's test page, shared by the benchmark and the browser tests: the real bundle and stylesheet under the
// CSP the host serves (default-src 'none', nonce scripts, no inline styles), a fake `acquireVsCodeApi` that records
// what the view posts and saves, and theme variables standing in for VS Code's. Also the one way to start Chromium.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { repoRoot } from '../support/main';

export const bundlePath = path.join(repoRoot, 'media', 'dist', 'sidebar.js');
export const stylesheetPath = path.join(repoRoot, 'media', 'sidebar.css');
const themePath = path.join(repoRoot, 'bench', 'sidebar', 'vscode-theme.css');

export type Theme = 'dark' | 'light';

/** What the fake VS Code API keeps on `window` for the test or benchmark to read. */
export interface FakeHostWindow {
  __posted: unknown[];
  __saved: unknown;
  __saves: number;
  __initialState: unknown;
  __cspViolations: string[];
}

function stub(): string {
  // Runs before the bundle. acquireVsCodeApi throws on a second call, as VS Code's does.
  return `
window.__posted = []; window.__saved = undefined; window.__saves = 0; window.__cspViolations = [];
if (!('__initialState' in window)) window.__initialState = undefined;
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || e.sample)));
let acquired = false;
window.acquireVsCodeApi = () => {
  if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
  acquired = true;
  return {
    postMessage: (m) => { window.__posted.push(JSON.parse(JSON.stringify(m))); },
    getState: () => window.__initialState,
    setState: (s) => { window.__saved = JSON.parse(JSON.stringify(s)); window.__saves++; },
  };
};`;
}

/** Writes the sidebar page for a theme (body class as VS Code sets it) and returns its path. */
export function writeSidebarPage(dir: string, theme: Theme): string {
  fs.mkdirSync(dir, { recursive: true });
  const nonce = randomBytes(18).toString('base64');
  // file: stands in for webview.cspSource; the policy is otherwise the host's (src/host/panelHtml.ts).
  const csp = ["default-src 'none'", 'style-src file:', 'img-src file: data:', 'font-src file:', `script-src 'nonce-${nonce}'`].join('; ');
  const file = path.join(dir, `sidebar-${theme}.html`);
  fs.writeFileSync(file, `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="file://${themePath}">
<link rel="stylesheet" href="file://${stylesheetPath}">
<script nonce="${nonce}">${stub()}</script>
<title>Patchpilot</title>
</head>
<body class="vscode-${theme}">
<div id="app" role="application" aria-label="Patchpilot chat"><p class="loading">Loading…</p></div>
<script nonce="${nonce}" src="file://${bundlePath}"></script>
</body>
</html>`);
  return file;
}

/** Why the sidebar cannot be loaded here, or null when it can. */
export function sidebarUnavailable(executablePath: string): string | null {
  if (!fs.existsSync(bundlePath) || fs.statSync(bundlePath).size < 1024) return 'media/dist/sidebar.js is missing or a placeholder (run npm run build)';
  if (!fs.existsSync(executablePath)) return `no Chromium at ${executablePath} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
  return null;
}

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

export interface Chromium {
  context: BrowserContext;
  version: string;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, on a fresh profile that is deleted on close; nothing is downloaded. */
export async function launchChromium(executablePath = chromiumPath()): Promise<Chromium> {
  const { chromium } = await import('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-sidebar-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage', '--allow-file-access-from-files'],
  });
  // A persistent context has no Browser object to ask; the user agent names the version.
  const probe = await context.newPage();
  const agent = await probe.evaluate(() => navigator.userAgent);
  await probe.close();
  const version = /(?:HeadlessChrome|Chrome)\/([\d.]+)/.exec(agent)?.[1] ?? 'unknown';
  return {
    context, version,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
