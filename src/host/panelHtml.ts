// The review panel's HTML shell: strict CSP with a crypto nonce, every asset through asWebviewUri, nothing remote.
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

export interface WebviewPage {
  /** Bundle under media/dist/ and stylesheet under media/. */
  script: string;
  style: string;
  label: string;
}

export const PANEL_PAGE: WebviewPage = { script: 'panel.js', style: 'panel.css', label: 'Patchpilot review panel' };
export const SIDEBAR_PAGE: WebviewPage = { script: 'sidebar.js', style: 'sidebar.css', label: 'Patchpilot chat' };

export function panelHtml(webview: vscode.Webview, mediaRoot: vscode.Uri, joinPath: (base: vscode.Uri, ...segments: string[]) => vscode.Uri, page: WebviewPage = PANEL_PAGE): string {
  const nonce = newNonce();
  const script = webview.asWebviewUri(joinPath(mediaRoot, 'dist', page.script));
  const style = webview.asWebviewUri(joinPath(mediaRoot, page.style));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Patchpilot</title>
</head>
<body>
<div id="app" role="application" aria-label="${page.label}"><p class="loading">Loading…</p></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
