// Tests stay honest while changes are written without review (--approve auto, Fix Failing Tests): the test files and
// test configuration that exist when the task starts are read-only to the edit tools (refused with a reason), to
// commands (the command policy refuses deleting them, the sandbox mounts them read-only), unless the person allows
// test edits. New test files may always be added. package.json and pyproject.toml are not test files, but their
// test fields are: the `test` scripts and the runners' own config keys may not change.
import ignore from 'ignore';
import * as path from 'node:path';
import type { FileChange } from '../../tools/edits/types';

/** Where tests live, by the conventions of the common runners (gitignore syntax). */
export const TEST_FILE_PATTERNS: readonly string[] = [
  'test/', 'tests/', '__tests__/', 'spec/', '__snapshots__/', 'testdata/', 'fixtures/',
  '*.test.*', '*.spec.*', '*_test.*', '*_spec.*', 'test_*.py', 'conftest.py', '*.snap',
];

/** Test configuration: these files are read-only whole. */
export const TEST_CONFIG_PATTERNS: readonly string[] = [
  'jest.config.*', 'jest.setup.*', 'vitest.config.*', 'vitest.workspace.*', 'vitest.setup.*', '.mocharc*', 'mocha.opts',
  'ava.config.*', 'karma.conf.*', 'playwright.config.*', 'cypress.config.*', 'pytest.ini', 'tox.ini', 'noxfile.py',
  'phpunit.xml*', '.rspec', 'babel.config.*', '.babelrc*', 'tsconfig.test.json',
];

/** package.json keys that decide which tests run and how. */
const PACKAGE_TEST_KEYS = ['jest', 'mocha', 'ava', 'vitest', 'c8', 'nyc', 'tap'];

const testPathMatcher = ignore().add([...TEST_FILE_PATTERNS, ...TEST_CONFIG_PATTERNS]);

/** True for a workspace-relative path that is a test file or test configuration by the runners' conventions. */
export function isTestPath(relative: string): boolean {
  try {
    return testPathMatcher.ignores(relative) && !relative.startsWith('node_modules/') && !relative.includes('/node_modules/');
  } catch {
    return false;
  }
}

/** package.json with the test fields (scripts.test …, jest, mocha …) taken from `original`; the rest from `current`. */
export function withOriginalTestFields(original: string, current: string): string {
  try {
    const before = JSON.parse(original) as Record<string, unknown>;
    const after = JSON.parse(current) as Record<string, unknown>;
    const scripts = (value: Record<string, unknown>) => (typeof value.scripts === 'object' && value.scripts !== null ? { ...(value.scripts as Record<string, unknown>) } : {});
    const merged: Record<string, unknown> = { ...after, scripts: scripts(after) };
    const mergedScripts = merged.scripts as Record<string, unknown>;
    for (const name of Object.keys(mergedScripts)) if (TEST_SCRIPT.test(name)) delete mergedScripts[name];
    for (const [name, value] of Object.entries(scripts(before))) if (TEST_SCRIPT.test(name)) mergedScripts[name] = value;
    for (const key of PACKAGE_TEST_KEYS) {
      if (key in before) merged[key] = before[key];
      else delete merged[key];
    }
    return JSON.stringify(merged, null, 2) + '\n';
  } catch {
    return original;
  }
}

const TEST_SCRIPT = /^(?:pre|post)?test(?:[:-].*)?$/;

export class TestFileGuard {
  private readonly atStart: Set<string>;

  /** `existing`: every workspace-relative file at the start of the task. */
  constructor(readonly root: string, existing: Iterable<string>, private readonly startContent: (relative: string) => string | null) {
    this.atStart = new Set([...existing].filter((file) => this.matches(file)));
  }

  /** Test files (and whole test config files) that existed at the start, workspace-relative, sorted. */
  files(): string[] {
    return [...this.atStart].sort();
  }

  /** Files the test runner named (a failing test's file) count as test files too, if they existed at the start. */
  addReported(relativeFiles: readonly string[], existedAtStart: (relative: string) => boolean): void {
    for (const file of relativeFiles) if (!this.atStart.has(file) && existedAtStart(file)) this.atStart.add(file);
  }

  /** True when an absolute path is a protected test file, or a folder holding one. */
  protects(absolute: string): boolean {
    const relative = path.relative(this.root, absolute).split(path.sep).join('/');
    if (relative.startsWith('..') || path.isAbsolute(relative)) return false;
    if (relative === '') return this.atStart.size > 0;
    if (this.atStart.has(relative)) return true;
    const prefix = `${relative}/`;
    for (const file of this.atStart) if (file.startsWith(prefix)) return true;
    return false;
  }

  /** Why this change may not be written unreviewed, or null. */
  refusal(change: FileChange): string | null {
    if (this.atStart.has(change.path)) {
      const verb = change.after === null ? 'Deleting' : 'Changing';
      return `${verb} ${change.path} is refused: it is a test file (or test configuration) that existed when the task started, ` +
        'and tests are read-only while changes are written without review, so that "the tests pass" means the code was fixed. ' +
        'Fix the code under test instead. New test files may be added. The person can allow test edits (--allow-test-edits, ' +
        'the patchpilot.allowTestEdits setting, or review mode).';
    }
    const base = path.posix.basename(change.path);
    if (base === 'package.json' && change.before !== null && change.after !== null) {
      const changed = changedPackageTestFields(change.before, change.after);
      if (changed.length) return `The change to ${change.path} alters ${changed.join(', ')}, which decide how tests run; that is refused while changes are written without review. Keep the test fields as they are.`;
    }
    if (base === 'pyproject.toml' || base === 'setup.cfg') {
      const before = this.startContent(change.path) ?? change.before;
      if (before !== null && testSection(before) !== testSection(change.after ?? '')) {
        return `The change to ${change.path} alters its pytest configuration section, which decides how tests run; that is refused while changes are written without review.`;
      }
    }
    return null;
  }

  private matches(relative: string): boolean {
    return isTestPath(relative);
  }
}

/** The test-related fields that differ between two package.json texts (unparseable text counts as changed). */
export function changedPackageTestFields(before: string, after: string): string[] {
  const parse = (text: string): Record<string, unknown> | null => {
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  };
  const a = parse(before);
  const b = parse(after);
  if (a === null) return [];
  if (b === null) return ['the whole file (it is no longer valid JSON)'];
  const scripts = (value: Record<string, unknown>): Record<string, unknown> => (typeof value.scripts === 'object' && value.scripts !== null ? value.scripts as Record<string, unknown> : {});
  const changed: string[] = [];
  const names = new Set([...Object.keys(scripts(a)), ...Object.keys(scripts(b))].filter((name) => TEST_SCRIPT.test(name)));
  for (const name of names) if (JSON.stringify(scripts(a)[name]) !== JSON.stringify(scripts(b)[name])) changed.push(`scripts.${name}`);
  for (const key of PACKAGE_TEST_KEYS) if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) changed.push(`"${key}"`);
  return changed;
}

/** The pytest section of pyproject.toml / setup.cfg, or '' when there is none. */
function testSection(text: string): string {
  const match = /^\[(?:tool\.pytest\.ini_options|tool:pytest)\][^\n]*\n([\s\S]*?)(?=^\[|$(?![\s\S]))/m.exec(text);
  return match ? match[1].trim() : '';
}
