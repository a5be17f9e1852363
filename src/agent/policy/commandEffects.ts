// Which paths a simple command writes, moves or deletes, read from its words the way the common file tools take
// their arguments (rm, mv, cp, tee, sed -i, dd of=, redirections, …). The command policy uses it to refuse writes
// outside the workspace in every mode — with or without the sandbox — and deletions of protected test files under
// auto. Anything it cannot tell (a `$VAR`, a `$( … )` in a target) is reported as unknown rather than guessed.
import * as os from 'node:os';
import * as path from 'node:path';

export type WriteVerb = 'writes' | 'deletes' | 'moves' | 'changes';

export interface WriteTarget {
  /** Absolute path, or the word as written when it cannot be resolved (see `unknown`). */
  path: string;
  verb: WriteVerb;
  /** True when the word holds a variable or substitution: where it points is only known at run time. */
  unknown: boolean;
}

/** Commands whose every operand is a target. */
const ALL_OPERANDS: Record<string, WriteVerb> = {
  rm: 'deletes', rmdir: 'deletes', unlink: 'deletes', shred: 'deletes', mv: 'moves', touch: 'writes', mkdir: 'writes',
  truncate: 'changes', tee: 'writes',
};
/** Commands whose first operand is a mode or owner, the rest targets. */
const AFTER_FIRST_OPERAND: Record<string, WriteVerb> = { chmod: 'changes', chown: 'changes', chgrp: 'changes' };
/** Commands whose last operand is the destination (or `-t DIR`). */
const LAST_OPERAND: Record<string, WriteVerb> = { cp: 'writes', install: 'writes', ln: 'writes', rsync: 'writes', scp: 'writes' };
/** Options of those commands that take a value (so the value is not an operand). */
const OPTIONS_WITH_VALUE: Record<string, string[]> = {
  cp: ['-t', '--target-directory', '-S', '--suffix'], mv: ['-t', '--target-directory', '-S', '--suffix'], install: ['-t', '-m', '-o', '-g', '-S'],
  ln: ['-t', '-S'], truncate: ['-s', '--size', '-r', '--reference'], tee: [], rsync: ['-e', '--exclude', '--include', '--filter'],
  sed: ['-e', '-f', '--expression', '--file', '-l'], perl: ['-e', '-E', '-M', '-I'], chmod: ['--reference'], chown: ['--reference'],
};

export function expandHome(word: string): string {
  const home = os.homedir();
  if (word === '~' || word.startsWith('~/')) return home + word.slice(1);
  return word.replace(/^\$HOME(?=\/|$)/, home).replace(/^\$\{HOME\}(?=\/|$)/, home);
}

