// events_per_s: task events appended through the Journal (JSON Lines, one synchronous write per event, one listener
// attached as the CLI or the panel would be). Baseline in the same run: JSON.stringify + fs.writeSync of the same
// events to a plain file descriptor, i.e. the least any durable append-per-event log can cost.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Journal } from '../src/agent/journal';
import type { TaskEventBody } from '../src/agent/events';
import { systemClock } from '../src/agent/ports';
import { benchMain } from './support/main';
import { interleave, median, round, type BenchEntries } from './support/stats';

const EVENTS = 20_000;
const RUNS = 7;

/** A realistic mix: a reply, a tool start and finish, and the tool result message of ~1.5 KB. */
function sampleEvents(): TaskEventBody[] {
  const fileText = Array.from({ length: 30 }, (_, i) => `${String(i + 1).padStart(3)}| export const value${i} = compute(${i}, 'x');`).join('\n');
  const events: TaskEventBody[] = [];
  for (let i = 0; events.length < EVENTS; i++) {
    const id = `call_${i}_0`;
    events.push({ type: 'model_reply', step: i, content: 'Reading the next file.', toolCalls: [{ id, name: 'read_file', argumentsText: `{"path":"src/m${i}.ts"}` }], usage: { promptTokens: 1200 + i, completionTokens: 20, costUsd: null }, attempts: 1 });
    events.push({ type: 'tool_started', step: i, id, name: 'read_file', args: { path: `src/m${i}.ts` } });
    events.push({ type: 'tool_finished', step: i, id, name: 'read_file', ok: true, summary: fileText.slice(0, 2000) });
    events.push({ type: 'message', message: { role: 'tool', tool_call_id: id, content: fileText } });
  }
  return events.slice(0, EVENTS);
}

export async function measureJournalThroughput(): Promise<BenchEntries> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'patchpilot-bench-journal-'));
  const events = sampleEvents();
  let fileIndex = 0;
  try {
    const viaJournal = (): void => {
      const journal = new Journal(path.join(scratch, `journal-${fileIndex++}.jsonl`), systemClock);
      let seen = 0;
      journal.onEvent(() => void seen++);
      for (const event of events) journal.append(event);
      journal.close();
      if (seen !== events.length) throw new Error(`listener saw ${seen} of ${events.length} events`);
    };
    const viaPlainWrites = (): void => {
      const fd = fs.openSync(path.join(scratch, `plain-${fileIndex++}.jsonl`), 'a');
      let seq = 0;
      for (const event of events) fs.writeSync(fd, JSON.stringify({ ...event, seq: ++seq, time: Date.now() }) + '\n');
      fs.closeSync(fd);
    };
    const measured = await interleave(RUNS, viaJournal, viaPlainWrites);
    const journalRate = EVENTS / (median(measured.work) / 1000);
    const baselineRate = EVENTS / (median(measured.baseline) / 1000);
    const bytes = fs.statSync(path.join(scratch, 'journal-0.jsonl')).size;
    return {
      events_per_s: {
        value: Math.round(journalRate),
        unit: 'events/s',
        runs: RUNS,
        events_per_run: EVENTS,
        bytes_per_event: Math.round(bytes / EVENTS),
        baseline_events_per_s: Math.round(baselineRate),
        ratio_to_baseline: round(journalRate / baselineRate, 3),
        summary: `median of ${RUNS} runs of ${EVENTS} events (~${Math.round(bytes / EVENTS)} B each, one listener) through Journal.append; baseline JSON.stringify + fs.writeSync of the same events: ${Math.round(baselineRate).toLocaleString('en-US')} events/s, ratio ${round(journalRate / baselineRate, 2)}`,
      },
    };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

benchMain(module, measureJournalThroughput);
