// Renders task events as terminal lines: plan, tool calls, test runs, reflections, the end.
import type { TaskEvent } from '../agent/events';
import type { StreamEvent } from '../agent/loop';

export interface PrinterOptions { write(text: string): void; verbose: boolean; color: boolean;
  /** The role acting now (roles on), so streamed text says who speaks. */
  role?(): string | undefined }

export function createPrinter(options: PrinterOptions): (event: TaskEvent) => void {
  const paint = (code: string, text: string) => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  let role: string | undefined;
  // With roles, every line of a role's phase says which role acted.
  const line = (text: string) => options.write((role ? paint('2', `[${role}] `) : '') + text + '\n');
  return (event) => {
    role = event.role;
    switch (event.type) {
      case 'task_started': line(paint('1', `▶ Task ${event.taskId}: ${event.config.goal}`)); break;
      case 'task_resumed': line(paint('1', `▶ Resuming task ${event.taskId}`)); break;
      case 'plan_updated':
        line(paint('36', 'Plan:'));
        for (const item of event.items) line(`  ${item.status === 'done' ? '[x]' : item.status === 'in_progress' ? '[~]' : '[ ]'} ${item.title}`);
        break;
      case 'model_reply':
        // The text was printed as it streamed (createStreamPrinter); a reply whose text was parsed into tool calls says so.
        if (event.toolCallsFromText) line(paint('2', `(tool calls written as text, ${event.toolCallsFromText}: run as tool calls)`));
        break;
      case 'model_retry': line(paint('33', `model: attempt ${event.attempt} failed (${oneLine(event.reason, 160)}); retrying in ${event.delayMs} ms`)); break;
      case 'tool_started': line(`→ ${event.name} ${oneLine(JSON.stringify(event.args), 160)}`); break;
      case 'tool_finished': {
        // A command or test run that exited non-zero is a failure to the eye, even though the tool itself worked.
        const failed = !event.ok || (event.exitCode !== undefined && event.exitCode !== 0);
        line(failed ? paint('31', `  ✗ ${oneLine(event.summary, 300)}`) : paint('32', `  ✓ ${oneLine(event.summary, 200)}`));
        break;
      }
      case 'test_run': {
        const run = event.run;
        const head = run.exitCode === 0 ? paint('32', 'tests passed') : paint('31', run.timedOut ? 'tests timed out' : `tests failed (exit ${run.exitCode})`);
        line(`${event.verification ? '⚖ verification: ' : run.targeted ? `⚙ targeted (${run.targeted.selected.length} selected): ` : '⚙ '}${head}${run.failures.length ? ` — ${run.failures.length} failing` : ''}`);
        for (const f of run.failures.slice(0, 10)) line(paint('31', `    ✗ ${f.name}${f.file ? ` (${f.file}${f.line ? `:${f.line}` : ''})` : ''}: ${oneLine(f.message, 200)}`));
        break;
      }
      case 'triage_run': line(paint('2', `  triage ${event.purpose}${event.commit ? ` @${event.commit.slice(0, 10)}` : ''}: ${oneLine(event.test, 120)} → ${event.outcome}`)); break;
      case 'triage': {
        const report = event.report;
        line(paint('36', `⌕ triage: ${report.failing.length} failing, ${report.flaky.length} flaky, ${report.runs} runs in ${(report.durationMs / 1000).toFixed(1)} s`));
        for (const f of report.flaky) line(paint('33', `    ~ flaky: ${f.name} (${f.evidence.replace(/_/g, ' ')})`));
        for (const c of report.culprits) line(paint('36', `    culprit of ${oneLine(c.test, 80)}: ${c.commit ? `${c.commit.slice(0, 10)} ${c.subject ?? ''}` : `none (${c.note})`}`));
        for (const cap of report.capped) line(paint('33', `    bound: ${cap}`));
        break;
      }
      case 'reflection': line(paint('35', `↺ reflection after attempt ${event.attempt}: ${oneLine(event.text, 400)}`)); break;
      case 'checkpoint': if (event.commit) line(paint('2', `checkpoint ${event.commit.slice(0, 10)} (${event.ref})`)); break;
      case 'context_condensed': line(paint('2', `context condensed: ~${event.beforeTokens} → ~${event.afterTokens} tokens`)); break;
      case 'warning': line(paint('33', `warning: ${event.message}`)); break;
      case 'safety': {
        const off = event.sandbox.active === 'off';
        line(paint(off ? '33' : '2', off ? `⚠ ${event.sandbox.note}` : `sandbox: ${event.sandbox.enforcedBy} ${event.sandbox.active}${event.allowHosts.length ? `, hosts: ${event.allowHosts.join(', ')}` : ', no network but loopback'}`));
        if (event.testFiles) line(paint('2', `test files read-only: ${event.testFiles.length}`));
        if (event.droppedEnv.length) line(paint('2', `kept from commands: ${event.droppedEnv.join(', ')}`));
        break;
      }
      case 'verdict':
        line(paint(event.status === 'verified' ? '32' : event.status === 'unverified' ? '33' : '31', `⚖ ${event.summary}`));
        for (const path of event.testChanges) line(paint('33', `    test change to review: ${path}`));
        break;
      case 'mcp_server':
        line(paint(event.state === 'failed' ? '33' : '2', `mcp: ${event.server} ${event.state}${event.detail ? ` — ${event.detail}` : ''}`));
        break;
      case 'role_started': line(paint('1;36', `◆ ${event.reason} (model ${event.model})`)); break;
      case 'planned':
        for (const criterion of event.acceptanceCriteria) line(paint('36', `  acceptance: ${criterion}`));
        break;
      case 'role_verdict':
        line(paint(event.decision === 'agree' ? '32' : '33', event.decision === 'agree' ? '◆ verifier agrees'
          : `◆ verifier ${event.sentBack ? 'sends the coder back' : 'still objects, no send-back left'}: ${oneLine(event.reasons.join('; '), 400)}`));
        break;
      case 'escalated': line(paint('1;33', `⇧ escalated from ${event.from} to ${event.to}: ${oneLine(event.reason, 300)}`)); break;
      case 'network': if (!event.allowed) line(paint('33', `sandbox: refused a connection to ${event.host}`)); break;
      case 'task_finished': {
        const color = event.status === 'verified' ? '32' : event.status === 'unverified' ? '33' : '31';
        line(paint(`1;${color}`, `■ ${event.status}${event.reason ? ` (${event.reason})` : ''}: ${oneLine(event.summary, 400)}`));
        break;
      }
      default: break;
    }
  };
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

/** Prints the model's text as it streams in, as `model: …` paragraphs; tool-call arguments are not echoed. */
export function createStreamPrinter(options: PrinterOptions): (event: StreamEvent) => void {
  const paint = (text: string) => (options.color ? `\x1b[2m${text}\x1b[0m` : text);
  let open = false;
  return (event) => {
    if (event.type === 'text' && event.delta) {
      const role = options.role?.();
      if (!open) options.write(paint(role ? `[${role}] model: ` : 'model: '));
      open = true;
      options.write(paint(event.delta));
    } else if ((event.type === 'end' || event.type === 'restart') && open) {
      options.write(event.type === 'restart' ? paint(' [retrying]\n') : '\n');
      open = false;
    }
  };
}
