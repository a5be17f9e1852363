// The chat's pure parts: @-mention completion and expansion, the streaming buffer, the task state machine, the
// file ranking for completions.
import * as assert from 'node:assert/strict';
import { completeMentions, expandMentions, rankFiles, type MentionSources } from '../../../src/host/mentions';
import { StreamingBuffer } from '../../../src/host/streamingBuffer';
import { STATUS_LABELS, taskStatusAfter } from '../../../src/shared/taskState';
import type { StreamingView } from '../../../src/shared/viewModel';

function sources(overrides: Partial<MentionSources> = {}): MentionSources {
  return {
    findFiles: async (query) => ['src/parser.ts', 'src/util/parse-args.ts', 'README.md'].filter((f) => f.includes(query)),
    readFile: async (relative) => (relative === 'src/parser.ts' ? { ok: true, text: 'export const parse = 1;\n' }
      : relative === '.env' ? { ok: false, reason: 'a protected path' } : { ok: false, reason: 'not_found' }),
    selection: () => ({ path: 'src/parser.ts', startLine: 3, endLine: 4, text: 'const a = 1;' }),
    problems: () => [{ path: 'src/parser.ts', line: 7, severity: 'error', message: "Cannot find name 'x'." }],
    terminal: () => 'npm test\n1 failing',
    ...overrides,
  };
}

describe('chat mentions', () => {
  it('completes the special mentions and files', async () => {
    const items = await completeMentions('p', sources());
    assert.deepEqual(items.map((i) => i.insert), ['@problems', '@src/parser.ts', '@src/util/parse-args.ts']);
    assert.deepEqual((await completeMentions('sel', sources())).map((i) => i.kind), ['selection']);
  });

  it('expands files, the selection, problems and the terminal into the goal; the title stays the person\'s words', async () => {
    const expanded = await expandMentions('Fix @src/parser.ts, see @problems and @terminal; keep @selection.', sources());
    assert.equal(expanded.title, 'Fix @src/parser.ts, see @problems and @terminal; keep @selection.');
    assert.match(expanded.goal, /^Fix @src\/parser\.ts[\s\S]*## Context the person attached/);
    assert.match(expanded.goal, /### @src\/parser\.ts\n```\nexport const parse = 1;\n```/);
    assert.match(expanded.goal, /src\/parser\.ts:7 error: Cannot find name 'x'\./);
    assert.match(expanded.goal, /### @terminal[\s\S]*1 failing/);
    assert.match(expanded.goal, /### @selection \(src\/parser\.ts, lines 3-4\)/);
    assert.deepEqual(expanded.attached, ['src/parser.ts', '1 problem(s)', 'the terminal output', 'selection of src/parser.ts:3-4']);
  });

  it('never attaches a protected file, leaves unknown @words alone, and attaches the active editor on request', async () => {
    const expanded = await expandMentions('Use @.env and mail me@example.com', sources(), 'src/parser.ts');
    assert.deepEqual(expanded.refused, ['@.env: a protected path']);
    assert.doesNotMatch(expanded.goal, /### @\.env/);
    assert.deepEqual(expanded.attached, ['src/parser.ts']);
    const plain = await expandMentions('no mentions here', sources());
    assert.equal(plain.goal, 'no mentions here');
  });

  it('ranks files whose name starts with the query first, then shorter paths', () => {
    assert.deepEqual(rankFiles(['lib/a/parser.test.ts', 'src/parser.ts', 'docs/the-parser.md', 'x/y.ts'], 'parser'),
      ['src/parser.ts', 'lib/a/parser.test.ts', 'docs/the-parser.md']);
  });
});

describe('streaming buffer', () => {
  it('shows the first delta at once, folds the rest into frames, and never blinks out at the end', async () => {
    const sent: (StreamingView | null)[] = [];
    const buffer = new StreamingBuffer((view) => sent.push(view), 20);
    buffer.add({ type: 'text', step: 1, delta: 'Hel' });
    buffer.add({ type: 'text', step: 1, delta: 'lo' });
    buffer.add({ type: 'calls', step: 1, calls: [{ name: 'read_file', argumentsText: '{"pa' }] });
    assert.deepEqual(sent, [{ step: 1, text: 'Hel', calls: [] }]);
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.deepEqual(sent[1], { step: 1, text: 'Hello', calls: [{ name: 'read_file', argsText: '{"pa' }] });
    buffer.add({ type: 'restart', step: 1 });
    assert.equal(sent.length, 2, 'a restart inside the frame waits for it');
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.deepEqual(sent[2], { step: 1, text: '', calls: [] }, 'a retry starts the text over');
    buffer.add({ type: 'end', step: 1 });
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(sent.length, 3, 'the end sends nothing: the finished reply clears the view');
    buffer.dispose();
  });
});

describe('task state', () => {
  it('returns to the task result after a final review, and to running after an ask-mode review', () => {
    assert.equal(taskStatusAfter('review', { kind: 'review_closed', before: 'verified', mode: 'final' }), 'verified');
    assert.equal(taskStatusAfter('review', { kind: 'review_closed', before: 'running', mode: 'ask' }), 'running');
    assert.equal(taskStatusAfter('verified', { kind: 'review_opened' }), 'review');
    assert.equal(STATUS_LABELS.unverified, 'Completed — not verified');
  });
});
