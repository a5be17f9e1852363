// Applying a lazy edit: the model rewrote (part of) a file and wrote `// ... existing code ...` where it kept
// original lines. Each placeholder, and the part of the file above and below the edit, stands for a run of
// original lines; the edit applies only when there is one cheapest way to read it, else nothing changes and the
// error says what was ambiguous and how to write the edit so it is not.
import { editError } from './errors';
import { cheapestSteps, costTable, MAX_ALIGN_CELLS, type Step } from './lazy-align';
import { suspiciousInsertion, tornBlock, unbalancedBracket, type Suspicion, type TornBlock } from './lazy-guard';
import { isPlaceholderLine } from './lazy-placeholders';
import { blockedLines, itemTexts, keyCounts, lineKey, newBlockMembers, owners, type LazyItem } from './lazy-structure';
import { describeDocument, indexLines, restoreBom } from './text';
import type { EditError, MatchStrategy } from './types';

export type LazyResult = { ok: true; content: string; strategies: MatchStrategy[] } | { ok: false; error: EditError };

interface OriginalLine {
  text: string;
  /** Its own line ending ('' for a last line without one), kept so mixed line endings survive. */
  term: string;
}

/**
 * The edit's lines as items. An edit with placeholders is the whole file with elisions: its first and last lines
 * are the file's. One without any is a snippet of the file (Continue's "no lazy blocks" case): implicit holes
 * above and below keep the rest of the file.
 */
function itemsOf(editText: string): LazyItem[] {
  const lines = editText.replace(/\r?\n$/, '').split(/\r?\n/);
  const items: LazyItem[] = [];
  lines.forEach((text, index) => {
    const last = items[items.length - 1] as LazyItem | undefined;
    if (!isPlaceholderLine(text)) items.push({ kind: 'line', text, editLine: index + 1 });
    else if (last?.kind !== 'hole') items.push({ kind: 'hole', editLine: index + 1 });
  });
  if (items.some((item) => item.kind === 'hole')) return items;
  return [{ kind: 'hole', editLine: -1 }, ...items, { kind: 'hole', editLine: -1 }];
}

/**
 * Original lines at the top or bottom, beyond the first or last line the edit keeps, that the reading deletes
 * with fewer new lines written in their place: the edit starts below them (or ends above them) without a
 * placeholder to keep them, far more often a forgotten placeholder than a wish to delete them.
 */
function droppedEdge(steps: readonly Step[]): { first: number; last: number; top: boolean } | undefined {
  const kept = (step: Step): boolean => step.op === 'align' || step.op === 'absorb';
  const firstKept = steps.findIndex(kept);
  let lastKept = steps.length - 1;
  while (lastKept >= 0 && !kept(steps[lastKept])) lastKept--;
  for (const [edge, top] of [[steps.slice(0, Math.max(0, firstKept)), true], [steps.slice(lastKept + 1), false]] as const) {
    const deleted = edge.flatMap((step) => (step.op === 'delete' ? [step.orig] : []));
    const inserted = edge.filter((step) => step.op === 'insert').length;
    // The new lines stand in for the deleted lines next to the kept ones; the rest are dropped unseen.
    const dropped = top ? deleted.slice(0, deleted.length - inserted) : deleted.slice(inserted);
    if (dropped.length > 0) return { first: dropped[0], last: dropped[dropped.length - 1], top };
  }
  return undefined;
}

function droppedEdgeMessage(edge: { first: number; last: number; top: boolean }): string {
  const lines = `Lines ${edge.first + 1}-${edge.last + 1} of the file`;
  const side = edge.top ? 'above the edit\'s first line' : 'below the edit\'s last line';
  const place = edge.top ? 'Start' : 'End';
  return `${lines} are ${side}, and no placeholder keeps them, so the edit would delete them. ${place} the edit with a placeholder (such as "// ... existing code ...") to keep them, or copy them in; to delete them, use a search/replace edit.`;
}

function refuse(code: EditError['code'], message: string, path: string | undefined): LazyResult {
  return { ok: false, error: editError(code, `${message} Nothing was changed.`, { path }) };
}

