// Where triage and targeted runs meet the session: when a task's first run starts, triage runs once (journaled,
// into the first prompt and the report); targeted runs are set up from the task's test runs so far (a resumed task
// picks up where it was). Kept apart so the session only calls two functions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionGates } from '../gates';
import type { Journal } from '../journal';
import type { PathPolicy } from '../policy/pathPolicy';
import type { SessionState } from '../state';
import { linkIgnoredEntries } from '../../tools/changes/worktrees';
import { TargetedRuns } from './targeted';
import { formatTriage, runTriage } from './triage';
import { DEFAULT_BISECT, DEFAULT_TRIAGE, type BisectSettings, type TriageSettings } from './types';

export type TriageOption = (Partial<Omit<TriageSettings, 'bisect'>> & { bisect?: Partial<BisectSettings> | null }) | null | undefined;

/** A package.json script's text (`npm test` → its "test" script), read when a filter needs it. */
export function packageScriptReader(cwd: string): (name: string) => string | null {
  return (name) => {
    try {
      const scripts: unknown = (JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { scripts?: unknown }).scripts;
      const script = typeof scripts === 'object' && scripts !== null ? Reflect.get(scripts, name) : undefined;
      return typeof script === 'string' ? script : null;
    } catch {
      return null;
    }
  };
}

export function createTargeting(enabled: boolean | undefined, state: SessionState): TargetedRuns | undefined {
  const testCommand = state.config.testCommand;
  if (!enabled || !testCommand) return undefined;
  const targeting = new TargetedRuns({ testCommand, packageScript: packageScriptReader(state.config.cwd) });
  targeting.setFlaky((state.triage?.flaky ?? []).map((f) => f.name));
  for (const run of state.testRuns) targeting.noteRun(run);
  return targeting;
}

export interface SessionTriageDeps {
  option: TriageOption;
  state: SessionState;
  gates: SessionGates;
  journal: Journal;
  pathPolicy: PathPolicy;
  targeting: TargetedRuns | undefined;
  mask(text: string): string;
  now(): number;
  /** Adds the triage to the conversation, before the first model call. */
  appendMessage(text: string): void;
}

/** Runs triage when it is asked for and the task has not run anything yet; returns whether it ran. */
export async function triageIfDue(deps: SessionTriageDeps): Promise<boolean> {
  const { option, state } = deps;
  const testCommand = state.config.testCommand;
  if (!option || !testCommand || state.steps > 0 || state.testRuns.length > 0 || state.triage !== undefined) return false;
  const settings: TriageSettings = { ...DEFAULT_TRIAGE, ...option, bisect: option.bisect ? { ...DEFAULT_BISECT, ...option.bisect } : null };
  const cwd = state.config.cwd;
  const report = await runTriage({
    testCommand,
    runFull: () => deps.gates.runTests(false),
    runSelected: (command, where) => deps.gates.runSelectedTests(command, where),
    packageScript: packageScriptReader(cwd),
    bisect: settings.bisect ? { root: cwd, linkDependencies: (worktree) => linkIgnoredEntries(cwd, worktree, (relative) => deps.pathPolicy.isProtectedRelative(relative)), mask: deps.mask, now: deps.now } : null,
    now: deps.now,
    onRun: (event) => deps.journal.append({ type: 'triage_run', ...event }),
  }, settings);
  state.triage = report;
  if (!report) return false;
  deps.journal.append({ type: 'triage', report });
  deps.targeting?.setFlaky(report.flaky.map((f) => f.name));
  deps.appendMessage(formatTriage(report));
  return true;
}
