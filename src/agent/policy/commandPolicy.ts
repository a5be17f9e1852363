// Command policy: decides whether a shell command the model wants to run is allowed, needs the person's
// approval ('ask'), or is denied outright.
//
// Rule syntax (allow and deny rules alike, user rules and built-ins):
// - A prefix pattern: words matched against the start of a normalised simple command, on word boundaries.
//   `git status` matches `git status -s` but not `git statusx`; `ls` does not match `lsof`.
//   `*` matches any run of characters, spaces included: `npm run test*` matches `npm run test:unit -- -g x`,
//   `git push * --force` matches `git push origin main --force`.
// - A regular expression between slashes, with optional flags: `/^docker\s+(ps|images)\b/i`.
// Normalising a simple command removes quotes and escapes, leading env assignments (`FOO=1 cmd`), wrappers
// that just run the next word (`env`, `command`, `exec`, `nohup`, `time`, `nice`, `timeout 10`), shell keywords
// (`if`, `then`, `do`, `{` …), and the folder of an absolute program path (`/bin/rm` → `rm`).
//
// How a command is judged:
// - Deny rules always win. They are tried on every simple command (normalised and as written), on every
//   pipeline (normalised commands joined with ' | ', so `curl x | sh` is caught although each half is
//   harmless), and on the whole command line. Strings run by `bash -c '…'`/`sh -c`/`eval` are parsed and judged too.
// - The command is allowed only when every simple command — including those inside `( … )`, `$( … )`,
//   backticks and `<( … )` — matches an allow rule, writes no file through a redirection (other than
//   /dev/null), sets no variable that changes what runs (PATH, LD_PRELOAD, NODE_OPTIONS …), and, when a path
//   policy is given, names no protected path. Otherwise the verdict is 'ask', naming the first such command.
// - With a write scope (the workspace and the temp folders), a command that writes, moves or deletes a path outside it
//   (`rm -rf ~/other`, `cp x /etc/`, `echo > ../f`) is denied in every mode; `cd` earlier on the line is followed.
// - Some commands are never run unattended (`autoRefusal`): git commands that discard work or rewrite history,
//   `git config` that plants hooks or aliases, and deleting or changing the task's protected test files.
// This is a guard against accidents and obvious abuse; the OS sandbox (src/tools/process/sandbox) confines the rest.
import * as path from 'node:path';
import { commandWriteTargets, expandHome, resolveTarget, type WriteTarget } from './commandEffects';
import { gitRisk } from './gitPolicy';
import { flattenSegments, parseCommand, type ShellPipeline, type ShellSegment } from './commandParser';
import { DEFAULT_ALLOW_RULES, DEFAULT_DENY_RULES, DESCRIBED_DENY_RULES } from './defaultCommandRules';
import { resolveRealPath, type PathPolicy } from './pathPolicy';

export { DEFAULT_ALLOW_RULES, DEFAULT_DENY_RULES } from './defaultCommandRules';

export interface CommandRules {
  allow?: string[];
  deny?: string[];
}

export interface CommandEvaluation {
  verdict: 'allow' | 'ask' | 'deny';
  reason: string;
  /** The simple command (or pipeline) the verdict is about. */
  segment?: string;
  /** Some part names a protected path (`cat .env`): approvers without a person must refuse it. */
  touchesProtectedPath?: boolean;
  /** Set when the command must not run unattended (--approve auto): why, in words for the model and the person. */
  autoRefusal?: string;
  /** A write target only known at run time (`rm -rf $DIR`): unattended, it may run only inside the sandbox. */
  unknownWriteTarget?: string;
}

export interface WriteScope {
  /** Where the command starts. */
  cwd: string;
  /** Folders the command may write in (the workspace, the task's temp folder; /tmp when it is sandboxed). */
  roots: string[];
  /** True when a path (or a folder holding one) is a protected test file of the task. */
  protectsTest?: (absolute: string) => boolean;
}

