// The job summary (Markdown) and the annotations of a task report: the verdict, the per-run test ledger, the spend,
// the diff folded away, and one ::error per failing test the task could not fix, placed at its file and line.
import { isAbsolute, relative, resolve } from 'node:path';
import { errorAnnotation } from './workflowCommands';

/** The fields of the CLI's --report JSON the action reads. */
export interface ActionReport {
  taskId: string;
  status: 'verified' | 'unverified' | 'failed' | 'stopped';
  reason: string | null;
  summary: string;
  verdict: string | null;
  steps: number;
  usage: { promptTokens: number; completionTokens: number; costUsd: number | null; costNote?: string };
  testRuns: { exitCode: number | null; failures: { name: string; file: string | null; line: number | null; message: string }[]; originalTests?: true }[];
  ledger: { failing: string[]; fixed: string[]; regressed: string[]; newlyFailing: string[]; notRun: string[] }[];
  changes: { path: string; diff: string }[];
}

const ICONS: Record<ActionReport['status'], string> = { verified: '✅', unverified: '⚠️', failed: '❌', stopped: '⏹️' };

export function summaryMarkdown(report: ActionReport, goal: string): string {
  const lines = [`## ${ICONS[report.status]} Patchpilot: ${report.status}${report.reason ? ` (${report.reason})` : ''}`, '',
    `**Task:** ${goal}`, '', `**Verdict:** ${report.verdict ?? '—'}`, '', `**Summary:** ${report.summary || '—'}`, ''];
  if (report.ledger.length) {
    lines.push('| test run | failing | fixed | regressed | newly failing | not run |', '| ---: | ---: | ---: | ---: | ---: | ---: |');
    report.ledger.forEach((step, index) => lines.push(`| ${index + 1} | ${step.failing.length} | ${step.fixed.length} | ${step.regressed.length} | ${step.newlyFailing.length} | ${step.notRun.length} |`));
    lines.push('');
  }
  const cost = report.usage.costUsd === null ? `cost unknown${report.usage.costNote ? ` (${report.usage.costNote})` : ''}` : `$${report.usage.costUsd.toFixed(4)}${report.usage.costNote ? ` (${report.usage.costNote})` : ''}`;
  lines.push(`**Spend:** ${cost} · ${report.usage.promptTokens} tokens in / ${report.usage.completionTokens} out · ${report.steps} steps`, '');
  if (report.changes.length) {
    const diff = report.changes.map((change) => change.diff).join('');
    const fence = '`'.repeat(Math.max(3, longestBacktickRun(diff) + 1));
    lines.push(`<details><summary>Diff (${report.changes.length} file${report.changes.length === 1 ? '' : 's'}: ${report.changes.map((c) => escapeHtml(c.path)).join(', ')})</summary>`, '',
      `${fence}diff`, diff.trimEnd(), fence, '', '</details>', '');
  } else {
    lines.push('No files changed.', '');
  }
  lines.push(`Journal: task \`${report.taskId}\` in \`.patchpilot/tasks\`. Nothing was committed or pushed.`, '');
  return lines.join('\n');
}

/** ::error annotations for the failures of the last test run, unless the task verified its fix. */
export function failureAnnotations(report: ActionReport, cwd: string, workspace: string): string[] {
  if (report.status === 'verified') return [];
  const last = [...report.testRuns].reverse().find((run) => !run.originalTests) ?? report.testRuns[report.testRuns.length - 1];
  if (!last || last.failures.length === 0) {
    return [errorAnnotation(`Patchpilot ${report.status}${report.reason ? ` (${report.reason})` : ''}: ${report.summary}`, { title: 'Patchpilot' })];
  }
  return last.failures.map((failure) => {
    const file = failure.file ? workspacePath(failure.file, cwd, workspace) : undefined;
    return errorAnnotation(failure.message || 'failed', { file, line: failure.line ?? undefined, title: `Patchpilot could not fix: ${failure.name}` });
  });
}

/** Annotations need paths from the repository root; the runner printed them relative to where the tests ran. */
function workspacePath(file: string, cwd: string, workspace: string): string | undefined {
  const absolute = isAbsolute(file) ? file : resolve(cwd, file);
  const rel = relative(workspace, absolute);
  return rel.startsWith('..') || isAbsolute(rel) ? undefined : rel.split('\\').join('/');
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return longest;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
