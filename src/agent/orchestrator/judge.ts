// The judge of parallel attempts: a pure ranking of what each attempt achieved, in a fixed order of criteria —
// honest verification (the verdict's `verified`) > fewer failing tests > no regressions > the verifier's verdict
// (when there is one) > a smaller diff > a lower cost. Each criterion decides only when all the earlier ones tie;
// attempts equal on every criterion are reported as a tie (the lower attempt number is taken, and the reasons say so).

export interface AttemptOutcome {
  /** "attempt-1", "attempt-2", … (the number orders a full tie). */
  id: string;
  /** The verdict of the attempt's last verification was `verified` (the original tests ran and pass). */
  verified: boolean;
  /** Failing tests in its last verification; null when no test run saw its final code. */
  failingTests: number | null;
  /** Tests that passed earlier in the attempt (at the start) and fail in its last run; null when unknown. */
  regressions: number | null;
  /** A verifier role's opinion of the change, when one reviewed it. */
  verifierVerdict?: 'pass' | 'fail' | null;
  /** Lines added plus lines removed, test files included. */
  diffLines: number;
  costUsd: number | null;
  /** Prompt plus completion tokens: the cost when prices are unknown. */
  totalTokens: number;
  /** It changed at least one file (an attempt without changes has nothing to apply). */
  hasChanges: boolean;
}

export interface Judgement {
  /** Every attempt id, best first. */
  ranking: string[];
  /** The attempt whose changes become the task's change set; null when none is eligible. */
  chosen: string | null;
  /** Why, in words: the deciding criterion between neighbours of the ranking, ties, ineligible attempts. */
  reasons: string[];
  /** Groups of attempts equal on every criterion (each group best-ranked first). */
  ties: string[][];
}

interface Criterion {
  name: string;
  /** Negative when `a` is better. */
  compare(a: AttemptOutcome, b: AttemptOutcome): number;
  describe(a: AttemptOutcome): string;
}

/** Unknown counts rank below every known count: an attempt no test run has seen proved nothing. */
function fewer(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}

const verifierRank = (verdict: AttemptOutcome['verifierVerdict']): number => (verdict === 'pass' ? 0 : verdict === 'fail' ? 2 : 1);

/** Cost in dollars when both are priced, else in tokens (the same models' tokens cost alike; it is what is known). */
function cheaper(a: AttemptOutcome, b: AttemptOutcome): number {
  if (a.costUsd !== null && b.costUsd !== null && a.costUsd !== b.costUsd) return a.costUsd - b.costUsd;
  return a.totalTokens - b.totalTokens;
}

const count = (n: number | null, word: string) => (n === null ? `${word} unknown` : `${n} ${word}`);

export const CRITERIA: readonly Criterion[] = [
  { name: 'verified', compare: (a, b) => Number(b.verified) - Number(a.verified), describe: (a) => (a.verified ? 'verified' : 'not verified') },
  { name: 'failing tests', compare: (a, b) => fewer(a.failingTests, b.failingTests), describe: (a) => count(a.failingTests, 'failing') },
  { name: 'regressions', compare: (a, b) => fewer(a.regressions, b.regressions), describe: (a) => count(a.regressions, 'regressions') },
  {
    name: "verifier's verdict", compare: (a, b) => verifierRank(a.verifierVerdict) - verifierRank(b.verifierVerdict),
    describe: (a) => (a.verifierVerdict ? `verifier: ${a.verifierVerdict}` : 'no verifier verdict'),
  },
  { name: 'diff size', compare: (a, b) => a.diffLines - b.diffLines, describe: (a) => `${a.diffLines} changed lines` },
  {
    name: 'cost', compare: cheaper,
    describe: (a) => (a.costUsd !== null ? `$${a.costUsd.toFixed(4)}` : `${a.totalTokens} tokens`),
  },
];

function attemptNumber(id: string): number {
  const match = /(\d+)$/.exec(id);
  return match ? Number(match[1]) : Number.MAX_SAFE_INTEGER;
}

/** The first criterion on which a and b differ, or null when they tie on all of them. */
export function decidingCriterion(a: AttemptOutcome, b: AttemptOutcome): Criterion | null {
  return CRITERIA.find((criterion) => criterion.compare(a, b) !== 0) ?? null;
}

export function compareAttempts(a: AttemptOutcome, b: AttemptOutcome): number {
  const criterion = decidingCriterion(a, b);
  return criterion ? criterion.compare(a, b) : attemptNumber(a.id) - attemptNumber(b.id);
}

/** Ranks the attempts and picks the best one that has something to apply (or was verified as it is). */
export function judgeAttempts(outcomes: readonly AttemptOutcome[]): Judgement {
  const ranked = [...outcomes].sort(compareAttempts);
  const reasons: string[] = [];
  const ties: string[][] = [];
  for (let i = 0; i < ranked.length; i++) {
    const group = [ranked[i]];
    while (i + 1 < ranked.length && decidingCriterion(ranked[i], ranked[i + 1]) === null) group.push(ranked[++i]);
    if (group.length > 1) {
      ties.push(group.map((o) => o.id));
      reasons.push(`${group.map((o) => o.id).join(', ')} tie on every criterion (${CRITERIA.map((c) => c.describe(group[0])).join(', ')}); ranked by attempt number.`);
    }
  }
  for (let i = 0; i + 1 < ranked.length; i++) {
    const criterion = decidingCriterion(ranked[i], ranked[i + 1]);
    if (!criterion) continue;
    reasons.push(`${ranked[i].id} over ${ranked[i + 1].id} by ${criterion.name}: ${criterion.describe(ranked[i])} vs ${criterion.describe(ranked[i + 1])}.`);
  }
  const eligible = (o: AttemptOutcome) => o.hasChanges || o.verified;
  for (const o of ranked.filter((candidate) => !eligible(candidate))) reasons.push(`${o.id} changed nothing and was not verified: nothing to apply.`);
  const chosen = ranked.find(eligible) ?? null;
  if (chosen) {
    const tied = ties.find((group) => group[0] === chosen.id);
    reasons.unshift(`Chosen: ${chosen.id} (${CRITERIA.map((c) => c.describe(chosen)).join(', ')})${tied ? `, the lowest-numbered of the tie ${tied.join(', ')}` : ''}.`);
  } else {
    reasons.unshift(outcomes.length ? 'No attempt chosen: none changed anything or was verified.' : 'No attempt chosen: there were no attempts.');
  }
  return { ranking: ranked.map((o) => o.id), chosen: chosen?.id ?? null, reasons, ties };
}
