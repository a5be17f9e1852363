// When a sandboxed command fails, says whether the sandbox is the likely reason, in words the model and the person
// can act on: what was blocked, and how to allow it. Judged from the output, because the sandbox itself reports
// nothing: a write outside the allowed folders fails with EROFS, a read of a hidden file finds it empty or missing,
// a connection has no route (no network namespace) or is refused by the proxy.
import type { SandboxPolicy } from './policy';

const READ_ONLY = /read-only file system|\bEROFS\b/i;
const DENIED = /permission denied|\bEACCES\b/i;
const BUSY = /\bEBUSY\b|device or resource busy/i;
const NETWORK = /\bEAI_AGAIN\b|\bENOTFOUND\b|\bENETUNREACH\b|network is unreachable|temporary failure in name resolution|could not resolve host|name or service not known|getaddrinfo|failed to resolve|connection refused by the proxy|Patchpilot sandbox: the host/i;

/** A note to append to a failed command's result, or null when nothing points at the sandbox. */
export function explainSandboxBlock(output: string, policy: SandboxPolicy): string | null {
  const notes: string[] = [];
  if (READ_ONLY.test(output) || BUSY.test(output)) {
    const writable = policy.mode === 'workspace-write' ? 'the workspace and $TMPDIR (/tmp)' : 'only $TMPDIR (/tmp): the sandbox is read-only';
    notes.push(`a write was blocked: commands may write ${writable}; .git/, .patchpilot/ and the task's protected test files are read-only. ` +
      'Write inside the workspace instead; if the person wants more, they can use --sandbox off (CLI) or patchpilot.sandbox.mode (VS Code).');
  }
  const hiddenNamed = policy.hidden.map((hidden) => hidden.split('/').pop() ?? '').filter((name) => name !== '' && output.includes(name));
  if (DENIED.test(output) && hiddenNamed.length) {
    notes.push(`${hiddenNamed.slice(0, 3).join(', ')} cannot be read: protected files (secrets, keys, credential stores) are hidden from commands. Do not try to read them another way; ask the person for what you need.`);
  }
  if (NETWORK.test(output) && !policy.allowHosts.includes('*')) {
    const allowed = policy.allowHosts.length ? `only ${policy.allowHosts.join(', ')} (through the proxy, for tools that honour HTTPS_PROXY) and loopback are reachable`
      : 'only loopback (localhost) is reachable';
    notes.push(`a network connection was blocked: ${allowed}. Do not retry it; if the person wants a host reachable, they can pass --allow-host HOST (CLI) or add it to patchpilot.sandbox.allowHosts (VS Code).`);
  }
  return notes.length ? `[sandbox] This command ran in Patchpilot's sandbox, and ${notes.join(' Also, ')}` : null;
}
