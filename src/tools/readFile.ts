// read_file: a window of a text file with line numbers; large files come back in windows with a note of what was left out.
import { defineTool, errorToResult, failure } from './tool';
import { isBinary } from './workspace/fileKinds';

const DEFAULT_WINDOW_LINES = 400;
const MAX_WINDOW_CHARS = 48_000;
/** One line longer than this (minified code, a data dump) keeps its head and tail: no line is exempt from a cap. */
const MAX_LINE_CHARS = 2_000;

export interface ReadFileArgs { path: string; start_line?: number; end_line?: number }

export const readFileTool = defineTool<ReadFileArgs>({
  name: 'read_file',
  description:
    'Read a text file of the workspace. Lines come back numbered ("  12| text"). Large files come back in windows: ' +
    'the reply says which lines were left out; call again with start_line/end_line for more. Binary files are refused.',
  parameters: {
    type: 'object',
    properties: {
      path: { type: 'string', description: 'Workspace-relative path of the file.' },
      start_line: { type: 'integer', minimum: 1, description: 'First line to read (1-based).' },
      end_line: { type: 'integer', minimum: 1, description: 'Last line to read (inclusive).' },
    },
    required: ['path'],
    additionalProperties: false,
  },
  readOnly: true,
  async run(args, context) {
    try {
      const relative = context.workspace.resolve(args.path, 'read');
      const bytes = await context.workspace.readFile(relative);
      if (isBinary(bytes)) {
        return failure('binary_file', `${relative} is a binary file (${bytes.length} bytes); read_file only returns text.`);
      }
      const text = bytes.toString('utf8');
      context.writer.noteRead(relative, text);
      return { ok: true, output: renderWindow(relative, text, args.start_line, args.end_line) };
    } catch (error) {
      return errorToResult(error);
    }
  },
});

export function renderWindow(path: string, text: string, startLine?: number, endLine?: number): string {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const total = lines.length;
  if (total === 0) return `${path}: empty file`;
  const start = Math.min(Math.max(1, startLine ?? 1), total);
  let end = Math.min(total, endLine ?? start + DEFAULT_WINDOW_LINES - 1);
  if (end < start) end = start;
  const width = String(end).length;
  const out: string[] = [];
  let chars = 0;
  let lastShown = start - 1;
  let cutLines = 0;
  for (let n = start; n <= end; n++) {
    const raw = lines[n - 1];
    if (raw.length > MAX_LINE_CHARS) cutLines++;
    const line = `${String(n).padStart(width)}| ${raw.length > MAX_LINE_CHARS ? cutLine(raw) : raw}`;
    if (chars + line.length > MAX_WINDOW_CHARS && n > start) break;
    out.push(line);
    chars += line.length + 1;
    lastShown = n;
  }
  const notes: string[] = [];
  if (start > 1) notes.push(`lines 1-${start - 1} not shown`);
  if (lastShown < total) notes.push(`lines ${lastShown + 1}-${total} not shown; read them with start_line=${lastShown + 1}`);
  if (cutLines) notes.push(`${cutLines} line(s) longer than ${MAX_LINE_CHARS.toLocaleString('en-US')} characters shown by head and tail; search_text finds text inside them`);
  const header = `${path} (${total} lines${notes.length ? '; ' + notes.join('; ') : ''})`;
  return `${header}\n${out.join('\n')}`;
}

function cutLine(line: string): string {
  const head = Math.floor(MAX_LINE_CHARS * 0.75);
  const tail = MAX_LINE_CHARS - head;
  return `${line.slice(0, head)} [… ${(line.length - MAX_LINE_CHARS).toLocaleString('en-US')} characters of this line left out …] ${line.slice(-tail)}`;
}
