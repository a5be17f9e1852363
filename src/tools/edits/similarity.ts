// Similarity scoring to find the closest near-miss of a failed search, so the error can show the model what is there.
import type { ClosestCandidate } from './types';

/** Above this many characters an exact edit distance is too slow; the bigram score stands in for it. */
const MAX_EDIT_DISTANCE_CHARS = 6000;
const SHORTLIST = 4;

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = new Int32Array(b.length + 1);
  let current = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    const ch = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (ch === b.charCodeAt(j - 1) ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    [previous, current] = [current, previous];
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

/** Character pairs as numbers (two UTF-16 units), which hash much faster than two-character strings. */
function lineBigrams(line: string): number[] {
  const text = line.trim();
  const grams: number[] = [];
  for (let i = 0; i < text.length - 1; i++) grams.push(text.charCodeAt(i) * 65536 + text.charCodeAt(i + 1));
  return grams;
}

/**
 * Bigram overlap of every window of `size` lines with the search, in one pass: the window's bigram counts are
 * updated as it slides, so a large file costs one visit per character rather than one per window and line.
 */
function slidingWindowScores(fileLines: readonly string[], searchLines: readonly string[], size: number): number[] {
  const target = new Map<number, number>();
  let targetTotal = 0;
  for (const line of searchLines) for (const gram of lineBigrams(line)) { target.set(gram, (target.get(gram) ?? 0) + 1); targetTotal++; }
  const grams = fileLines.map(lineBigrams);
  const window = new Map<number, number>();
  let shared = 0;
  let windowTotal = 0;
  const add = (lineGrams: number[], step: 1 | -1): void => {
    for (const gram of lineGrams) {
      const before = window.get(gram) ?? 0;
      const after = before + step;
      const limit = target.get(gram) ?? 0;
      shared += Math.min(after, limit) - Math.min(before, limit);
      window.set(gram, after);
      windowTotal += step;
    }
  };
  const scores: number[] = [];
  for (let i = 0; i < fileLines.length; i++) {
    add(grams[i], 1);
    if (i >= size) add(grams[i - size], -1);
    if (i >= size - 1) scores.push(windowTotal + targetTotal === 0 ? 0 : (2 * shared) / (windowTotal + targetTotal));
  }
  return scores;
}

/** The window of the file that looks most like the search lines, or undefined for an empty file or search. */
export function closestCandidate(fileLines: readonly string[], searchLines: readonly string[]): ClosestCandidate | undefined {
  if (fileLines.length === 0 || searchLines.length === 0) return undefined;
  const size = Math.min(searchLines.length, fileLines.length);
  const target = normalised(searchLines);
  const shortlist = slidingWindowScores(fileLines, searchLines, size)
    .map((score, start) => ({ start, score }))
    .sort((a, b) => b.score - a.score || a.start - b.start)
    .slice(0, SHORTLIST);
  let best: ClosestCandidate | undefined;
  for (const { start } of shortlist) {
    const window = fileLines.slice(start, start + size);
    const score = similarity(normalised(window), target);
    if (!best || score > best.similarity) {
      best = { startLine: start + 1, endLine: start + size, similarity: Math.round(score * 100) / 100, text: window.join('\n') };
    }
  }
  return best;
}