export interface CommandPolicyOptions {
  /** When given, a command naming a protected path (`cat .env`) is never auto-allowed. */
  pathPolicy?: Pick<PathPolicy, 'check' | 'protectedRuleFor'>;
  /** When given, writes outside it are denied and the deletion of protected test files is refused unattended. */
  writeScope?: WriteScope;
}

interface CompiledRule {
  source: string;
  regex: RegExp;
}

const SHELL_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'esac']);
const PASS_THROUGH_WRAPPERS = new Set(['command', 'builtin', 'exec', 'nohup', 'time']);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh']);
const HIJACKING_VARIABLES = /^(?:PATH|LD_\w+|DYLD_\w+|NODE_OPTIONS|NODE_PATH|BASH_ENV|ENV|PROMPT_COMMAND|IFS|PYTHONPATH|PYTHONSTARTUP|PERL5OPT|RUBYOPT|GIT_SSH_COMMAND|GIT_EXEC_PATH)$/;
// `name()` opening a function body and `pattern)` opening a case branch: what follows them is the command.
const FUNCTION_HEADER = /^[\w.:-]+\(\)$/;
const CASE_PATTERN = /^[^()]+\)$/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const HARMLESS_WRITE_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr']);

const compiledDefaultDeny = compileRules(DEFAULT_DENY_RULES, true);
const compiledDefaultAllow = compileRules(DEFAULT_ALLOW_RULES, false);

/** The simple commands of a command line, as written, in order; subshells and substitutions expanded. */
export function splitCommandSegments(command: string): string[] {
  return flattenSegments(parseCommand(command).pipelines).map((segment) => segment.text);
}

export function evaluateCommand(command: string, rules: CommandRules = {}, options: CommandPolicyOptions = {}): CommandEvaluation {
  const trimmed = command.trim();
  if (trimmed === '') return { verdict: 'deny', reason: 'The command is empty: there is nothing to run.' };

  const parsed = parseCommand(trimmed);
  const units = collectUnits(trimmed, parsed.pipelines);
  const denyRules = [...compiledDefaultDeny, ...compileRules(rules.deny ?? [], true)];
  for (const candidate of units.denyCandidates) {
    const rule = denyRules.find((compiled) => compiled.regex.test(candidate));
    if (rule) return { verdict: 'deny', reason: denyReason(rule.source), segment: candidate };
  }

  const effects = judgeEffects(units.simpleCommands, options.writeScope);
  if (effects.outside) return { verdict: 'deny', reason: effects.outside.reason, segment: effects.outside.segment };

  if (!parsed.complete) {
    return { verdict: 'ask', reason: 'The command has an unclosed quote, parenthesis or substitution, so it cannot be checked part by part.', segment: trimmed, ...effects.flags };
  }
  const allowRules = [...compiledDefaultAllow, ...compileRules(rules.allow ?? [], false)];
  for (const simple of units.simpleCommands) {
    const problem = effects.flags.autoRefusal && effects.segment === simple.segment.text ? effects.flags.autoRefusal : whyNotAutoAllowed(simple, allowRules, options);
    if (problem !== null) {
      const touchesProtectedPath = units.simpleCommands.some((unit) => findProtectedPath(unit.segment, options) !== null);
      return { verdict: 'ask', reason: problem, segment: simple.segment.text, ...(touchesProtectedPath ? { touchesProtectedPath } : {}), ...effects.flags };
    }
  }
  if (effects.flags.autoRefusal) return { verdict: 'ask', reason: effects.flags.autoRefusal, segment: effects.segment, ...effects.flags };
  return { verdict: 'allow', reason: 'Every part of the command matches an allow rule.' };
}

// ---------------------------------------------------------------- what the command writes

interface EffectsVerdict {
  outside?: { reason: string; segment: string };
  flags: Pick<CommandEvaluation, 'autoRefusal' | 'unknownWriteTarget'>;
  /** The segment the autoRefusal is about. */
  segment?: string;
}

