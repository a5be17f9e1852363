// AVA's flavour of TAP (`ava --tap`): how to tell it from other TAP producers, and how to read its YAML
// diagnostics (name, message, assertion, labelled details, a single `at` frame) into a failure message.
import { indentOf, unquote } from '../text';
import { avaMessage, isThrownLabel } from './avaText';

/** Marks only AVA's TAP carries: `assertion: t.is()`, per-file crash lines, "# N tests remaining in". */
export function looksLikeAvaTap(text: string): boolean {
  return (
    /^\s+assertion: t\.\w+\(\)$/m.test(text) ||
    /^not ok \d+ - \S+ exited (?:with a non-zero exit code: \d+|due to )/m.test(text) ||
    /^# \d+ tests? remaining in \S/m.test(text)
  );
}

/** A crash record's title names the error itself ("Error [ERR_X]: …"), not a test. */
export function isAvaCrashTitle(title: string, yaml: readonly string[]): boolean {
  const name = yamlScalar(yaml, 'name');
  return name !== null && name !== '' && (title.startsWith(`${name}: `) || title.startsWith(`${name} [`));
}

/** "test/x.test.js exited with a non-zero exit code: 1" names the file whose worker died. */
export function avaExitedFile(title: string): string | null {
  const match = /^(\S.*?) exited (?:with a non-zero exit code: \d+|due to .+)$/.exec(title);
  return match ? match[1] : null;
}

/** A YAML scalar at this key: inline (quoted or plain) or a |- / >- block; folded blocks are joined by spaces. */
function yamlScalar(yaml: readonly string[], key: string): string | null {
  const lines = yamlValueLines(yaml, key);
  return lines === null ? null : lines.join(/^\s*\S+:\s*>/.test(yaml.find((l) => keyLine(l, key)) ?? '') ? ' ' : '\n').trim();
}

function keyLine(line: string, key: string): boolean {
  return new RegExp(`^\\s*${key}:`).test(line);
}

function yamlValueLines(yaml: readonly string[], key: string): string[] | null {
  const index = yaml.findIndex((line) => keyLine(line, key));
  if (index < 0) return null;
  const inline = yaml[index].replace(new RegExp(`^\\s*${key}:\\s*`), '');
  if (inline && !/^[|>][-+0-9]*$/.test(inline)) return [yamlUnquote(inline)];
  const keyIndent = indentOf(yaml[index]);
  const block: string[] = [];
  for (const line of yaml.slice(index + 1)) {
    if (line.trim() !== '' && indentOf(line) <= keyIndent) break;
    block.push(line.trim());
  }
  return block;
}

/** YAML single quotes double an inner quote: '''done''' is 'done'. */
function yamlUnquote(text: string): string {
  const single = /^'(.*)'$/.exec(text.trim());
  return single ? single[1].replace(/''/g, "'") : unquote(text.trim());
}

/** The `details:` map: each label ('Difference (- actual, + expected):') with the lines of its value. */
function yamlDetails(yaml: readonly string[]): { label: string; lines: string[] }[] {
  const start = yaml.findIndex((line) => /^\s*details:\s*$/.test(line));
  if (start < 0) return [];
  const detailsIndent = indentOf(yaml[start]);
  const entries: { label: string; lines: string[] }[] = [];
  for (const line of yaml.slice(start + 1)) {
    if (line.trim() !== '' && indentOf(line) <= detailsIndent) break;
    const entry = /^\s*('(?:[^']|'')*'|[^:]+):\s*(.*)$/.exec(line);
    if (entry && indentOf(line) === detailsIndent + 2) {
      const value = entry[2];
      const inline = value && !/^[|>][-+0-9]*$/.test(value) ? [yamlUnquote(value)] : [];
      entries.push({ label: yamlUnquote(entry[1]), lines: inline });
    } else if (entries.length > 0) {
      entries[entries.length - 1].lines.push(line);
    }
  }
  return entries;
}

/**
 * The same words the default reporter shows: the assertion's own message when it has one, else its labelled
 * details (a thrown error becomes "TypeError: …"); a plain error (a timeout) reads "Error: Test timeout exceeded".
 */
export function avaTapMessage(yaml: readonly string[]): string {
  const message = yamlScalar(yaml, 'message') ?? '';
  const details = yamlDetails(yaml);
  if (details.length === 0) {
    const name = yamlScalar(yaml, 'name');
    return name && message && name !== 'AssertionError' ? `${name}: ${message}` : message;
  }
  const region: string[] = [];
  const thrown = details.some((d) => isThrownLabel(d.label));
  if (message && !thrown && message !== details[0].label.replace(/:$/, '')) region.push(message);
  for (const detail of details) region.push(detail.label, ...detail.lines);
  return avaMessage(region);
}
