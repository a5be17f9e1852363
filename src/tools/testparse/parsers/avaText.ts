// Helpers for AVA's two reporters: how AVA words an error (labels, concordance-formatted values, diffs) and
// how its titles relate to test files. Used by the default-reporter parser (ava.ts) and the TAP parser.
import { compactMessage, isLibraryFrame, normaliseSlashes, type StackFrame } from '../text';

// The labels AVA puts above a value that was thrown or rejected instead of a failed assertion.
const thrownLabel = /^(?:Error thrown in test|Rejected promise returned by test\. Reason):?$/;
// concordance prints an error as `TypeError {` then `message: '…',` on the next line.
const errorObjectHead = /^([A-Za-z_$][\w$.]*) \{$/;
const errorObjectMessage = /^message: (['"`])(.*)\1,?$/;

function unescapeQuoted(text: string): string {
  return text.replace(/\\(['"`\\])/g, '$1').replace(/\\n/g, ' ');
}

/** "TypeError: boom" out of the lines after an "Error thrown in test:" label; null when they are not an error object. */
export function thrownErrorLine(valueLines: readonly string[]): string | null {
  const lines = valueLines.map((line) => line.trim()).filter((line) => line !== '');
  const head = errorObjectHead.exec(lines[0] ?? '');
  const message = errorObjectMessage.exec(lines[1] ?? '');
  if (head && message) return `${head[1]}: ${unescapeQuoted(message[2])}`;
  if (head) return head[1];
  return null;
}

export function isThrownLabel(line: string): boolean {
  return thrownLabel.test(line.trim());
}

/**
 * Compacts AVA's explanation of a failure. A thrown value becomes "Name: message" (what a person looks
 * for first); after a "Difference" label only the changed (-/+) lines are kept, since the context lines of a
 * deep diff would crowd out the values; a line printed twice (summary, then stack header) is kept once.
 */
export function avaMessage(region: readonly string[]): string {
  const lines = region.map((line) => line.trim()).filter((line) => line !== '');
  const thrownAt = lines.findIndex((line) => isThrownLabel(line));
  if (thrownAt >= 0) {
    const thrown = thrownErrorLine(lines.slice(thrownAt + 1));
    if (thrown) return thrown;
  }
  const kept: string[] = [];
  let inDiff = false;
  for (const line of lines) {
    if (/^Difference \(.*\):$/.test(line)) {
      inDiff = true;
      kept.push(line);
      continue;
    }
    if (inDiff && !/^[-+]/.test(line)) continue;
    if (!kept.includes(line)) kept.push(line);
  }
  return compactMessage(kept);
}

/** The title prefix AVA derives from a test file: folders and the file name without `.test.`/`.spec.`/`test-`. */
function stemSegments(file: string): string[] {
  const parts = normaliseSlashes(file).split('/').filter((part) => part !== '' && part !== '__tests__');
  const name = (parts.pop() ?? '')
    .replace(/\.spec\./, '.')
    .replace(/\.test\./, '.')
    .replace(/test-/, '')
    .replace(/\.[cm]?[jt]sx?$/, '');
  return [...parts, name];
}

/** True when the title starts with the prefix AVA would give a test in this file (in runs of several files). */
export function titleMatchesFile(title: string, file: string): boolean {
  const segments = stemSegments(file);
  for (let count = segments.length; count >= 1; count--) {
    if (title.startsWith(segments.slice(-count).join(' › ') + ' › ')) return true;
  }
  return false;
}

const testLikePath = /(?:^|[/\\])(?:tests?|__tests__|specs?)[/\\]|\.(?:test|spec)\.[cm]?[jt]sx?$/;

/**
 * The frame that locates a failure: a test file the title points to, else any test-like file, else a file the
 * title points to, else the first outside libraries. A throw inside the code under test is located at the
 * test's call, as jest and the ground truth do.
 */
export function pickAvaFrame(frames: readonly StackFrame[], title: string): StackFrame | null {
  const own = frames.filter((frame) => !isLibraryFrame(frame.file) && !/\/node_modules\/ava\//.test(frame.file));
  const testLike = own.filter((f) => testLikePath.test(f.file));
  const named = (f: StackFrame): boolean => titleMatchesFile(title, f.file);
  // src/cart.js and test/cart.test.js both fit the title prefix "cart › ": the test file comes first.
  return testLike.find(named) ?? testLike[0] ?? own.find(named) ?? own[0] ?? null;
}
