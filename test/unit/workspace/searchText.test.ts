// Text search: literal and regex, case handling, limits, skipped binary/huge/ignored files, in both enumeration modes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeWorkspace } from '../../../src/tools/workspace/nodeWorkspace';
import { MAX_HIT_TEXT_CHARS, MAX_SEARCHED_FILE_BYTES } from '../../../src/tools/workspace/textSearch';
import { WorkspaceError, type PathChecker } from '../../../src/tools/workspace/types';
import { gitInit, makeTree, simpleChecker } from './helpers';

const longLine = `${'x'.repeat(1000)}NEEDLE${'y'.repeat(1000)}`;

function tree(): Record<string, string | Buffer> {
  return {
    '.gitignore': 'build/\n',
    'src/app.ts': 'import { Widget } from "./widget";\nconst widget = new Widget();\nwidget.render();\n',
    'src/widget.ts': 'export class Widget {\r\n  render(): void {}\r\n}\r\n',
    'src/bom.ts': '\uFEFFWidget at the start\n',
    'src/long.min.js': `${longLine}\n`,
    'docs/notes.md': 'A widget is a WIDGET is a Widget.\nlast line without newline: widget',
    'build/out.js': 'Widget in an ignored folder\n',
    'assets/logo.bin': Buffer.concat([Buffer.from('Widget'), Buffer.from([0, 1, 2])]),
    'data/huge.txt': `Widget\n${'z'.repeat(MAX_SEARCHED_FILE_BYTES)}`,
  };
}

