// The GitHub Action's edges: inputs read the way the runner passes them, workflow commands escaped so a message can
// never end an annotation or start another command, outputs that no value can break out of, and the job summary.
import * as assert from 'node:assert/strict';
import { failureAnnotations, summaryMarkdown, type ActionReport } from '../../../src/action/summary';
import { planFromInputs } from '../../../src/action/main';
import { ActionInputError, errorAnnotation, getBooleanInput, getInput, outputRecord } from '../../../src/action/workflowCommands';

const report = (overrides: Partial<ActionReport> = {}): ActionReport => ({
  taskId: 't-1', status: 'failed', reason: 'max_steps', summary: 'Ran out of steps.', verdict: '1 test fails.', steps: 4,
  usage: { promptTokens: 100, completionTokens: 20, costUsd: 0.0123, costNote: 'estimate' },
  testRuns: [{ exitCode: 1, failures: [{ name: 'adds, really', file: 'test/math.test.js', line: 7, message: 'expected 5\ngot -1' }] }],
  ledger: [{ failing: ['adds'], fixed: [], regressed: [], newlyFailing: [], notRun: [] }],
  changes: [{ path: 'src/math.js', diff: 'diff --git a/src/math.js b/src/math.js\n-```\n+x\n' }], ...overrides,
});

describe('GitHub Action edges', () => {
  it('reads inputs as INPUT_ + upper-cased name with hyphens kept, and booleans strictly', () => {
    const env = { 'INPUT_BASE-URL': ' http://x/v1 ', 'INPUT_FIX-TESTS': 'True', INPUT_MODEL: 'm' };
    assert.equal(getInput('base-url', env), 'http://x/v1');
    assert.equal(getBooleanInput('fix-tests', env), true);
    assert.equal(getBooleanInput('missing', env), false);
    assert.throws(() => getBooleanInput('model', env), ActionInputError);
  });

  it('turns inputs into CLI arguments, and refuses a run with neither goal nor fix-tests', () => {
    const plan = planFromInputs({ GITHUB_WORKSPACE: '/repo', 'INPUT_FIX-TESTS': 'true', INPUT_TEST: 'npm test', 'INPUT_MAX-STEPS': '9', 'INPUT_API-KEY': 'sk-1', INPUT_ATTEMPTS: '2' }, '/tmp/r.json');
    assert.deepEqual(plan.args, ['fix-tests', '--cwd=/repo', '--approve=auto', '--report=/tmp/r.json', '--test=npm test', '--max-steps=9', '--attempts=2']);
    assert.equal(plan.apiKey, 'sk-1');
    assert.ok(!plan.args.some((arg) => arg.includes('sk-1')), 'the key is never an argument (arguments are visible in ps)');
    assert.throws(() => planFromInputs({ GITHUB_WORKSPACE: '/repo' }, '/tmp/r.json'), /goal/);
    assert.throws(() => planFromInputs({ GITHUB_WORKSPACE: '/repo', 'INPUT_FIX-TESTS': 'true' }, '/tmp/r.json'), /test/);
  });

  it('escapes annotation data and properties so nothing ends them early', () => {
    assert.equal(errorAnnotation('50% done\nnext line', { file: 'a,b:c.js', line: 3, title: 'x' }), '::error file=a%2Cb%3Ac.js,line=3,title=x::50%25 done%0Anext line\n');
    assert.equal(errorAnnotation('plain'), '::error::plain\n');
  });

  it('writes an output that a value containing a delimiter-looking line cannot end early', () => {
    const value = 'line 1\nghadelimiter_fake\nstatus<<EOF\nx';
    const record = outputRecord('report', value);
    const [header, ...rest] = record.split('\n');
    const delimiter = header.slice('report<<'.length);
    assert.match(delimiter, /^ghadelimiter_[0-9a-f]{24}$/);
    assert.equal(rest.join('\n'), `${value}\n${delimiter}\n`);
    assert.ok(!value.includes(delimiter));
  });

  it('summarises the verdict, ledger, spend and the diff in a fence longer than any backtick run in it', () => {
    const md = summaryMarkdown(report(), 'make the failing tests pass');
    assert.match(md, /## ❌ Patchpilot: failed \(max_steps\)/);
    assert.match(md, /\| 1 \| 1 \| 0 \| 0 \| 0 \| 0 \|/);
    assert.match(md, /\$0\.0123 \(estimate\) · 100 tokens in \/ 20 out · 4 steps/);
    assert.match(md, /<details><summary>Diff \(1 file: src\/math.js\)<\/summary>\n\n````diff\n/);
    assert.match(md, /Nothing was committed or pushed/);
  });

  it('annotates each failure it could not fix at its file and line (relative to the repository), and none when verified', () => {
    const lines = failureAnnotations(report(), '/repo/packages/calc', '/repo');
    assert.deepEqual(lines, ['::error file=packages/calc/test/math.test.js,line=7,title=Patchpilot could not fix%3A adds%2C really::expected 5%0Agot -1\n']);
    assert.deepEqual(failureAnnotations(report({ status: 'verified' }), '/repo', '/repo'), []);
    const outside = failureAnnotations(report({ testRuns: [{ exitCode: 1, failures: [{ name: 'n', file: '/elsewhere/x.js', line: 1, message: 'm' }] }] }), '/repo', '/repo');
    assert.ok(!outside[0].includes('file='), 'a path outside the repository is not given to GitHub');
  });
});
