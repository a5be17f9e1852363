// The CLI's usage text and the error type that maps to exit code 2.
export class UsageError extends Error {}

export const USAGE = `Usage: patchpilot <command> [options]

Commands:
  run --cwd DIR --goal TEXT [--test CMD] [--approve auto|ask] [--max-steps N] [--max-cost USD]
      [--max-tokens N] [--max-time SECONDS] [--report FILE] [--base-url URL --model NAME | --scripted-model FILE]
      Run a task. Exit 0 when the goal is verified, 1 when it failed or a guard stopped it, 2 for bad usage.
  fix-tests --cwd DIR --test CMD [run options]   run with the goal "make the failing tests pass"
  resume --cwd DIR --task ID [model options]       continue an interrupted task from its journal
  tasks --cwd DIR                                  list the tasks journaled for a folder
  undo --cwd DIR --task ID                         restore every file a task changed (files edited since are kept)
  apply-edit --cwd DIR --edit FILE [--file REL] [--format auto|search-replace|unified-diff|apply-patch|editblock|edit-json]
  parse-test-output [--runner auto|mocha|jest|vitest|node|pytest|go|cargo|tap|junit|ava] [FILE|-]
  scripted-server --script FILE [--port N]         serve a scripted OpenAI-compatible model
  demo                                             the real loop on a sample project, against the built-in scripted model
  queue add --cwd DIR --goal TEXT [--test CMD] [run options]   queue a task in DIR/.patchpilot/queue (prints its id)
  queue list [--cwd DIR] [--json]                  the queued tasks and their states
  queue run [--cwd DIR] [--parallel N]             run them: one at a time in DIR, or N at once in worktrees (results
                                                   as patches); a task whose runner died is resumed from its journal
  queue cancel ID [--cwd DIR] · queue apply ID [--cwd DIR]   cancel one; apply a worktree task's patch
  watch --cwd DIR --test CMD [--debounce MS] [--max-proposals N] [--proposal-max-steps N] [--proposal-max-cost USD]
      [--max-failed-proposals N] [--backoff MS] [--propose-on-start] [model options]
      Run the tests after changes; when a change turns them red, propose a fix (a patch in .patchpilot/proposals).

Safety: --sandbox workspace-write|read-only|off (default workspace-write), --allow-host HOST, --pass-env NAME,
  --allow-test-edits, --protected PATTERN, --unprotect PATTERN (repeatable where it makes sense).
MCP: --mcp-config FILE (VS Code's mcp.json shape, repeatable), --allow-mcp SERVER[/TOOL] (may run under --approve auto).
Provider (see docs/providers.md): --base-url URL --model NAME, or --provider NAME: a profile from --providers FILE
  (default $PATCHPILOT_PROVIDERS, else ~/.config/patchpilot/providers.json) or a type (azure, ollama, openai-compatible);
  flags given explicitly override the profile's fields. --api-version V (Azure), --api-key-header NAME (send the key
  as NAME instead of Authorization, e.g. api-key, x-api-key), --header 'Name: value' (repeatable),
  --context-window TOKENS, --price-input USD --price-output USD (per million tokens; built-in dated prices otherwise).
Roles (off by default): --roles runs planner (read-only) → coder → verifier (read-only + tests; may send the coder
  back, at most --verifier-rounds N times, default 2). Each role's model: --planner-model NAME --planner-base-url URL
  (or --planner-scripted-model FILE), likewise --coder-… and --verifier-…; defaults: --model / --base-url.
Escalation: --escalate-model NAME [--escalate-base-url URL | --escalate-scripted-model FILE]: on no progress the coder
  switches to this model once instead of stopping.
Triage (before the first model call, no model cost): --triage (needs --test; --no-triage is the default);
  --bisect [--bisect-depth N] names the commit that broke each failing test (git bisect over the last N commits, default
  20, in a temporary worktree). --no-targeted-runs: run_tests always runs the full suite (default: only the failing tests
  while they fail; finish always runs the full suite).
Parallel attempts (run, fix-tests): --attempts N (each in its own worktree; the judge picks one, applied to your tree
  through the usual review), --parallel N (at once; default: the cores), --attempt-models A,B (cycled; same endpoint),
  --attempt-scripted-models F1,F2 (one scripted server each). The budget flags are for the whole task, shared out.
More run options: --journal-dir DIR, --allow RULE, --deny RULE, --test-timeout SECONDS, --untrusted, --verbose, --quiet.
API key: a profile's apiKeyEnv, else PATCHPILOT_API_KEY, AZURE_OPENAI_API_KEY (Azure), OPENAI_API_KEY; local servers need none.
Base URL also from PATCHPILOT_BASE_URL / OPENAI_BASE_URL, model from PATCHPILOT_MODEL.
`;