describe('searchText', () => {
  for (const mode of ['walker (no git)', 'git ls-files'] as const) {
    describe(`with ${mode}`, () => {
      let ws: NodeWorkspace;
      before(() => {
        const root = makeTree(tree());
        if (mode === 'git ls-files') gitInit(root);
        ws = new NodeWorkspace(root, simpleChecker(root));
      });
      after(() => fs.rmSync(ws.root, { recursive: true, force: true }));

      it('finds a literal, case-sensitive by default, with 1-based lines in file order', async () => {
        const result = await ws.searchText('Widget', {});
        assert.deepEqual(result.hits, [
          { path: 'docs/notes.md', line: 1, text: 'A widget is a WIDGET is a Widget.' },
          { path: 'src/app.ts', line: 1, text: 'import { Widget } from "./widget";' },
          { path: 'src/app.ts', line: 2, text: 'const widget = new Widget();' },
          { path: 'src/bom.ts', line: 1, text: 'Widget at the start' },
          { path: 'src/widget.ts', line: 1, text: 'export class Widget {' },
        ]);
        assert.equal(result.truncated, false);
      });

      it('skips ignored, binary and huge files, and counts the files it searched', async () => {
        const result = await ws.searchText('Widget', {});
        const paths = new Set(result.hits.map((h) => h.path));
        for (const skipped of ['build/out.js', 'assets/logo.bin', 'data/huge.txt']) assert.ok(!paths.has(skipped), skipped);
        assert.equal(result.filesSearched, 6, '.gitignore, docs/notes.md and the four src files');
      });

      it('matches case-insensitively when asked, including the last line without newline', async () => {
        const result = await ws.searchText('WIDGET', { caseSensitive: false, path: 'docs' });
        assert.deepEqual(result.hits.map((h) => h.line), [1, 2]);
        assert.equal(result.hits[1].text, 'last line without newline: widget');
      });

      it('supports regular expressions, with anchors working per line on CRLF files', async () => {
        const anchored = await ws.searchText('^\\s+render\\(\\): void \\{\\}$', { regex: true });
        assert.deepEqual(anchored.hits, [{ path: 'src/widget.ts', line: 2, text: '  render(): void {}' }]);
        const alternation = await ws.searchText('new \\w+\\(|class \\w+', { regex: true, path: 'src' });
        assert.deepEqual(alternation.hits.map((h) => `${h.path}:${h.line}`), ['src/app.ts:2', 'src/widget.ts:1']);
        const insensitive = await ws.searchText('^a WIDGET', { regex: true, caseSensitive: false });
        assert.deepEqual(insensitive.hits.map((h) => h.path), ['docs/notes.md']);
      });

      it('treats regex characters literally unless regex is set', async () => {
        assert.deepEqual((await ws.searchText('render()', {})).hits.map((h) => h.line), [3, 2]);
        assert.equal((await ws.searchText('W.dget', {})).hits.length, 0, 'the dot is a dot');
        assert.equal((await ws.searchText('W.dget', { regex: true })).hits.length, 5, 'as a regex the dot is any character');
      });

      it('stops at maxResults and says the list is truncated', async () => {
        const result = await ws.searchText('widget', { caseSensitive: false, maxResults: 3 });
        assert.equal(result.hits.length, 3);
        assert.equal(result.truncated, true);
        assert.deepEqual(result.hits.map((h) => `${h.path}:${h.line}`), ['docs/notes.md:1', 'docs/notes.md:2', 'src/app.ts:1']);
        const exact = await ws.searchText('Widget', { maxResults: 5 });
        assert.equal(exact.truncated, false, 'exactly maxResults hits is not truncated');
      });

      it('cuts long lines to a window around the match', async () => {
        const [hit] = (await ws.searchText('NEEDLE', {})).hits;
        assert.equal(hit.path, 'src/long.min.js');
        assert.ok(hit.text.includes('NEEDLE'));
        assert.ok(hit.text.length <= MAX_HIT_TEXT_CHARS + 2, `clipped to ${hit.text.length}`);
        assert.ok(hit.text.startsWith('…') && hit.text.endsWith('…'));
      });

      it('searches a single file when the path is a file, even an ignored one', async () => {
        const result = await ws.searchText('Widget', { path: 'build/out.js' });
        assert.deepEqual(result.hits, [{ path: 'build/out.js', line: 1, text: 'Widget in an ignored folder' }]);
      });

      it('reports a missing path, a bad regex and a cancelled search with their codes', async () => {
        await assert.rejects(ws.searchText('x', { path: 'nope' }), (e: unknown) => e instanceof WorkspaceError && e.code === 'file_not_found');
        await assert.rejects(ws.searchText('(unclosed', { regex: true }), (e: unknown) => e instanceof WorkspaceError && e.code === 'invalid_arguments');
        const controller = new AbortController();
        controller.abort();
        await assert.rejects(ws.searchText('x', { signal: controller.signal }), (e: unknown) => e instanceof WorkspaceError && e.code === 'cancelled');
      });
    });
  }

  it('never searches protected files, with or without a pattern-only protected test', async () => {
    const root = makeTree({ '.env': 'API_KEY=SECRET\n', 'src/config.ts': 'const key = "SECRET";\n' });
    const base = simpleChecker(root);
    const guarded: PathChecker = {
      check: (p, access) => (p === '.env' ? { ok: false, code: 'protected_path', message: '.env is protected' } : base.check(p, access)),
    };
    const withRule: PathChecker = { ...guarded, protectedRuleFor: (p) => (p === '.env' ? '.env' : null) };
    try {
      for (const checker of [guarded, withRule]) {
        const ws = new NodeWorkspace(root, checker);
        assert.deepEqual((await ws.searchText('SECRET', {})).hits.map((h) => h.path), ['src/config.ts']);
        assert.deepEqual((await ws.searchText('SECRET', { path: '.env' })).hits, []);
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('does not follow a symlink out of the workspace', async () => {
    const outside = makeTree({ 'secret.txt': 'TOP SECRET Widget\n' });
    const root = makeTree({ 'a.txt': 'nothing here\n' });
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
    try {
      const ws = new NodeWorkspace(root, simpleChecker(root));
      assert.deepEqual((await ws.searchText('SECRET', {})).hits, []);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('cancels a search that is under way', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) files[`f/${String(i).padStart(4, '0')}.txt`] = 'needle\n';
    const root = makeTree(files);
    try {
      const ws = new NodeWorkspace(root, simpleChecker(root));
      const controller = new AbortController();
      const search = ws.searchText('needle', { maxResults: 100_000, signal: controller.signal });
      setImmediate(() => controller.abort());
      await assert.rejects(search, (e: unknown) => e instanceof WorkspaceError && e.code === 'cancelled');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
