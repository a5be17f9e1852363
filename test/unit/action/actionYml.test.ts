// action.yml and the workflows of docs/github-action.md checked against GitHub's published schemas (SchemaStore's
// github-action and github-workflow schemas, bundled in @action-validator/core and run offline), and the action's
// inputs kept in step with what the entry point reads.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validateAction, validateWorkflow } from '@action-validator/core';

const repoRoot = resolve(__dirname, '../../../..');

describe('action.yml', () => {
  const text = readFileSync(join(repoRoot, 'action.yml'), 'utf8');

  it('is a valid action by the published schema, running dist/action.js on node20', () => {
    assert.deepEqual(validateAction(text).errors, []);
    assert.match(text, /\nruns:\n {2}using: node20\n {2}main: dist\/action.js\n/);
  });

  it('a broken action fails the same check (the validator is not a no-op)', () => {
    assert.notDeepEqual(validateAction(text.replace('using: node20', 'using: node99')).errors, []);
  });

  it('declares every input the entry point reads, and the three outputs', () => {
    const main = readFileSync(join(repoRoot, 'src', 'action', 'main.ts'), 'utf8');
    const read = new Set([...main.matchAll(/getInput\('([a-z-]+)'|\['([a-z-]+)', '[a-z-]+'\]|getBooleanInput\('([a-z-]+)'/g)].map((m) => m[1] ?? m[2] ?? m[3]));
    const declared = new Set([...text.split('outputs:')[0].matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1]));
    assert.deepEqual([...read].sort(), [...declared].sort());
    for (const output of ['status', 'report', 'patch']) assert.match(text.split('outputs:')[1], new RegExp(`\\n {2}${output}:\\n`));
  });

  it('the example workflows in docs/github-action.md are valid workflows', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'github-action.md'), 'utf8');
    const workflows = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).filter((yaml) => /^on:/m.test(yaml));
    assert.ok(workflows.length >= 2, 'the pull-request and the monorepo examples');
    for (const workflow of workflows) assert.deepEqual(validateWorkflow(workflow).errors, [], workflow);
  });
});