/** Applies a lazy edit to `content`: all of it, or nothing with an error that says why. */
export function applyLazyEdit(content: string, editText: string, path?: string): LazyResult {
  const shape = describeDocument(content);
  const original: OriginalLine[] = indexLines(shape.body).map((line) => ({ text: line.text, term: shape.body.slice(line.end, line.next) }));
  const texts = original.map((line) => line.text);
  const counts = keyCounts(texts);
  const editLines = editText.split(/\r?\n/);
  const copied = editLines.findIndex((line) => isPlaceholderLine(line) && counts.has(lineKey(line)));
  if (copied !== -1) {
    return refuse('ambiguous_match', `Edit line ${copied + 1} (${JSON.stringify(editLines[copied].trim())}) reads as a placeholder, but the file has that same line, so it may be a copy of it. Replace the placeholder with the lines it stands for, or use a search/replace edit.`, path);
  }
  const items = itemsOf(editText);
  const itemOwners = owners(itemTexts(items));
  const members = newBlockMembers(items, texts, counts, itemOwners);
  const blocked = blockedLines(items, counts, members);
  // A snippet floats between implicit holes: only lines the file has can place it.
  const snippet = items[0].kind === 'hole' && items[0].editLine === -1;
  const anchored = items.some((item, i) => item.kind === 'line' && item.text.trim() !== '' && !blocked[i] && counts.has(lineKey(item.text)));
  if (snippet && !anchored) return refuse('no_match', 'No line of the snippet (besides blank lines and the lines of new blocks) is in the file, so nothing shows where it goes. Copy at least the unchanged lines around each change from the file, or write the whole file with "// ... existing code ..." placeholders.', path);
  if (items.length * (texts.length + 1) > MAX_ALIGN_CELLS) {
    return refuse('malformed_edit', `The file (${texts.length} lines) is too large for a lazy edit of ${items.length} lines. Use search/replace blocks for the parts that change.`, path);
  }
  const table = costTable(items, texts, blocked);
  const early = cheapestSteps(items, texts, table, 'edit-first');
  const late = cheapestSteps(items, texts, table, 'original-first');
  const body = render(early, items, original, shape.eol);
  if (body !== render(late, items, original, shape.eol)) return refuse('ambiguous_match', ambiguity(early, late, items), path);
  const edge = droppedEdge(early) ?? droppedEdge(late);
  if (edge) return refuse('ambiguous_match', droppedEdgeMessage(edge), path);
  const torn = tornBlock(early, itemOwners, owners(texts)) ?? tornBlock(late, itemOwners, owners(texts));
  if (torn) return refuse('ambiguous_match', tornMessage(torn, items, texts), path);
  const suspicion = suspiciousInsertion(early, items, texts, counts, members) ?? suspiciousInsertion(late, items, texts, counts, members);
  if (suspicion) return refuse('ambiguous_match', suspicionMessage(suspicion, items, texts), path);
  const unbalanced = unbalancedBracket(shape.body, body);
  if (unbalanced) {
    return refuse('ambiguous_match', `Read this way, the lazy edit would leave the file with ${unbalanced}, though its brackets balance now: a placeholder probably stands for other lines than you meant. Copy the unchanged lines around each placeholder (the line before and after it), or use a search/replace edit.`, path);
  }
  if (body === shape.body) return refuse('no_op', 'The lazy edit leaves the file exactly as it is.', path);
  return { ok: true, content: restoreBom(shape, body), strategies: ['lazy'] };
}

/** The new body: kept and aligned lines keep their bytes and line endings, new lines get the file's line ending. */
function render(steps: readonly Step[], items: readonly LazyItem[], original: readonly OriginalLine[], eol: string): string {
  const out: OriginalLine[] = [];
  for (const step of steps) {
    if (step.op === 'align' || step.op === 'absorb') out.push(original[step.orig]);
    else if (step.op === 'insert') out.push({ text: (items[step.item] as { text: string }).text, term: eol });
  }
  if (out.length === 0) return '';
  const endsWithNewline = original.length === 0 || original[original.length - 1].term !== '';
  return out.map((line, k) => {
    if (k < out.length - 1) return line.text + (line.term === '' ? eol : line.term);
    return line.text + (endsWithNewline ? (line.term === '' ? eol : line.term) : '');
  }).join('');
}

