// The shape of a triage: what the report's `triage` field holds and what the first prompt summarises.

export interface TriageFailing {
  name: string;
  file: string | null;
  line: number | null;
  /** First line of the failure message in the full run. */
  message: string;
  /** `failed_alone`: it failed every time it ran by itself; `not_isolated`: it could not be run by itself (see note). */
  isolation: 'failed_alone' | 'not_isolated';
  /** Runs of the test by itself. */
  runs: number;
  note?: string;
}

export interface TriageFlaky {
  name: string;
  file: string | null;
  /** It passed when run by itself (flaky, or it depends on other tests' state), or passed when run again. */
  evidence: 'passed_alone' | 'passed_on_rerun';
  runs: number;
}

export interface TriageCulprit {
  test: string;
  /** The first commit at which the test fails; null when bisection could not name one (see note). */
  commit: string | null;
  subject?: string;
  author?: string;
  date?: string;
  /** The commit's stat and patch, bounded (and secrets masked). */
  diff?: string;
  diffTruncated?: boolean;
  /** Several commits remained (skipped ones in between). */
  candidates?: string[];
  /** How it was found, or why not ("passes at HEAD: the failure is in uncommitted changes"). */
  note: string;
  /** Test runs the bisection made. */
  runs: number;
}

export interface TriageReport {
  /** The runner the filters were built for, or null when no filter could be built. */
  runner: string | null;
  /** Why tests could not be selected by name (then nothing was isolated); null when they could. */
  filterUnavailable: string | null;
  failing: TriageFailing[];
  flaky: TriageFlaky[];
  /** Only with --bisect; empty otherwise. */
  culprits: TriageCulprit[];
  /** Every bound that was reached ("isolated 8 of 12 failing tests (cap 8)"). */
  capped: string[];
  /** Test command runs the triage made, the first full run included. */
  runs: number;
  durationMs: number;
}

export interface TriageSettings {
  /** Failing tests run by themselves at most (each once, plus `reruns`). */
  maxIsolated: number;
  reruns: number;
  /** Wall time for all isolation runs together. */
  isolationBudgetMs: number;
  /** null: no bisection. */
  bisect: BisectSettings | null;
}

export interface BisectSettings {
  /** How many commits back from HEAD bisection looks. */
  depth: number;
  /** Failing tests bisected at most. */
  maxTests: number;
  /** Test runs per bisected test at most. */
  maxRunsPerTest: number;
  /** Wall time for all bisections together. */
  budgetMs: number;
  maxDiffChars: number;
}

export const DEFAULT_TRIAGE: TriageSettings = { maxIsolated: 8, reruns: 1, isolationBudgetMs: 120_000, bisect: null };
export const DEFAULT_BISECT: BisectSettings = { depth: 20, maxTests: 3, maxRunsPerTest: 12, budgetMs: 300_000, maxDiffChars: 3000 };
