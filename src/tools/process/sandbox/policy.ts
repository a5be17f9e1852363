// The sandbox policy: one declarative object that says what a command may touch. The session builds it per command
// (the protected files and test files it lists can change during a task), the journal records it, and exactly one
// function per OS (bubblewrap on Linux, sandbox-exec on macOS) turns it into a confined process.
//
// The command policy decides *whether* a command runs; this decides *what it can touch* once it does.

export type SandboxMode = 'workspace-write' | 'read-only' | 'off';

export const SANDBOX_MODES: readonly SandboxMode[] = ['workspace-write', 'read-only', 'off'];

export interface SandboxPolicy {
  mode: Exclude<SandboxMode, 'off'>;
  /** The workspace root: readable always, writable in workspace-write mode. */
  workspace: string;
  /** The per-task temp folder: always writable, seen as /tmp (and $TMPDIR) inside the sandbox. */
  tempDir: string;
  /** Absolute paths under writable folders that stay read-only (.git, .patchpilot, the task's protected test files). */
  readOnly: string[];
  /** Absolute paths that commands cannot read: protected files of the workspace and the person's credential stores. */
  hidden: string[];
  /** Hosts commands may reach through Patchpilot's filtering proxy; empty: loopback only; ['*']: unrestricted. */
  allowHosts: string[];
  /** Where that proxy listens: a Unix socket under tempDir (Linux) or a loopback URL (macOS). */
  proxy?: { socketPath?: string; url?: string };
}

/** The one place that says, in words, what a policy enforces: for the journal, the report and the model. */
export function describeSandboxPolicy(policy: SandboxPolicy, enforcedBy: string): string {
  const writes = policy.mode === 'workspace-write' ? 'the workspace and a per-task temp folder (/tmp)' : 'only a per-task temp folder (/tmp)';
  const network = policy.allowHosts.includes('*') ? 'unrestricted network'
    : policy.allowHosts.length ? `network to ${policy.allowHosts.join(', ')} only (through Patchpilot's proxy) and loopback`
      : 'no network except loopback';
  return `${enforcedBy}, ${policy.mode}: writes to ${writes}; .git/ and .patchpilot/ read-only; ` +
    `${policy.hidden.length} protected path(s) hidden; ${network}; every process ends with the command.`;
}

/** Matches a host against allow entries: exact names, `*.example.com` for subdomains, `*` for any. */
export function hostAllowed(host: string, allowHosts: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  return allowHosts.some((entry) => {
    const rule = entry.toLowerCase().trim();
    if (rule === '*') return true;
    if (rule.startsWith('*.')) return name.endsWith(rule.slice(1)) && name.length > rule.length - 1;
    return name === rule;
  });
}
