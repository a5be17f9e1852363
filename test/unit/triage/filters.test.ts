// Per-runner filters: the command each runner gets, and — through a real bash — that every adversarial name reaches
// the runner as one literal argument whose pattern selects exactly that test. The runner itself is replaced by a
// shell function that prints its arguments, so nothing but the quoting is under test here.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFilterCommand, escapeRegex, shellQuote, type FilterPlan } from '../../../src/agent/triage/filters';

const NASTY = `it's "odd" $(rm -rf ~)`;

function plan(command: string, names: string[], outputRunner: Parameters<typeof buildFilterCommand>[2]['outputRunner'], scripts: Record<string, string> = {}, files?: (string | null)[]): FilterPlan {
  return buildFilterCommand(command, names.map((name, i) => ({ name, file: files?.[i] ?? null })), { outputRunner, packageScript: (n) => scripts[n] ?? null });
}

function commandOf(result: FilterPlan): string {
  assert.ok(result.ok, `no filter: ${result.ok ? '' : result.reason}`);
  return result.command;
}

/** Runs the command in bash with `fn` (jest, npx, go …) replaced by a function printing its arguments, one per line. */
function argsSeenBy(fn: string, command: string, cwd: string): string[] {
  const out = execFileSync('bash', ['-c', `${fn}() { for a in "$@"; do printf '%s\\0' "$a"; done; }; ${command}`], { cwd, encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('triage filters', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pp-filters-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('quotes for the shell and escapes for regular expressions', () => {
    assert.equal(shellQuote(NASTY), `'it'\\''s "odd" $(rm -rf ~)'`);
    assert.equal(escapeRegex('a.b*(c)|[d]{1}^$\\'), 'a\\.b\\*\\(c\\)\\|\\[d\\]\\{1\\}\\^\\$\\\\');
    assert.ok(new RegExp(`^${escapeRegex(NASTY)}$`).test(NASTY));
  });

  it('mocha: --grep with the anchored full title; the adversarial name arrives as one literal argument', () => {
    const name = `suite ${NASTY} $(touch pwned) \`touch pwned2\``;
    const command = commandOf(plan('npx mocha test/', [name], 'mocha'));
    assert.ok(command.startsWith('npx mocha test/ --grep '), command);
    const args = argsSeenBy('npx', command, dir);
    assert.deepEqual(args.slice(0, 3), ['mocha', 'test/', '--grep']);
    const pattern = new RegExp(args[3]);
    assert.ok(pattern.test(name));
    assert.ok(!pattern.test(`${name} and more`), 'anchored: a longer title is not selected');
    assert.ok(!existsSync(join(dir, 'pwned')) && !existsSync(join(dir, 'pwned2')), 'nothing in the name was executed');
  });

  it('jest: -t joins the describe path with spaces, narrows to test files, through npm test -- …', () => {
    const names = [`math › adds ${NASTY}`, 'math › subtracts'];
    const result = plan('npm test', names, 'jest', { test: 'jest --ci' }, ['src/math.test.js', 'src/math.test.js']);
    const command = commandOf(result);
    assert.ok(command.startsWith('npm test -- '), command);
    const args = argsSeenBy('npm', command, dir);
    assert.deepEqual(args.slice(0, 2), ['test', '--']);
    assert.equal(args[2], escapeRegex('src/math.test.js'));
    assert.equal(args[3], '-t');
    const pattern = new RegExp(args[4]);
    assert.ok(pattern.test(`math adds ${NASTY}`) && pattern.test('math subtracts') && !pattern.test('math multiplies'));
    assert.deepEqual(result.ok && result.selected, names);
  });

  it('jest: no file narrowing when a failure points at a helper, not a test file', () => {
    const command = commandOf(plan('npx jest', ['a › b'], 'jest', {}, ['src/helper.js']));
    assert.equal(command, `npx jest -t '^(?:a b)$'`);
  });

  it('vitest: -t with " > " turned into spaces, test files as filters', () => {
    const command = commandOf(plan('vitest run', [`calc > ${NASTY}`], 'vitest', {}, ['test/calc.spec.ts']));
    const args = argsSeenBy('vitest', command, dir);
    assert.deepEqual(args.slice(0, 3), ['run', 'test/calc.spec.ts', '-t']);
    assert.ok(new RegExp(args[3]).test(`calc ${NASTY}`));
  });

  it('node --test: the leaf name (Node 20) and the space-joined path (later Node) are both offered', () => {
    const command = commandOf(plan('node --test test/', [`outer > ${NASTY}`], 'node'));
    const args = argsSeenBy('node', command, dir);
    // node reads anything after its files as more files: the option goes right after --test.
    assert.deepEqual([args[0], args[1], args[3]], ['--test', '--test-name-pattern', 'test/']);
    const pattern = new RegExp(args[2]);
    assert.ok(pattern.test(NASTY) && pattern.test(`outer ${NASTY}`) && !pattern.test('outer other'));
    assert.equal(commandOf(plan('npm test', ['a'], 'node', { test: 'node --test' })), `npm test -- --test-name-pattern '^(?:a)$'`);
    assert.equal(plan('npm test', ['a'], 'node', { test: 'node --test test/' }).ok, false, 'appending would land after the files');
  });

  it('pytest: node ids as arguments, also behind python -m pytest', () => {
    const id = `tests/test_x.py::TestA::test_b[${NASTY}]`;
    assert.deepEqual(argsSeenBy('pytest', commandOf(plan('pytest -q', [id], 'pytest')), dir), ['-q', id]);
    assert.deepEqual(argsSeenBy('python3', commandOf(plan('python3 -m pytest', [id], 'pytest')), dir), ['-m', 'pytest', id]);
  });

  it('go: -run level by level; mixed depths select whole top-level tests', () => {
    const same = argsSeenBy('go', commandOf(plan('go test ./...', ['TestA/sub_1', 'TestB/x.y'], 'go')), dir);
    assert.deepEqual(same, ['test', './...', '-run', '^(?:TestA|TestB)$/^(?:sub_1|x\\.y)$']);
    const mixed = argsSeenBy('go', commandOf(plan('go test ./...', ['TestA', 'TestB/x'], 'go')), dir);
    assert.deepEqual(mixed, ['test', './...', '-run', '^(?:TestA|TestB)$']);
  });

  it('cargo: exact names after --, joining an existing --', () => {
    assert.deepEqual(argsSeenBy('cargo', commandOf(plan('cargo test', ['tests::it_works', NASTY], 'cargo')), dir), ['test', '--', '--exact', 'tests::it_works', NASTY]);
    assert.deepEqual(argsSeenBy('cargo', commandOf(plan('cargo test -- --nocapture', ['m::t'], 'cargo')), dir), ['test', '--', '--nocapture', '--exact', 'm::t']);
  });

  it('ava: one --match per test, its title after the file prefix, with a leading wildcard', () => {
    const args = argsSeenBy('ava', commandOf(plan('ava', [`test › math › ${NASTY}`, '!negated'], 'ava')), dir);
    assert.deepEqual(args, ['--match', `*${NASTY}`, '--match', '*negated']);
  });

  it('env assignments, cd && and yarn scripts keep the runner last', () => {
    assert.equal(commandOf(plan('cd pkg && CI=1 npx mocha', ['a b'], 'mocha')), `cd pkg && CI=1 npx mocha --grep '^(?:a b)$'`);
    assert.equal(commandOf(plan('yarn test', ['a'], 'mocha', { test: 'mocha -r ts-node/register' })), `yarn test --grep '^(?:a)$'`);
    assert.equal(commandOf(plan('npm test -- --bail', ['a'], 'mocha', { test: 'mocha' })), `npm test -- --bail --grep '^(?:a)$'`);
    assert.equal(commandOf(plan('node node_modules/.bin/mocha', ['a'], 'mocha')), `node node_modules/.bin/mocha --grep '^(?:a)$'`);
  });

  it('refuses shapes where appended arguments would not reach the runner, saying why', () => {
    const refusals: [string, Record<string, string>][] = [
      ['mocha | tee log.txt', {}],
      ['mocha # all tests', {}],
      ['mocha || true', {}],
      ['make test', {}],
      ['npm test', { test: 'mocha && eslint .' }],
      ['npm test', {}],
      ['npm test', { test: 'npm run unit' }],
      ['node scripts/run-tests.js', {}],
      ["mocha 'unterminated", {}],
    ];
    for (const [command, scripts] of refusals) {
      const result = plan(command, ['a'], 'mocha', scripts);
      assert.equal(result.ok, false, command);
      assert.ok(!result.ok && result.reason.length > 10, command);
    }
  });

  it('refuses names from a different parser, nameless suite errors and names with control characters', () => {
    assert.equal(plan('mocha', ['a > b'], 'tap').ok, false, 'mocha with a TAP reporter: names do not follow --grep');
    assert.equal(plan('mocha', ['(unhandled error)'], 'mocha').ok, false);
    assert.equal(plan('mocha', ['a\0b'], 'mocha').ok, false);
    assert.equal(plan('mocha', [], 'mocha').ok, false);
  });
});
