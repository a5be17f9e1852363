// The built-in command rules: what is never run (deny) and what runs without asking (allow).
// Rule syntax is documented in commandPolicy.ts. The allow list is a convenience for read-only and test
// commands, not a sandbox: `node` or a test script can still do anything the person's account can.

export interface DescribedRule {
  rule: string;
  /** Why the rule exists; shown to the model and the person when it fires. */
  why: string;
}

const ROOT_LIKE_TARGET = String.raw`(?:\/|\/\*|~|~\/|~\/\*|\$HOME|\$HOME\/|\$HOME\/\*|\$\{HOME\}|\$\{HOME\}\/\*?|\/[^\s\/]+\/?\*?)`;
const SHELL = String.raw`(?:\S*\/)?(?:ba|z|da|k|fi|c|tc)?sh`;
const INTERPRETER = String.raw`(?:${SHELL}|python[0-9.]*|perl|ruby|node)`;

export const DESCRIBED_DENY_RULES: readonly DescribedRule[] = [
  {
    rule: String.raw`/^rm\s(?=(?:.*\s)?(?:-[a-zA-Z]*[rR][a-zA-Z]*|--recursive)(?:\s|$))(?:.*\s)?${ROOT_LIKE_TARGET}(?:\s|$)/`,
    why: 'recursively deletes the filesystem root, the home folder or a top-level system folder',
  },
  { rule: String.raw`/(?:^|\s)--no-preserve-root(?:\s|$)/`, why: 'disables the guard against deleting the filesystem root' },
  {
    rule: String.raw`/\b(?:curl|wget|fetch)\b[^|]*\|\s*(?:sudo\s+)?${INTERPRETER}(?:\s|$)/`,
    why: 'pipes a download straight into a shell or interpreter',
  },
  {
    rule: String.raw`/^(?:sudo\s+)?${SHELL}\b.*(?:\$\(|<\(|\x60)\s*(?:curl|wget)\b/`,
    why: 'runs a downloaded script in a shell',
  },
  {
    rule: String.raw`/^git\b(?:.*\s)?push\s(?:.*\s)?(?:--force(?:-with-lease|-if-includes)?(?:=\S*)?|-[a-zA-Z]*f[a-zA-Z]*|\+\S+)(?:\s|$)/`,
    why: 'force-pushes, which can overwrite other people\'s commits on the remote',
  },
  {
    rule: String.raw`/^git\b(?:.*\s)?reset\s(?:.*\s)?--hard(?:\s|$)/`,
    why: 'discards uncommitted work in the working tree',
  },
  {
    rule: String.raw`/^git\b(?:.*\s)?clean\s(?:.*\s)?(?:-[a-zA-Z]*f[a-zA-Z]*|--force)(?:\s|$)/`,
    why: 'deletes untracked files, which may be the person\'s unsaved work',
  },
  { rule: String.raw`/^mkfs(?:\.\w+)?(?:\s|$)/`, why: 'formats a disk' },
  { rule: String.raw`/^dd\s(?:.*\s)?of=\/dev\/(?!null(?:\s|$))/`, why: 'writes raw data to a device' },
  { rule: String.raw`/>\s*\/dev\/(?:sd|hd|vd|xvd|nvme|disk|mmcblk)/`, why: 'writes raw data to a disk device' },
  { rule: String.raw`/([\w:]+)\s*\(\s*\)\s*\{[^}]*\1\s*\|\s*\1\s*&/`, why: 'is a fork bomb' },
  {
    rule: String.raw`/^(?:chmod|chown|chgrp)\s(?:.*\s)?(?:-[a-zA-Z]*R[a-zA-Z]*|--recursive)\s(?:.*\s)?${ROOT_LIKE_TARGET}(?:\s|$)/`,
    why: 'changes permissions or owners recursively on the filesystem root or the home folder',
  },
  { rule: 'sudo', why: 'runs with administrator rights' },
  { rule: 'su', why: 'switches to another user' },
  { rule: 'doas', why: 'runs with administrator rights' },
  { rule: 'shutdown', why: 'shuts the machine down' },
  { rule: 'reboot', why: 'restarts the machine' },
  { rule: 'halt', why: 'stops the machine' },
  { rule: 'poweroff', why: 'switches the machine off' },
  { rule: String.raw`/^init\s+[06](?:\s|$)/`, why: 'shuts down or restarts the machine' },
  { rule: String.raw`/^systemctl\s+(?:poweroff|reboot|halt|kexec)(?:\s|$)/`, why: 'shuts down or restarts the machine' },
  { rule: String.raw`/^kill\s(?:.*\s)?-1(?:\s|$)/`, why: 'kills every process of the user' },
];

export const DEFAULT_DENY_RULES: readonly string[] = DESCRIBED_DENY_RULES.map((entry) => entry.rule);

// Interpreters run a script file of the workspace without asking, but not code written inline on the command line
// (`node -e`, `python -c`): that is where a prompt-injected instruction turns into an action nobody reviewed.
const NODE_WITHOUT_INLINE_CODE = String.raw`/^node(?!.*\s(?:-e|--eval|-p|--print|-pe|-r|--require|--import|--loader|--experimental-loader)(?:[\s=]|$))(?:\s|$)/`;

const GIT_READ_ONLY = String.raw`/^git(?:\s+--no-pager)?\s+(?:status|diff|log|show|blame|ls-files|grep|rev-parse|describe|shortlog|cat-file)(?!.*\s--output)(?:\s|$)/`;
const GIT_LIST_BRANCHES = String.raw`/^git\s+branch(?:\s+(?:-a|-r|-v|-vv|-l|--list|--all|--remotes|--show-current|--no-color))*$/`;

export const DEFAULT_ALLOW_RULES: readonly string[] = [
  // reading and searching
  'ls', 'cat', 'head', 'tail', 'wc', 'pwd', 'echo', 'printf', 'true', 'false', 'which', 'type', 'file', 'stat',
  'tree', 'du', 'date', 'basename', 'dirname', 'realpath', 'sort', 'uniq', 'cut', 'tr', 'diff', 'cmp',
  'grep', 'egrep', 'fgrep', 'rg', 'test', '[',
  String.raw`/^find\s(?!.*\s-(?:delete|exec|execdir|ok|okdir|fprint|fprint0|fprintf|fls)(?:\s|$))/`,
  'cd', 'pushd', 'popd',
  GIT_READ_ONLY, GIT_LIST_BRANCHES, 'git remote -v', 'git stash list',
  // tests, type checks, linters (without --fix: file changes go through the review panel)
  'npm test', 'npm t', 'npm run test*', 'npm run lint*', 'npm run typecheck*', 'npm run build*', 'npm ls',
  'yarn test*', 'yarn run test*', 'pnpm test*', 'pnpm run test*', 'bun test',
  'npx mocha', 'npx jest', 'npx vitest', 'npx tsc', 'npx tsx', 'npx ts-node',
  String.raw`/^npx\s+eslint(?!.*\s--fix)(?:\s|$)/`, 'npx prettier --check',
  NODE_WITHOUT_INLINE_CODE, 'mocha', 'jest', 'vitest', 'tsc',
  'pytest', 'python -m pytest', 'python3 -m pytest', 'python -m unittest', 'python3 -m unittest',
  'go test', 'go vet', 'go build', 'cargo test', 'cargo check', 'cargo build', 'cargo clippy',
  'make test', 'make check', 'dotnet test', 'mvn test', 'mvn -q test', 'gradle test', './gradlew test',
  'bundle exec rspec', 'rspec', 'deno test',
];
