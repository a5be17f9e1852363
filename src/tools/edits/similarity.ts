// Similarity scoring to find the closest near-miss of a failed search, so the error can show the model what is there.
import type { ClosestCandidate } from './types';

/** Above this many characters an exact edit distance is too slow; the bigram score stands in for it. */
const MAX_EDIT_DISTANCE_CHARS = 6000;
const SHORTLIST = 4;

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[b.length];
}

/** 0..1, where 1 means identical. */
export function similarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  if (longest === 0) return 1;
  if (longest > MAX_EDIT_DISTANCE_CHARS) return bigramDice(a, b);
  return 1 - levenshtein(a, b) / longest;
}

function bigrams(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < text.length - 1; i++) {
    const gram = text.slice(i, i + 2);
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/** Cheap multiset overlap of character pairs, used to shortlist windows before the exact distance. */
export function bigramDice(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const left = bigrams(a);
  const right = bigrams(b);
  let shared = 0;
  for (const [gram, count] of left) shared += Math.min(count, right.get(gram) ?? 0);
  return (2 * shared) / (a.length - 1 + b.length - 1);
}

function normalised(lines: readonly string[]): string {
  return lines.map((line) => line.trim()).join('\n');
}

/** The window of the file that looks most like the search lines, or undefined for an empty file or search. */
export function closestCandidate(fileLines: readonly string[], searchLines: readonly string[]): ClosestCandidate | undefined {
  if (fileLines.length === 0 || searchLines.length === 0) return undefined;
  const size = Math.min(searchLines.length, fileLines.length);
  const target = normalised(searchLines);
  const scored: Array<{ start: number; score: number }> = [];
  for (let start = 0; start + size <= fileLines.length; start++) {
    scored.push({ start, score: bigramDice(normalised(fileLines.slice(start, start + size)), target) });
  }
  scored.sort((a, b) => b.score - a.score || a.start - b.start);
  let best: ClosestCandidate | undefined;
  for (const { start } of scored.slice(0, SHORTLIST)) {
    const window = fileLines.slice(start, start + size);
    const score = similarity(normalised(window), target);
    if (!best || score > best.similarity) {
      best = { startLine: start + 1, endLine: start + size, similarity: Math.round(score * 100) / 100, text: window.join('\n') };
    }
  }
  return best;
}