/** The original lines each hole keeps, as [first, last] (0-based), or undefined when it keeps none. */
function holeRanges(steps: readonly Step[]): Map<number, [number, number]> {
  const ranges = new Map<number, [number, number]>();
  for (const step of steps) {
    if (step.op !== 'absorb') continue;
    const range = ranges.get(step.item);
    ranges.set(step.item, range ? [range[0], step.orig] : [step.orig, step.orig]);
  }
  return ranges;
}

function holeName(items: readonly LazyItem[], index: number): string {
  const hole = items[index];
  if (hole.editLine !== -1) return `The placeholder at edit line ${hole.editLine}`;
  return index === 0 ? 'The part of the file above the edit' : 'The part of the file below the edit';
}

function describeRange(range: [number, number] | undefined): string {
  return range ? `file lines ${range[0] + 1}-${range[1] + 1}` : 'no file lines';
}

/** Which hole could stand for two different runs, and the new lines whose place that leaves open. */
function ambiguity(early: readonly Step[], late: readonly Step[], items: readonly LazyItem[]): string {
  const a = holeRanges(early);
  const b = holeRanges(late);
  const hole = items.findIndex((item, k) => item.kind === 'hole' && JSON.stringify(a.get(k)) !== JSON.stringify(b.get(k)));
  const placed = early.find((step, k) => step.op === 'insert' && JSON.stringify(step) !== JSON.stringify(late[k]));
  const line = placed && placed.op === 'insert' ? (items[placed.item] as { text: string; editLine: number }) : undefined;
  const lines = line ? ` The new lines from edit line ${line.editLine} (${JSON.stringify(line.text.trim())}) are not in the file, and nothing pins where they go.` : '';
  const where = hole === -1 ? 'The lazy edit can be read two ways.' : `${holeName(items, hole)} could stand for ${describeRange(a.get(hole))} or for ${describeRange(b.get(hole))}.`;
  return `The lazy edit is ambiguous: ${where}${lines} Copy the unchanged file line right before (or right after) the new lines into the edit, so they fit in one place only, or use a search/replace edit.`;
}

function suspicionMessage(suspicion: Suspicion, items: readonly LazyItem[], original: readonly string[]): string {
  const line = items[suspicion.item] as { text: string; editLine: number };
  const edited = `Edit line ${line.editLine} (${JSON.stringify(line.text.trim())})`;
  const fileLine = `file line ${suspicion.orig + 1} (${JSON.stringify(original[suspicion.orig].trim())})`;
  if (suspicion.kind === 'repeated') {
    return `${edited} is new, but it repeats ${fileLine}, a line the file has once and the edit keeps: it would appear twice. To move a line, use a search/replace edit; to keep it where it is, leave it to the placeholder.`;
  }
  return `${edited} is new and sits right next to a placeholder that keeps ${fileLine}, which it looks like a changed version of. ` +
    'A placeholder keeps every line it stands for, so both would stay. To change that line, copy the unchanged line before it into the edit, then the new version (or use a search/replace edit).';
}

function tornMessage(torn: TornBlock, items: readonly LazyItem[], original: readonly string[]): string {
  const line = items[torn.item] as { text: string; editLine: number };
  const opener = items[torn.editOwner] as { text: string; editLine: number };
  return `Edit line ${line.editLine} (${JSON.stringify(line.text.trim())}) belongs to the new block opened at edit line ${opener.editLine} (${JSON.stringify(opener.text.trim())}), ` +
    `but it is the same as file line ${torn.orig + 1}, whose own block (file line ${torn.origOwner + 1}, ${JSON.stringify(original[torn.origOwner].trim())}) the edit keeps: ` +
    'reading it as that line would move it out of its block. To add new code that repeats a line of the file, use a search/replace edit; to rewrite that block, show its unchanged neighbours above and below it.';
}