/** The part of a word a glob cannot change: `/tmp/x/*.js` → `/tmp/x`. */
function globFreePrefix(word: string): string {
  const index = word.search(/[*?[]/);
  if (index === -1) return word;
  const cut = word.slice(0, index);
  return cut.includes('/') ? cut.slice(0, cut.lastIndexOf('/') + 1) || '/' : '.';
}

export function resolveTarget(word: string, cwd: string, verb: WriteVerb): WriteTarget {
  const expanded = expandHome(word);
  if (/[$`]/.test(expanded)) return { path: word, verb, unknown: true };
  return { path: path.resolve(cwd, globFreePrefix(expanded)), verb, unknown: false };
}

function operands(words: readonly string[], withValue: readonly string[]): string[] {
  const out: string[] = [];
  let endOfOptions = false;
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    if (!endOfOptions && word === '--') endOfOptions = true;
    else if (!endOfOptions && word.startsWith('-') && word !== '-') {
      if (withValue.includes(word)) i++;
    } else out.push(word);
  }
  return out;
}

function optionValue(words: readonly string[], names: readonly string[]): string | null {
  for (let i = 1; i < words.length; i++) {
    if (names.includes(words[i])) return words[i + 1] ?? null;
    const long = names.find((name) => name.startsWith('--') && words[i].startsWith(`${name}=`));
    if (long) return words[i].slice(long.length + 1);
  }
  return null;
}

/** The targets of one normalised simple command (program first); redirections are judged by the caller. */
export function commandWriteTargets(words: readonly string[], cwd: string): WriteTarget[] {
  const program = words[0];
  if (program === undefined) return [];
  const resolve = (word: string, verb: WriteVerb) => resolveTarget(word, cwd, verb);
  const withValue = OPTIONS_WITH_VALUE[program] ?? [];
  if (ALL_OPERANDS[program]) return operands(words, withValue).map((word) => resolve(word, ALL_OPERANDS[program]));
  if (AFTER_FIRST_OPERAND[program]) return operands(words, withValue).slice(1).map((word) => resolve(word, AFTER_FIRST_OPERAND[program]));
  if (LAST_OPERAND[program]) {
    const directory = optionValue(words, ['-t', '--target-directory']);
    if (directory !== null) return [resolve(directory, LAST_OPERAND[program])];
    const list = operands(words, withValue);
    const targets = list.length >= 2 ? [resolve(list[list.length - 1], LAST_OPERAND[program])] : [];
    if (program === 'rsync' && words.includes('--remove-source-files')) targets.push(...list.slice(0, -1).map((word) => resolve(word, 'moves')));
    return targets.filter((target) => !/^[\w.-]+@?[\w.-]*:/.test(target.path)); // user@host:path is remote
  }
  if (program === 'dd') {
    const of = words.find((word) => word.startsWith('of='));
    return of ? [resolve(of.slice(3), 'writes')] : [];
  }
  if (program === 'sed' || program === 'perl') return inPlaceTargets(words, withValue, cwd);
  if (program === 'find') return findTargets(words, cwd);
  if (program === 'tar') return tarTargets(words, cwd);
  if (program === 'unzip') {
    const directory = optionValue(words, ['-d']);
    return directory !== null ? [resolve(directory, 'writes')] : [];
  }
  if (program === 'git') {
    const sub = words.findIndex((word, i) => i > 0 && !word.startsWith('-') && words[i - 1] !== '-C' && words[i - 1] !== '-c');
    if (words[sub] === 'clone') {
      const list = operands(words.slice(sub), []);
      return list.length >= 2 ? [resolve(list[list.length - 1], 'writes')] : [];
    }
    const directory = optionValue(words, ['-C']);
    return directory !== null ? [resolve(directory, 'changes')] : [];
  }
  if ((program === 'npm' || program === 'pnpm' || program === 'yarn') && globalInstall(words)) {
    return [{ path: `the global ${program} folder`, verb: 'writes', unknown: false }];
  }
  return [];
}

function inPlaceTargets(words: readonly string[], withValue: readonly string[], cwd: string): WriteTarget[] {
  const inPlace = words.some((word, i) => i > 0 && (/^-i/.test(word) || word === '--in-place' || word.startsWith('--in-place=') || /^-[a-zA-Z]*i[a-zA-Z]*$/.test(word)));
  if (!inPlace) return [];
  const list = operands(words, withValue);
  const scriptGiven = words.some((word) => word === '-e' || word === '-f' || word === '--expression' || word === '--file' || (words[0] === 'perl' && /^-[a-zA-Z]*[eE]$/.test(word)));
  return (scriptGiven ? list : list.slice(1)).map((word) => resolveTarget(word, cwd, 'changes'));
}

function findTargets(words: readonly string[], cwd: string): WriteTarget[] {
  const destructive = words.some((word) => word === '-delete') ||
    words.some((word, i) => (word === '-exec' || word === '-execdir' || word === '-ok') && /^(?:\S*\/)?(?:rm|mv|shred|unlink|truncate|chmod|chown)$/.test(words[i + 1] ?? ''));
  if (!destructive) return [];
  const starts: string[] = [];
  for (let i = 1; i < words.length && !/^[-(!]/.test(words[i]); i++) starts.push(words[i]);
  return (starts.length ? starts : ['.']).map((word) => resolveTarget(word, cwd, 'deletes'));
}

function tarTargets(words: readonly string[], cwd: string): WriteTarget[] {
  const first = words[1] ?? '';
  const flags = first.startsWith('-') ? first : `-${first}`;
  const extracting = /^-[a-zA-Z]*x/.test(flags) || words.includes('--extract') || words.includes('--get');
  const creating = /^-[a-zA-Z]*[cru]/.test(flags) || words.includes('--create') || words.includes('--append');
  const directory = optionValue(words, ['-C', '--directory']);
  if (extracting) return [resolveTarget(directory ?? '.', cwd, 'writes')];
  if (creating) {
    const file = optionValue(words, ['-f', '--file']) ?? (/f$/.test(flags) ? words[2] ?? null : null);
    return file !== null && file !== '-' ? [resolveTarget(file, directory ? path.resolve(cwd, directory) : cwd, 'writes')] : [];
  }
  return [];
}

function globalInstall(words: readonly string[]): boolean {
  if (words[0] === 'yarn' && words[1] === 'global') return true;
  const installs = ['install', 'i', 'add', 'uninstall', 'remove', 'rm', 'un', 'update', 'up', 'link'];
  return words.some((word) => installs.includes(word)) && words.some((word) => word === '-g' || word === '--global' || word === '--location=global');
}
