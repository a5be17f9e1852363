// Command policy: shell-aware splitting, deny rules that always win, allow only when every part is allowed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DEFAULT_ALLOW_RULES, DEFAULT_DENY_RULES, evaluateCommand, splitCommandSegments, validateCommandRules,
} from '../../../src/agent/policy/commandPolicy';
import { PathPolicy } from '../../../src/agent/policy/pathPolicy';

const repoRoot = path.resolve(__dirname, '../../../..');

interface VerdictFixture {
  deny: { command: string; segment: string }[];
  allow: string[];
  ask: { command: string; segment: string }[];
}

const fixture = JSON.parse(
  fs.readFileSync(path.join(repoRoot, 'test/fixtures/policy/command-verdicts.json'), 'utf8'),
) as VerdictFixture;

describe('splitCommandSegments', () => {
  const cases: [string, string[]][] = [
    ['npm test && rm -rf /', ['npm test', 'rm -rf /']],
    ['a || b; c | d & e\nf', ['a', 'b', 'c', 'd', 'e', 'f']],
    ['echo "a && b; c" | grep \'x | y\'', ['echo "a && b; c"', "grep 'x | y'"]],
    ['echo a\\;b; ls', ['echo a\\;b', 'ls']],
    ['(cd src && ls) || echo none', ['cd src', 'ls', 'echo none']],
    ['echo $(date; whoami) done', ['echo $(date; whoami) done', 'date', 'whoami']],
    ['echo "$(git rev-parse HEAD)"', ['echo "$(git rev-parse HEAD)"', 'git rev-parse HEAD']],
    ['echo `pwd` && ls', ['echo `pwd`', 'pwd', 'ls']],
    ['diff <(ls a) <(ls b)', ['diff <(ls a) <(ls b)', 'ls a', 'ls b']],
    ['echo $(echo $(id))', ['echo $(echo $(id))', 'echo $(id)', 'id']],
    ['npm test 2>&1 | tail -5', ['npm test 2>&1', 'tail -5']],
    ['make &> build.log; ls', ['make &> build.log', 'ls']],
    ['echo $((1 + 2)) && ls', ['echo $((1 + 2))', 'ls']],
    ["echo '$(not run)'", ["echo '$(not run)'"]],
    ['ls # a comment; rm -rf /', ['ls']],
    ['cat <<EOF\nrm -rf /\nEOF\nls', ['cat <<EOF', 'ls']],
    ['cmd |& tee log', ['cmd', 'tee log']],
    ['  ', []],
  ];
  for (const [command, expected] of cases) {
    it(`splits ${JSON.stringify(command)}`, () => {
      assert.deepEqual(splitCommandSegments(command), expected);
    });
  }
});

describe('evaluateCommand', () => {
  describe('deny (fixture cases)', () => {
    for (const { command, segment } of fixture.deny) {
      it(`denies ${JSON.stringify(command)}`, () => {
        const result = evaluateCommand(command);
        assert.equal(result.verdict, 'deny');
        assert.equal(result.segment, segment);
        assert.match(result.reason, /^Denied: /);
      });
    }
  });

  describe('allow (fixture cases)', () => {
    for (const command of fixture.allow) {
      it(`allows ${JSON.stringify(command)}`, () => {
        const result = evaluateCommand(command);
        assert.equal(result.verdict, 'allow', result.reason);
      });
    }
  });

  describe('ask (fixture cases)', () => {
    for (const { command, segment } of fixture.ask) {
      it(`asks for ${JSON.stringify(command)}`, () => {
        const result = evaluateCommand(command);
        assert.equal(result.verdict, 'ask', result.reason);
        assert.equal(result.segment, segment);
      });
    }
  });

  it('lets deny rules win over allow rules, user ones included', () => {
    assert.equal(evaluateCommand('rm -rf /', { allow: ['rm'] }).verdict, 'deny');
    const userDeny = evaluateCommand('npm test && npm run deploy:prod', { deny: ['npm run deploy*'] });
    assert.equal(userDeny.verdict, 'deny');
    assert.equal(userDeny.segment, 'npm run deploy:prod');
    assert.match(userDeny.reason, /npm run deploy\*/);
  });

  it('applies user allow rules as prefixes on word boundaries, with * globs', () => {
    assert.equal(evaluateCommand('docker ps -a', { allow: ['docker ps'] }).verdict, 'allow');
    assert.equal(evaluateCommand('docker psx', { allow: ['docker ps'] }).verdict, 'ask');
    assert.equal(evaluateCommand('make lint-all', { allow: ['make lint*'] }).verdict, 'allow');
    assert.equal(evaluateCommand('git push origin main --force', { deny: ['git push * --force'] }).verdict, 'deny');
  });

  it('accepts /regex/ rules and reports invalid ones', () => {
    assert.equal(evaluateCommand('Docker images', { allow: ['/^docker\\s+(ps|images)\\b/i'] }).verdict, 'allow');
    assert.deepEqual(validateCommandRules({ allow: ['/ok/'], deny: ['plain'] }), []);
    const problems = validateCommandRules({ deny: ['/([/'] });
    assert.equal(problems.length, 1);
    assert.match(problems[0], /not a valid regular expression/);
  });

  it('denies an empty command', () => {
    assert.equal(evaluateCommand('   ').verdict, 'deny');
  });

  it('does not auto-allow commands that name a protected path when a path policy is given', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-cmd-'));
    try {
      const pathPolicy = new PathPolicy(root);
      const result = evaluateCommand('cat .env', {}, { pathPolicy });
      assert.equal(result.verdict, 'ask');
      assert.match(result.reason, /protected path/);
      assert.equal(evaluateCommand('grep -r TOKEN --include=.npmrc .', {}, { pathPolicy }).verdict, 'ask');
      assert.equal(evaluateCommand('cat ~/.ssh/id_rsa', {}, { pathPolicy }).verdict, 'ask');
      assert.equal(evaluateCommand('cat $HOME/.aws/credentials', {}, { pathPolicy }).verdict, 'ask');
      assert.equal(evaluateCommand('cat package.json', {}, { pathPolicy }).verdict, 'allow');
      assert.equal(evaluateCommand('cat .env.example', {}, { pathPolicy }).verdict, 'allow');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('exports non-empty default rule lists that include the core cases', () => {
    assert.ok(DEFAULT_ALLOW_RULES.includes('npm test'));
    assert.ok(DEFAULT_ALLOW_RULES.includes('cat'));
    assert.ok(DEFAULT_DENY_RULES.includes('sudo'));
  });
});
