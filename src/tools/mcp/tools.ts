// An MCP server's tools as registry entries: `mcp__<server>__<tool>`, the server's own input schema (validated by
// the registry like any tool's), a description that says which server it comes from. Running one goes through the
// MCP gate the session provides (approval, bounds, journal), never straight to the server.
import type { ToolDefinition } from '../tool';
import { failure } from '../tool';
import { mcpToolName } from './config';
import type { McpToolInfo } from './hub';

const MAX_DESCRIPTION = 1_000;

export function mcpToolDefinitions(tools: readonly McpToolInfo[], builtInNames: ReadonlySet<string>): ToolDefinition<Record<string, unknown>>[] {
  const seen = new Set<string>();
  const definitions: ToolDefinition<Record<string, unknown>>[] = [];
  for (const info of tools) {
    const name = mcpToolName(info.server, info.tool);
    // Two tools that sanitise to the same name, or one that would shadow a built-in, are left out rather than guessed.
    if (seen.has(name) || builtInNames.has(name)) continue;
    seen.add(name);
    const description = `[MCP server "${info.server}"] ${info.description || info.tool}`.slice(0, MAX_DESCRIPTION);
    definitions.push({
      name,
      description,
      parameters: info.inputSchema.type === 'object' ? info.inputSchema : { type: 'object', properties: {}, additionalProperties: true },
      readOnly: false,
      run: (args, context) => context.mcp
        ? context.mcp.callTool(info.server, info.tool, args)
        : Promise.resolve(failure('unknown_tool', `MCP tools are not available in this task (${name}).`)),
    });
  }
  return definitions;
}
