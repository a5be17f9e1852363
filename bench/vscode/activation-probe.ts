// Runs inside the real extension host (code-server) as the "extension tests" module: activates Patchpilot, runs its
// first command, and writes the timings to the file named by PATCHPILOT_BENCH_OUT for bench/activation.ts to read.
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

interface PatchpilotExports { activationMs?: number }

export async function run(): Promise<void> {
  const out = process.env.PATCHPILOT_BENCH_OUT;
  const result: Record<string, unknown> = {};
  try {
    const extension = vscode.extensions.getExtension<PatchpilotExports>('patchpilot.patchpilot');
    if (!extension) throw new Error('the extension patchpilot.patchpilot is not installed in this host');
    result.activeBefore = extension.isActive;
    const activateStart = performance.now();
    const exports = await extension.activate();
    result.activateMs = performance.now() - activateStart;
    result.insideActivateMs = exports?.activationMs ?? null;
    const commandStart = performance.now();
    await vscode.commands.executeCommand('patchpilot.reviewChanges');
    result.firstCommandMs = performance.now() - commandStart;
    const againStart = performance.now();
    await vscode.commands.executeCommand('patchpilot.reviewChanges');
    result.secondCommandMs = performance.now() - againStart;
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  }
  if (out) fs.writeFileSync(out, JSON.stringify(result));
}
