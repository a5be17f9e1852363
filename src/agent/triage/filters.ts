// Per-runner test filters: from the task's test command and the names its output gave the failing tests, the same
// command narrowed to just those tests (jest/vitest `-t`, mocha `--grep`, node `--test-name-pattern`, pytest node
// ids, `go test -run`, `cargo test -- --exact`, AVA `--match`). Pure: no process, no file system (a package
// script is looked up through the caller). Every name reaches the shell single-quoted, so a test called
// `it's "odd" $(rm -rf ~)` is a string to the runner, never shell syntax. When the command's shape is not one we
// understand exactly, there is no filter (and a reason): the caller runs the full suite instead of guessing.
import { parseCommand } from '../policy/commandParser';
import type { TestRunner } from '../../tools/testparse/types';

export type FilterRunner = 'jest' | 'vitest' | 'mocha' | 'node' | 'pytest' | 'go' | 'cargo' | 'ava';

export interface FilterTarget {
  /** The test's name as the output parser reported it (testparse naming). */
  name: string;
  /** Its test file when known (narrows jest/vitest to that file). */
  file?: string | null;
}

export type FilterPlan =
  | { ok: true; runner: FilterRunner; command: string; selected: string[] }
  | { ok: false; reason: string };

export interface FilterContext {
  /** The runner whose naming the failure names follow (the parser that read the full run's output). */
  outputRunner: TestRunner | 'unknown';
  /** The text of a package.json script (for `npm test`, `yarn test`, `pnpm run unit`); null when it has none. */
  packageScript?: (name: string) => string | null;
}

interface Invocation {
  runner: FilterRunner;
  /** Put between the command and the filter arguments (`npm test` needs ` --` so npm hands them to the script). */
  separator: string;
  /** The words after the runner itself (a cargo command already holding `--`). */
  args: string[];
  /** Where in the command the filter goes when not at the end (node takes options only before its files). */
  insertAt?: number;
}

/** POSIX single quoting: the only character that needs care inside single quotes is the quote itself. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A literal for JavaScript and RE2 (Go) regular expressions alike. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** The command narrowed to `targets`, or the reason it cannot be. */
export function buildFilterCommand(command: string, targets: readonly FilterTarget[], context: FilterContext): FilterPlan {
  if (targets.length === 0) return { ok: false, reason: 'no tests to select' };
  const unusable = targets.find((t) => t.name.trim() === '' || /[\0\r]/.test(t.name) || t.name.startsWith('('));
  if (unusable) return { ok: false, reason: `the test name ${JSON.stringify(unusable.name)} cannot be selected by name` };
  const invocation = invocationOf(command, context, 0);
  if ('reason' in invocation) return { ok: false, reason: invocation.reason };
  if (!namesFollow(invocation.runner, context.outputRunner)) {
    return { ok: false, reason: `the command runs ${invocation.runner} but its output was read as ${context.outputRunner}, so the names may not match its filter` };
  }
  const names = [...new Set(targets.map((t) => t.name))];
  const args = filterArguments(invocation, targets, names);
  const trimmed = command.trimEnd();
  const narrowed = invocation.insertAt !== undefined ? `${trimmed.slice(0, invocation.insertAt)} ${args}${trimmed.slice(invocation.insertAt)}` : `${trimmed}${invocation.separator} ${args}`;
  return { ok: true, runner: invocation.runner, command: narrowed, selected: names };
}

function namesFollow(runner: FilterRunner, outputRunner: TestRunner | 'unknown'): boolean {
  return outputRunner === runner;
}

