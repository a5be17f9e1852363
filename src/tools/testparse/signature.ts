// A stable fingerprint of a set of failures, so the agent loop can tell "the same failures again" across attempts.
import { createHash } from 'node:crypto';
import { firstLine } from './text';
import type { TestFailure } from './types';

// Order matters: specific shapes first, then the bare numbers they contain.
const volatileParts: [RegExp, string][] = [
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<time>'],
  [/(?:\/tmp|\/var\/folders|\/private\/var\/folders|[A-Za-z]:\\[^\s'"]*\\Temp)[^\s'"):]*/g, '<tmp>'],
  [/\b0x[0-9a-f]+\b/gi, '<addr>'],
  [/\b[0-9a-f]{12,}\b/gi, '<hex>'],
  [/\d+(?:\.\d+)?\s*(?:ms|s|sec|seconds|µs|us|ns|m)\b/g, '<dur>'],
  [/\d+(?:\.\d+)?/g, '<n>'],
];

/**
 * Masks what changes between runs of the same failure. Only the first line counts: the lines after it carry
 * values (Expected/Received, diffs) that change while a test keeps failing the same way, and a changed
 * received value is not progress.
 */
export function normaliseFailureMessage(message: string): string {
  let text = firstLine(message);
  for (const [pattern, mask] of volatileParts) text = text.replace(pattern, mask);
  return text.replace(/\s+/g, ' ');
}

const tempPath = volatileParts[1][0];

function normaliseFile(file: string | null): string {
  return file ? file.replace(tempPath, '<tmp>').replace(/\\/g, '/').replace(/^\.\//, '') : '';
}

/**
 * Order-independent and insensitive to timings, counts, addresses and temp paths; line numbers are left out
 * because edits above a failing test move it without changing the failure.
 */
export function failureSignature(failures: TestFailure[]): string {
  const entries = failures
    .map((f) => [f.kind ?? '', f.name.trim(), normaliseFile(f.file), normaliseFailureMessage(f.message)].join('\u0001'))
    .sort();
  const unique = [...new Set(entries)];
  return createHash('sha256').update(unique.join('\u0002')).digest('hex').slice(0, 16);
}
