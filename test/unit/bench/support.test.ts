// The benchmark helpers: the statistics every figure is quoted with, the table, and the generated scripted task.
import * as assert from 'node:assert/strict';
import { median, percentile, formatTable, formatValue, unmeasured } from '../../../bench/support/stats';
import { buildScript, projectFile, readsIn } from '../../../bench/support/scripted-task';

describe('bench statistics', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });

  it('uses nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(values, 95), 95);
    assert.equal(percentile(values, 100), 100);
    assert.equal(percentile([7], 50), 7);
  });

  it('prints every entry, and a dash with the reason for an unmeasured one', () => {
    const table = formatTable({ search_ms: { value: 1234.5, unit: 'ms', summary: 'literal query' }, panel_render_ms: unmeasured('ms', 'no Chromium') });
    assert.match(table, /search_ms\s+1,235\s+ms\s+literal query/);
    assert.match(table, /panel_render_ms\s+—\s+ms\s+not measured: no Chromium/);
    assert.equal(formatValue(0.4567), '0.457');
  });
});

describe('the generated scripted task', () => {
  it('has one turn per step, reads distinct files, edits only files read before, and ends with finish', () => {
    const shape = { steps: 20, editEvery: 5, linesPerFile: 10 };
    const turns = buildScript(shape).turns;
    assert.equal(turns.length, 20);
    assert.equal(turns[19].tool_calls?.[0].name, 'finish');
    const readPaths = turns.flatMap((t) => t.tool_calls ?? []).filter((c) => c.name === 'read_file').map((c) => (c.arguments as { path: string }).path);
    assert.equal(readPaths.length, readsIn(shape));
    assert.equal(new Set(readPaths).size, readPaths.length);
    turns.forEach((turn, index) => {
      const call = turn.tool_calls?.[0];
      if (call?.name !== 'edit_file') return;
      const target = (call.arguments as { path: string }).path;
      const readBefore = turns.slice(0, index).some((t) => (t.tool_calls?.[0].arguments as { path?: string } | undefined)?.path === target);
      assert.ok(readBefore, `${target} is edited at step ${index + 1} after being read`);
    });
    assert.equal(projectFile(51), 'src/group1/module51.ts');
  });
});
