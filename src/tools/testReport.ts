// How a test run is shown to the model: exit code, structured failures first, then the tail of the raw output.
import type { TestRunRecord } from './types';

const MAX_FAILURES_SHOWN = 20;
const TAIL_CHARS = 4000;

export function formatTestRun(run: TestRunRecord): string {
  const lines: string[] = [];
  const status = run.timedOut ? 'timed out and was killed' : `exited with code ${run.exitCode}`;
  lines.push(`Test command \`${run.command}\` ${status}.`);
  if (run.passed !== null || run.failed !== null) {
    const extra = [run.skipped ? `skipped: ${run.skipped}` : '', run.todo ? `todo: ${run.todo}` : ''].filter(Boolean).join(', ');
    lines.push(`Passed: ${run.passed ?? '?'}, failed: ${run.failed ?? '?'}${extra ? `, ${extra}` : ''}.`);
  }
  if (run.failures.length) {
    lines.push(`Failures (${run.failures.length}):`);
    for (const f of run.failures.slice(0, MAX_FAILURES_SHOWN)) {
      const where = f.file ? ` (${f.file}${f.line ? `:${f.line}` : ''})` : '';
      lines.push(`- ${f.name}${where}: ${f.message.replace(/\n/g, '\n    ')}`);
    }
    if (run.failures.length > MAX_FAILURES_SHOWN) lines.push(`- … ${run.failures.length - MAX_FAILURES_SHOWN} more`);
  }
  if (run.exitCode !== 0) {
    const tail = run.output.length > TAIL_CHARS ? '…' + run.output.slice(-TAIL_CHARS) : run.output;
    lines.push('Output (tail):', tail.trimEnd());
  }
  return lines.join('\n');
}
