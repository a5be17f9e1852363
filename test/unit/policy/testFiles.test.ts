// Test files stay read-only while changes are written unreviewed: which files count, what changes are refused.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { changedPackageTestFields, TestFileGuard } from '../../../src/agent/policy/testFiles';

const root = path.resolve('/work/project');
const existing = ['src/math.js', 'src/math.test.ts', 'test/helpers.js', 'tests/test_api.py', 'pkg/calc_test.go', '__tests__/ui.jsx',
  'spec/models/user_spec.rb', 'jest.config.js', 'vitest.config.mts', '.mocharc.yml', 'pytest.ini', 'conftest.py', 'package.json',
  'node_modules/lib/index.test.js', 'README.md', 'src/testing.js'];

function guard(startText: Record<string, string> = {}): TestFileGuard {
  return new TestFileGuard(root, existing, (relative) => startText[relative] ?? null);
}

describe('test file guard', () => {
  it('finds the tests and test configuration of the common runners, not sources with similar names or dependencies', () => {
    assert.deepEqual(guard().files(), ['.mocharc.yml', '__tests__/ui.jsx', 'conftest.py', 'jest.config.js', 'pkg/calc_test.go', 'pytest.ini',
      'spec/models/user_spec.rb', 'src/math.test.ts', 'test/helpers.js', 'tests/test_api.py', 'vitest.config.mts']);
  });

  it('refuses changing or deleting an existing test file, with what to do instead', () => {
    const g = guard();
    const edit = g.refusal({ path: 'src/math.test.ts', before: 'a', after: 'b' });
    assert.match(edit ?? '', /Changing src\/math\.test\.ts is refused.*Fix the code under test instead.*--allow-test-edits/s);
    assert.match(g.refusal({ path: 'test/helpers.js', before: 'a', after: null }) ?? '', /^Deleting/);
    assert.equal(g.refusal({ path: 'src/math.js', before: 'a', after: 'b' }), null);
    assert.equal(g.refusal({ path: 'test/new.test.js', before: null, after: 'new test' }), null, 'new test files may be added');
  });

  it('protects the test fields of package.json, not the rest of it', () => {
    const before = JSON.stringify({ scripts: { test: 'node --test', build: 'tsc' }, dependencies: {} });
    assert.deepEqual(changedPackageTestFields(before, JSON.stringify({ scripts: { test: 'exit 0', build: 'tsc' } })), ['scripts.test']);
    assert.deepEqual(changedPackageTestFields(before, JSON.stringify({ scripts: { test: 'node --test', build: 'tsc -b' }, dependencies: { x: '1' } })), []);
    assert.deepEqual(changedPackageTestFields(before, JSON.stringify({ scripts: { test: 'node --test', pretest: 'exit 0' } })), ['scripts.pretest']);
    assert.deepEqual(changedPackageTestFields(before, JSON.stringify({ scripts: { test: 'node --test' }, jest: { testMatch: [] } })), ['"jest"']);
    assert.match(guard().refusal({ path: 'package.json', before, after: JSON.stringify({ scripts: { test: 'true' } }) }) ?? '', /scripts\.test/);
  });

  it('protects the pytest section of pyproject.toml', () => {
    const before = '[project]\nname = "x"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n';
    const g = guard({ 'pyproject.toml': before });
    assert.equal(g.refusal({ path: 'pyproject.toml', before, after: before.replace('name = "x"', 'name = "y"') }), null);
    assert.match(g.refusal({ path: 'pyproject.toml', before, after: before.replace('-q', '-q -k "not slow"') }) ?? '', /pytest configuration/);
  });

  it('knows folders that hold protected tests, and takes files the runner reports', () => {
    const g = guard();
    assert.ok(g.protects(path.join(root, 'test')));
    assert.ok(g.protects(root));
    assert.ok(!g.protects(path.join(root, 'src', 'math.js')));
    g.addReported(['src/check.js', 'src/brand-new.js'], (file) => file === 'src/check.js');
    assert.ok(g.protects(path.join(root, 'src', 'check.js')));
    assert.ok(!g.protects(path.join(root, 'src', 'brand-new.js')));
  });
});