function filterArguments(invocation: Invocation, targets: readonly FilterTarget[], names: string[]): string {
  const anchored = (parts: string[]) => shellQuote(`^(?:${parts.map(escapeRegex).join('|')})$`);
  switch (invocation.runner) {
    case 'jest': return [...testFiles(targets).map((f) => shellQuote(escapeRegex(f))), '-t', anchored(names.map((n) => n.split(' › ').join(' ')))].join(' ');
    case 'vitest': return [...testFiles(targets).map(shellQuote), '-t', anchored(names.map((n) => n.split(' > ').join(' ')))].join(' ');
    case 'mocha': return `--grep ${anchored(names)}`;
    // Node 20 matches a test's own name, later versions its ancestors' names joined by spaces: both are offered.
    case 'node': return `--test-name-pattern ${anchored([...new Set(names.flatMap((n) => { const parts = n.split(' > '); return [parts[parts.length - 1], parts.join(' ')]; }))])}`;
    case 'pytest': return names.map(shellQuote).join(' ');
    case 'go': return `-run ${shellQuote(goRunPattern(names))}`;
    case 'cargo': return `${invocation.args.includes('--') ? '' : '-- '}--exact ${names.map(shellQuote).join(' ')}`;
    // AVA's --match has no escape for `*`: a leading `*` also covers the file prefix AVA puts before a title.
    case 'ava': return names.map((n) => `--match ${shellQuote(`*${avaTitle(n)}`)}`).join(' ');
  }
}

/** Test files of the targets, when every target has one that looks like a test file; else none (no narrowing). */
function testFiles(targets: readonly FilterTarget[]): string[] {
  const files = targets.map((t) => t.file ?? null);
  if (files.some((f) => f === null || !/(^|\/)(__tests__|tests?)\/|[._-](test|spec)\.[cm]?[jt]sx?$/.test(f))) return [];
  return [...new Set(files as string[])];
}

/** `go test -run` matches level by level at unbracketed slashes; mixed depths fall back to whole top-level tests. */
function goRunPattern(names: string[]): string {
  const levels = names.map((n) => n.split('/'));
  const depth = levels[0].length;
  const sameDepth = levels.every((parts) => parts.length === depth);
  const used = sameDepth ? depth : 1;
  const patterns: string[] = [];
  for (let i = 0; i < used; i++) patterns.push(`^(?:${[...new Set(levels.map((parts) => parts[i]))].map(escapeRegex).join('|')})$`);
  return patterns.join('/');
}

function avaTitle(name: string): string {
  const parts = name.split(' › ');
  const title = parts[parts.length - 1];
  return title.startsWith('!') ? title.slice(1) : title;
}

/** Which runner the command starts, and how arguments reach it; only shapes where appending is exact. */
function invocationOf(command: string, context: FilterContext, depth: number): Invocation | { reason: string } {
  const trimmed = command.trimEnd();
  const parsed = parseCommand(trimmed);
  if (!parsed.complete || parsed.pipelines.length === 0) return { reason: 'the test command could not be parsed' };
  const last = parsed.pipelines[parsed.pipelines.length - 1];
  const segment = last.segments[last.segments.length - 1];
  if (last.segments.length !== 1 || segment.group) return { reason: 'the test command ends in a pipe or a group, so added arguments would not reach the runner' };
  if (!trimmed.endsWith(segment.text)) return { reason: 'the test command does not end with the runner (a comment or a background job follows it)' };
  const before = trimmed.slice(0, trimmed.length - segment.text.length).trimEnd();
  if (before && !(before.endsWith('&&') || (before.endsWith(';') && !before.endsWith(';;')))) {
    return { reason: 'the runner is not the last command that always runs (joined by || or &)' };
  }
  if (segment.redirects.some((r) => r.op.startsWith('<<'))) return { reason: 'the test command feeds a heredoc' };
  const words = segment.words.filter((w, i, all) => !(all.slice(0, i + 1).every((x) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(x))));
  const invocation = runnerOf(words, context, depth);
  if ('reason' in invocation || invocation.runner !== 'node' || !invocation.args.some((w) => !w.startsWith('-'))) return invocation;
  // `node --test test/ --test-name-pattern x` would read the option as a file: it goes right after `--test`.
  if (depth > 0) return { reason: 'the script runs `node --test` with files, and node takes options only before them' };
  const flag = /(^|\s)--test(?=\s|$)/.exec(segment.text);
  if (!flag) return { reason: 'could not find where `--test` is in the command' };
  return { ...invocation, insertAt: trimmed.length - segment.text.length + flag.index + flag[0].length };
}

