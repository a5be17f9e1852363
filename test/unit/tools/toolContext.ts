// The ToolContext of the tool tests: the real workspace over a temp folder, a writer the test inspects, and inert
// command/test gates (tools that run commands are tested through the session and the CLI).
import { PathPolicy } from '../../../src/agent/policy/pathPolicy';
import type { ToolContext } from '../../../src/tools/context';
import { NodeWorkspace } from '../../../src/tools/workspace/nodeWorkspace';

export function workspaceToolContext(root: string, writer: ToolContext['writer']): ToolContext {
  return {
    workspace: new NodeWorkspace(root, new PathPolicy(root)),
    writer,
    commands: { runCommand: async () => ({ ok: true, output: '' }) },
    tests: { runTests: async () => null },
    setPlan: () => undefined,
    remember: async () => ({ ok: true, output: '' }),
    forget: async () => ({ ok: true, output: '' }),
    signal: new AbortController().signal,
  };
}