/** Walks the simple commands in order (following `cd`) and judges where each writes, and what git does. */
function judgeEffects(simpleCommands: readonly SimpleCommand[], scope: WriteScope | undefined): EffectsVerdict {
  const verdict: EffectsVerdict = { flags: {} };
  let cwd: string | null = scope?.cwd ?? null;
  for (const simple of simpleCommands) {
    const words = simple.normalised === '' ? [] : simple.normalised.split(' ');
    const risk = gitRisk(words);
    if (risk && !verdict.flags.autoRefusal) {
      verdict.flags.autoRefusal = `'${simple.segment.text}' ${risk.why}. Under --approve auto such git commands never run; the person can run it, or allow it in review mode.`;
      verdict.segment = simple.segment.text;
    }
    if (!scope) continue;
    if (words[0] === 'cd' || words[0] === 'pushd') {
      const target = words[1] === undefined ? '~' : words[1];
      cwd = cwd !== null && !/[$`]/.test(expandHome(target)) ? path.resolve(cwd, expandHome(target)) : null;
      continue;
    }
    if (words[0] === 'popd') cwd = null;
    const targets = cwd === null ? unknownTargets(words) : [
      ...commandWriteTargets(words, cwd),
      ...simple.segment.redirects.filter((r) => writesFile(r.op, r.target)).map((r) => resolveTarget(r.target, cwd!, 'writes')),
    ];
    for (const target of targets) {
      if (target.unknown) {
        verdict.flags.unknownWriteTarget ??= `'${simple.segment.text}' ${target.verb} '${target.path}', which is only known when it runs`;
        continue;
      }
      if (!insideRoots(target.path, scope.roots)) {
        verdict.outside = {
          segment: simple.segment.text,
          reason: `Denied: '${simple.segment.text}' ${target.verb} ${target.path.startsWith('/') ? `'${target.path}'` : target.path}, outside the workspace (${scope.roots[0]}). ` +
            'Commands may change files only inside the workspace and the task\'s temp folder ($TMPDIR); this holds in every mode.',
        };
        return verdict;
      }
      if (target.verb !== 'writes' && scope.protectsTest?.(target.path) && !verdict.flags.autoRefusal) {
        verdict.flags.autoRefusal = `'${simple.segment.text}' ${target.verb} test files that existed when the task started. ` +
          'Tests and test configuration are read-only while changes are written without review; fix the code under test instead (the person can allow test edits with --allow-test-edits).';
        verdict.segment = simple.segment.text;
      }
    }
  }
  return verdict;
}

// After a `cd` we cannot follow, relative targets resolve under this marker and count as unknown.
const UNKNOWN_CWD = '/\u0000unknown-cwd';

function unknownTargets(words: string[]): WriteTarget[] {
  return commandWriteTargets(words, UNKNOWN_CWD).map((target) => (target.path.startsWith(UNKNOWN_CWD) ? { ...target, unknown: true } : target));
}

const DEVICE_TARGETS = /^\/dev\/(?:null|zero|stdout|stderr|tty|fd\/\d+)$/;

/** Judged by where the path really leads: a link inside the workspace that points outside does not count as inside. */
function insideRoots(target: string, roots: readonly string[]): boolean {
  if (DEVICE_TARGETS.test(target)) return true;
  const real = resolveRealPath(target);
  return roots.some((root) => {
    const relative = path.relative(resolveRealPath(root), real);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  });
}

/** Messages for rules that cannot be compiled, so settings can report them; empty when all are valid. */
export function validateCommandRules(rules: CommandRules): string[] {
  return [...(rules.allow ?? []), ...(rules.deny ?? [])].flatMap((rule) => {
    const regex = parseRegexRule(rule);
    return regex instanceof Error ? [`Rule '${rule}' is not a valid regular expression: ${regex.message}`] : [];
  });
}

// ---------------------------------------------------------------- units to judge

interface SimpleCommand {
  segment: ShellSegment;
  normalised: string;
  assignments: string[];
}

function collectUnits(command: string, pipelines: readonly ShellPipeline[]): {
  denyCandidates: string[];
  simpleCommands: SimpleCommand[];
} {
  // Most specific first, so a deny names the smallest part that triggered it; the whole line comes last.
  const denyCandidates: string[] = [];
  const simpleCommands: SimpleCommand[] = [];
  const visit = (list: readonly ShellPipeline[], depth: number): void => {
    for (const pipeline of list) {
      const normalisedParts: string[] = [];
      for (const segment of pipeline.segments) {
        if (segment.group) visit(segment.group, depth);
        const simple = normaliseSegment(segment);
        simpleCommands.push(simple); // a group runs nothing itself, but its redirections still count
        if (!segment.group) {
          denyCandidates.push(simple.normalised, segment.text);
          normalisedParts.push(simple.normalised);
        }
        visit(segment.nested, depth);
        // Strings handed to `sh -c` or `eval` are commands too; judge them for deny rules.
        const inner = innerScript(simple.normalised, segment);
        if (inner !== null && depth < 4) visit(parseCommand(inner).pipelines, depth + 1);
      }
      denyCandidates.push(normalisedParts.join(' | '), pipeline.text);
    }
  };
  visit(pipelines, 0);
  denyCandidates.push(command);
  return { denyCandidates: denyCandidates.filter((text) => text !== ''), simpleCommands };
}

function normaliseSegment(segment: ShellSegment): SimpleCommand {
  const words = [...segment.words];
  const assignments: string[] = [];
  let changed = true;
  while (changed && words.length > 0) {
    changed = true;
    const first = words[0];
    if (SHELL_KEYWORDS.has(first) || PASS_THROUGH_WRAPPERS.has(first)) words.shift();
    else if (first === 'function' || FUNCTION_HEADER.test(first) || CASE_PATTERN.test(first)) words.shift();
    else if (first === 'case') words.splice(0, 3); // `case WORD in`
    else if (ASSIGNMENT.test(first)) assignments.push(words.shift()!.split('=')[0]);
    else if (first === 'env' && words.length > 1) dropEnvOptions(words, assignments);
    else if (first === 'nice') dropWrapperWithOptions(words, ['-n']);
    else if (first === 'timeout') dropTimeout(words);
    else changed = false;
  }
  if (words.length > 0 && words[words.length - 1] === '}') words.pop();
  if (words.length > 0 && words[0].startsWith('/')) words[0] = words[0].slice(words[0].lastIndexOf('/') + 1);
  return { segment, normalised: words.join(' ').trim(), assignments };
}

function dropEnvOptions(words: string[], assignments: string[]): void {
  words.shift();
  while (words.length > 0 && (words[0].startsWith('-') || ASSIGNMENT.test(words[0]))) {
    const word = words.shift()!;
    if (ASSIGNMENT.test(word)) assignments.push(word.split('=')[0]);
    else if (word === '-u' || word === '--unset') words.shift();
  }
  // Bare `env` prints the environment, secrets included: keep it as the command so it is judged itself.
  if (words.length === 0) words.push('env');
}

function dropWrapperWithOptions(words: string[], optionsWithValue: string[]): void {
  words.shift();
  while (words.length > 0 && words[0].startsWith('-')) {
    if (optionsWithValue.includes(words.shift()!)) words.shift();
  }
}

function dropTimeout(words: string[]): void {
  dropWrapperWithOptions(words, ['-s', '--signal', '-k', '--kill-after']);
  if (words.length > 0 && /^\d/.test(words[0])) words.shift();
}

function innerScript(normalised: string, segment: ShellSegment): string | null {
  const words = normalised.split(' ');
  if (words[0] === 'eval') return normalised.slice('eval'.length).trim();
  if (!SHELLS.has(words[0])) return null;
  const flagIndex = segment.words.findIndex((word) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(word));
  return flagIndex >= 0 && flagIndex + 1 < segment.words.length ? segment.words[flagIndex + 1] : null;
}

// ---------------------------------------------------------------- judging

function whyNotAutoAllowed(simple: SimpleCommand, allowRules: CompiledRule[], options: CommandPolicyOptions): string | null {
  const { segment, normalised } = simple;
  const hijack = simple.assignments.find((name) => HIJACKING_VARIABLES.test(name));
  if (hijack) return `'${segment.text}' sets ${hijack}, which changes what actually runs; it needs approval.`;
  const write = segment.redirects.find((redirect) => writesFile(redirect.op, redirect.target));
  if (write) return `'${segment.text}' writes to '${write.target}' through a redirection; it needs approval.`;
  const protectedPath = findProtectedPath(segment, options);
  if (protectedPath) return `'${segment.text}' touches a protected path: ${protectedPath}`;
  if (normalised === '') return null; // only keywords, assignments or a group: nothing of its own runs
  if (allowRules.some((rule) => rule.regex.test(normalised))) return null;
  return `'${segment.text}' is not on the allow list; it needs approval (or add an allow rule).`;
}

function writesFile(op: string, target: string): boolean {
  const bare = op.replace(/^\d+/, '');
  if (bare.startsWith('<') && bare !== '<>') return false;
  if (bare === '>&' && /^(?:\d+|-)$/.test(target)) return false; // fd duplication like 2>&1
  return !HARMLESS_WRITE_TARGETS.has(target);
}

function findProtectedPath(segment: ShellSegment, options: CommandPolicyOptions): string | null {
  const policy = options.pathPolicy;
  if (!policy) return null;
  const candidates = [...segment.words.slice(1), ...segment.redirects.map((redirect) => redirect.target)]
    .map((word) => word.replace(/^--?[\w-]+=/, ''))
    .filter((word) => word !== '' && !word.startsWith('-'));
  for (const word of candidates) {
    const check = policy.check(word, 'read');
    if (!check.ok && check.code === 'protected_path') return check.message;
    const rule = check.ok ? null : policy.protectedRuleFor(word);
    if (rule !== null) return `'${word}' matches the protected pattern '${rule}'.`;
  }
  return null;
}

function denyReason(rule: string): string {
  const described = DESCRIBED_DENY_RULES.find((entry) => entry.rule === rule);
  const what = described ? `it ${described.why}` : `it matches the deny rule '${rule}'`;
  return `Denied: ${what}. Deny rules cannot be overridden by allow rules; run it yourself if it is really intended.`;
}

// ---------------------------------------------------------------- rule compilation

function compileRules(rules: readonly string[], keepInvalidAsLiteral: boolean): CompiledRule[] {
  return rules.filter((source) => source.trim() !== '').flatMap((source) => {
    const regex = parseRegexRule(source);
    if (regex instanceof Error) {
      // A broken deny rule still denies its literal text; a broken allow rule allows nothing.
      return keepInvalidAsLiteral ? [{ source, regex: prefixRegex(source) }] : [];
    }
    return [{ source, regex: regex ?? prefixRegex(source) }];
  });
}

/** The rule's RegExp when it is written `/…/flags`, an Error when that does not compile, null for prefix rules. */
function parseRegexRule(rule: string): RegExp | Error | null {
  const match = /^\/(.+)\/([dgimsuy]*)$/s.exec(rule.trim());
  if (!match) return null;
  try {
    return new RegExp(match[1], match[2].replace(/[gy]/g, ''));
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function prefixRegex(pattern: string): RegExp {
  const body = pattern
    .trim()
    .split(/\s+/)
    .map((word) => word.split('*').map(escapeRegex).join('.*'))
    .join('\\s+');
  return new RegExp(`^${body}(?:\\s|$)`);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
