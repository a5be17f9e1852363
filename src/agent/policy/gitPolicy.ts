// Git commands that can lose the person's work or plant something that runs later. The deny rules already refuse
// the worst (`reset --hard`, `clean -f`, force pushes); this names the wider class the agent must never run
// unattended: discarding uncommitted changes, rewriting history, anything that talks to a remote, and `git config`
// that changes what runs (hooks, aliases, credential helpers, pagers, filters). Under --approve auto they are
// refused; otherwise the person is asked. The checkpoint is taken before the first command, so an approved one is
// still undoable.

export interface GitRisk {
  /** Why the command is risky, in words for the person and the model. */
  why: string;
}

// Options of `git` itself that take a value, so the subcommand is found after them.
const GLOBAL_OPTIONS_WITH_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env']);
// Config keys whose value git runs or trusts: setting one plants code or credentials for later.
const EXECUTING_CONFIG = /^(?:core\.(?:hookspath|fsmonitor|sshcommand|pager|editor|askpass|gitproxy|attributesfile|excludesfile|worktree)|alias\..+|credential(?:\..+)?|hook\..+|include\.path|includeif\..+|filter\..+|diff\..+\.(?:textconv|command)|diff\.external|merge\..+\.driver|url\..+|https?\.(?:.+\.)?proxy|sequence\.editor|gpg\.(?:.+\.)?program|uploadpack\..+|receive\..+|protocol\..+\.allow|safe\.directory)$/i;
const CONFIG_READ_FLAGS = new Set(['--get', '--get-all', '--get-regexp', '--list', '-l', '--get-urlmatch', '--show-origin', '--show-scope', '--name-only']);

/** The risk of a git command (words after normalisation, starting with 'git'), or null when it is not one of those. */
export function gitRisk(words: readonly string[]): GitRisk | null {
  if (words[0] !== 'git') return null;
  let index = 1;
  for (; index < words.length; index++) {
    const word = words[index];
    if (word === '-c' || word.startsWith('--config-env')) {
      const setting = word === '-c' ? words[index + 1] ?? '' : word.split('=').slice(1).join('=');
      const key = setting.split('=')[0];
      if (EXECUTING_CONFIG.test(key)) return { why: `sets ${key} for this command, which makes git run or trust something else` };
    }
    if (GLOBAL_OPTIONS_WITH_VALUE.has(word)) index++;
    else if (!word.startsWith('-')) break;
  }
  const sub = words[index];
  const rest = words.slice(index + 1);
  if (sub === undefined) return null;
  const has = (...flags: string[]) => rest.some((word) => flags.includes(word) || flags.some((flag) => flag.startsWith('--') && word.startsWith(`${flag}=`)));
  const shortFlag = (letter: string) => rest.some((word) => /^-[a-zA-Z]+$/.test(word) && word.includes(letter));
  switch (sub) {
    case 'checkout':
      if (rest.length >= 2 && (rest[0] === '-b' || rest[0] === '--orphan') && !rest.includes('--')) return null;
      return { why: 'can discard uncommitted changes or switch the branch the person is working on' };
    case 'switch':
      if ((rest[0] === '-c' || rest[0] === '--create') && !has('--discard-changes', '-f', '--force')) return null;
      return { why: 'switches the branch the person is working on, and with --discard-changes/-f drops uncommitted work' };
    case 'restore': return { why: 'overwrites files or the index with another version, discarding uncommitted changes' };
    case 'stash':
      if (rest[0] === 'list' || rest[0] === 'show') return null;
      return { why: 'moves, drops or re-applies uncommitted work (a dropped or conflicting stash can lose it)' };
    case 'clean':
      if (has('-n', '--dry-run') || shortFlag('n')) return null;
      return { why: 'deletes untracked files, which may be the person\'s unsaved work' };
    case 'reset': return { why: 'moves the branch or rewrites the index, and can discard commits or uncommitted changes' };
    case 'commit':
      if (has('--amend', '--fixup', '--squash')) return { why: 'rewrites an existing commit' };
      return null;
    case 'rebase': return { why: 'rewrites history' };
    case 'cherry-pick': case 'revert': case 'merge': case 'am': case 'pull':
      return { why: 'changes the branch and can leave conflicts in the person\'s files' };
    case 'branch':
      if (has('-D', '-M', '-C', '--force', '-f') || (has('-d', '--delete') && has('-f', '--force')) || shortFlag('D')) {
        return { why: 'deletes or overwrites a branch even when its commits are not merged' };
      }
      return null;
    case 'tag':
      if (has('-d', '--delete', '-f', '--force')) return { why: 'deletes or moves a tag' };
      return null;
    case 'push': return { why: 'publishes to a remote; nothing is pushed unless the person asks' };
    case 'fetch': case 'clone': case 'remote': case 'submodule':
      return rest[0] === undefined || (sub === 'remote' && (rest[0] === '-v' || rest[0] === 'show' || rest[0] === 'get-url')) ? null
        : { why: 'talks to a remote or changes where the repository fetches from' };
    case 'config': return configRisk(rest);
    case 'update-ref': case 'filter-branch': case 'filter-repo': case 'replace': case 'prune': case 'gc': case 'symbolic-ref':
      return { why: 'rewrites or prunes repository history directly' };
    case 'reflog':
      return rest[0] === 'expire' || rest[0] === 'delete' ? { why: 'deletes the reflog, the last way to recover lost commits' } : null;
    case 'worktree':
      return rest[0] === 'remove' || rest[0] === 'prune' ? { why: 'deletes a worktree and any uncommitted work in it' } : null;
    case 'hook': return { why: 'runs a repository hook' };
    default: return null;
  }
}

function configRisk(rest: readonly string[]): GitRisk | null {
  if (rest.some((word) => CONFIG_READ_FLAGS.has(word)) || rest[0] === 'get' || rest[0] === 'list') return null;
  const operands = rest.filter((word) => !word.startsWith('-'));
  const setVerb = operands[0] === 'set' || operands[0] === 'unset';
  const key = setVerb ? operands[1] : operands[0];
  const writes = setVerb || operands.length >= 2 || rest.some((word) => word.startsWith('--unset') || word === '--add' || word === '--replace-all' || word === '--edit' || word === '-e' || word.startsWith('--remove-section') || word.startsWith('--rename-section'));
  if (!writes) return null;
  if (key === undefined || EXECUTING_CONFIG.test(key) || rest.includes('--edit') || rest.includes('-e')) {
    return { why: `changes ${key ?? 'git configuration'}, which makes git run or trust something (a hook, alias, credential helper, pager or filter) at the person's next git command` };
  }
  if (rest.includes('--global') || rest.includes('--system')) return { why: 'changes the person\'s global git configuration, outside the workspace' };
  return null;
}