function runnerOf(words: string[], context: FilterContext, depth: number): Invocation | { reason: string } {
  let rest = words;
  // Launchers that run a package's binary: npx jest, pnpm exec vitest, yarn exec mocha, bunx ava.
  if (['npx', 'bunx', 'pnpx'].includes(rest[0] ?? '')) rest = rest.slice(1).filter((w, i, all) => !(all.slice(0, i + 1).every((x) => x.startsWith('-'))));
  else if (['pnpm', 'yarn', 'npm'].includes(rest[0] ?? '') && rest[1] === 'exec') rest = rest.slice(2).filter((w) => w !== '--');
  const [first = '', second = '', third = ''] = rest;
  const base = basename(first);
  const direct: Record<string, FilterRunner> = { jest: 'jest', vitest: 'vitest', mocha: 'mocha', _mocha: 'mocha', ava: 'ava', pytest: 'pytest', 'py.test': 'pytest' };
  if (direct[base]) return { runner: direct[base], separator: '', args: rest.slice(1) };
  if (/^python(\d(\.\d+)?)?$/.test(base) && second === '-m' && third === 'pytest') return { runner: 'pytest', separator: '', args: rest.slice(3) };
  if (base === 'go' && second === 'test') return { runner: 'go', separator: '', args: rest.slice(2) };
  if (base === 'cargo' && second === 'test') return { runner: 'cargo', separator: '', args: rest.slice(2) };
  if (base === 'node') return nodeInvocation(rest.slice(1));
  if (['npm', 'yarn', 'pnpm'].includes(base)) return scriptInvocation(base, rest.slice(1), context, depth);
  return { reason: `\`${first}\` is not a test runner Patchpilot can filter (jest, vitest, mocha, node --test, pytest, go test, cargo test, ava)` };
}

function nodeInvocation(args: string[]): Invocation | { reason: string } {
  const script = args.find((w) => !w.startsWith('-'));
  const flags = script === undefined ? args : args.slice(0, args.indexOf(script));
  if (flags.includes('--test')) return { runner: 'node', separator: '', args };
  // node node_modules/.bin/mocha, node ./node_modules/jest/bin/jest.js
  const match = script ? /(?:^|\/)(jest|vitest|mocha|_mocha|ava)(?:\/bin\/[\w.-]+|\.m?js)?$/.exec(script) : null;
  const runner = match ? ({ jest: 'jest', vitest: 'vitest', mocha: 'mocha', _mocha: 'mocha', ava: 'ava' } as const)[match[1] as 'jest'] : undefined;
  if (runner) return { runner, separator: '', args: args.slice(args.indexOf(script as string) + 1) };
  return { reason: `\`node ${script ?? ''}\` is a script Patchpilot cannot filter` };
}

function scriptInvocation(manager: string, args: string[], context: FilterContext, depth: number): Invocation | { reason: string } {
  if (depth > 0) return { reason: 'the package script runs another package script' };
  const [verb = '', maybeName = ''] = args;
  const isRun = verb === 'run' || verb === 'run-script';
  const name = ['test', 't', 'tst'].includes(verb) ? 'test' : isRun ? maybeName : manager !== 'npm' && verb && !verb.startsWith('-') ? verb : '';
  if (!name) return { reason: `\`${manager} ${args.join(' ')}\` does not name a package script` };
  const script = context.packageScript?.(name) ?? null;
  if (script === null) return { reason: `package.json has no "${name}" script` };
  const inner = invocationOf(script, context, depth + 1);
  if ('reason' in inner) return { reason: `the "${name}" script: ${inner.reason}` };
  // npm hands arguments to the script only after `--`; yarn and pnpm pass them on as they are.
  const passed = args.slice(isRun ? 2 : 1);
  const separator = manager === 'npm' && !passed.includes('--') ? ' --' : '';
  return { runner: inner.runner, separator, args: [...inner.args, ...passed] };
}

function basename(word: string): string {
  return word.split('/').pop() ?? word;
}
