// Client side of the runner's driver server: in-host tests ask it to act on the workbench UI and report their results to it.
const driverUrl = process.env.PATCHPILOT_E2E_DRIVER;

export interface DriverConfig {
  scenario: string;
  phase: string;
  grep: string | null;
  specs: string[];
}

export interface ScriptedRequests {
  requests: { turn: number | null; outcome: string; attempt?: number | null; body: { messages?: { role: string; content: unknown }[] } | null }[];
  remaining: number;
  violations: string[];
}

async function call<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
  if (!driverUrl) throw new Error('PATCHPILOT_E2E_DRIVER is not set: run these tests through test/vscode/run.js');
  const response = await fetch(`${driverUrl}${route}`, {
    method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const reply = (await response.json()) as { ok: boolean; result?: T; error?: string };
  if (!reply.ok) throw new Error(`UI driver: ${reply.error ?? 'failed'}`);
  return reply.result as T;
}

export const driver = {
  available: (): boolean => Boolean(driverUrl),
  config: (): Promise<DriverConfig> => call<DriverConfig>('GET', '/config'),
  report: (result: { passed: number; failed: number }): Promise<unknown> => call('POST', '/result', result),
  /** Starts a scripted OpenAI-compatible server in the runner (it outlives window reloads); returns its base URL. */
  scripted: (script: unknown): Promise<{ url: string; index: number }> => call('POST', '/scripted', { script }),
  scriptedRequests: (index?: number): Promise<ScriptedRequests> => call('POST', '/scripted/requests', { index }),
  /** Runs one UI action of test/vscode/ui/actions.ts in the runner and returns its result. */
  ui: <T = unknown>(action: string, args: Record<string, unknown> = {}): Promise<T> => call<T>('POST', '/ui', { action, args }),
};
