// Keeps a command's output bounded for the model: the first headBytes and the last tailBytes in memory, and,
// once anything has to be left out, the whole output in a spill file the model can read with its file tools.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface BoundedOutputOptions {
  headBytes: number;
  tailBytes: number;
  spillDir: string;
}

export interface RenderedOutput {
  output: string;
  truncated: boolean;
  spillPath?: string;
  totalBytes: number;
}

export class BoundedOutput {
  private readonly head: Buffer[] = [];
  private headLength = 0;
  private tail: Buffer[] = [];
  private tailLength = 0;
  private totalBytes = 0;
  private spillFd: number | null = null;
  private spillPath: string | undefined;
  private spillError: string | undefined;

  constructor(private readonly options: BoundedOutputOptions) {}

  append(text: string): void {
    if (text === '') return;
    const full = Buffer.from(text, 'utf8');
    let bytes = full;
    this.totalBytes += full.length;
    if (this.headLength < this.options.headBytes) {
      const room = this.options.headBytes - this.headLength;
      this.head.push(bytes.subarray(0, room));
      this.headLength += Math.min(room, bytes.length);
      bytes = bytes.subarray(room);
    }
    if (bytes.length > 0) {
      this.tail.push(bytes);
      this.tailLength += bytes.length;
    }
    // The spill file starts before anything is dropped, so it always holds the complete output.
    if (this.totalBytes > this.options.headBytes + this.options.tailBytes) {
      if (this.spillFd === null && this.spillError === undefined) this.startSpill();
      else this.writeSpill(full);
    }
    if (this.tailLength > this.options.tailBytes * 2 + 65536) this.compactTail();
  }

  /** Closes the spill file and returns the bounded text. */
  finish(): RenderedOutput {
    this.closeSpill();
    const head = Buffer.concat(this.head);
    const tailAll = Buffer.concat(this.tail);
    if (this.totalBytes <= this.options.headBytes + this.options.tailBytes) {
      return { output: Buffer.concat([head, tailAll]).toString('utf8'), truncated: false, totalBytes: this.totalBytes };
    }
    const headText = cutAtLastLineBreak(completeCharactersPrefix(head));
    const tailBytes = cutAfterFirstLineBreak(
      completeCharactersSuffix(tailAll.subarray(Math.max(0, tailAll.length - this.options.tailBytes))));
    const leftOut = this.totalBytes - Buffer.byteLength(headText) - tailBytes.length;
    const where = this.spillPath !== undefined
      ? `full output in ${this.spillPath}`
      : `the full output could not be saved: ${this.spillError ?? 'unknown error'}`;
    const marker = `${headText.endsWith('\n') ? '' : '\n'}[… ${leftOut.toLocaleString('en-US')} bytes left out; ${where} …]\n`;
    return {
      output: headText + marker + tailBytes.toString('utf8'),
      truncated: true,
      spillPath: this.spillPath,
      totalBytes: this.totalBytes,
    };
  }

  private startSpill(): void {
    try {
      fs.mkdirSync(this.options.spillDir, { recursive: true });
      pruneSpillDirOnce(this.options.spillDir);
      const name = `output-${new Date().toISOString().replace(/[:.]/g, '-')}-${crypto.randomBytes(4).toString('hex')}.log`;
      const spillPath = path.join(this.options.spillDir, name);
      this.spillFd = fs.openSync(spillPath, 'w');
      this.spillPath = spillPath;
      this.writeSpill(Buffer.concat([...this.head, ...this.tail]));
    } catch (error) {
      this.failSpill(error);
    }
  }

  private writeSpill(bytes: Buffer): void {
    if (this.spillFd === null) return;
    try {
      let written = 0;
      while (written < bytes.length) written += fs.writeSync(this.spillFd, bytes, written);
    } catch (error) {
      this.failSpill(error);
    }
  }

  private failSpill(error: unknown): void {
    this.spillError = error instanceof Error ? error.message : String(error);
    this.closeSpill();
    this.spillPath = undefined;
  }

  private closeSpill(): void {
    if (this.spillFd === null) return;
    const fd = this.spillFd;
    this.spillFd = null;
    try {
      fs.closeSync(fd);
    } catch {
      // Closing can only fail if the descriptor is already gone; the data was written synchronously.
    }
  }

  private compactTail(): void {
    const all = Buffer.concat(this.tail);
    const kept = all.subarray(all.length - this.options.tailBytes);
    this.tail = [Buffer.from(kept)];
    this.tailLength = kept.length;
  }
}

/** The head cut at a byte limit may end inside a UTF-8 sequence; drop the partial character. */
function completeCharactersPrefix(bytes: Buffer): string {
  let end = bytes.length;
  let back = 0;
  while (end - back - 1 >= 0 && back < 4 && (bytes[end - back - 1] & 0xc0) === 0x80) back++;
  const leadIndex = end - back - 1;
  if (leadIndex >= 0) {
    const lead = bytes[leadIndex];
    const expected = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (expected > back + 1) end = leadIndex;
  }
  return bytes.subarray(0, end).toString('utf8');
}

/** The tail cut from the end may start inside a UTF-8 sequence; skip the continuation bytes. */
function completeCharactersSuffix(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length && start < 4 && (bytes[start] & 0xc0) === 0x80) start++;
  return bytes.subarray(start);
}

// Whole lines read better on both sides of the marker; give up at most a quarter of the kept part for that.
function cutAtLastLineBreak(text: string): string {
  const lastBreak = text.lastIndexOf('\n');
  return lastBreak >= 0 && lastBreak >= text.length * 0.75 ? text.slice(0, lastBreak + 1) : text;
}

function cutAfterFirstLineBreak(bytes: Buffer): Buffer {
  const firstBreak = bytes.indexOf(0x0a);
  return firstBreak >= 0 && firstBreak < bytes.length * 0.25 ? bytes.subarray(firstBreak + 1) : bytes;
}

/** Spill files are for the task that made them; a day later nobody reads them, so they do not pile up. */
export const SPILL_MAX_AGE_MS = 24 * 60 * 60 * 1000;
const prunedDirs = new Set<string>();

/** Deletes this folder's spill files older than SPILL_MAX_AGE_MS, once per folder and process; returns how many. */
export function pruneSpillDirOnce(dir: string, now = Date.now()): number {
  if (prunedDirs.has(dir)) return 0;
  prunedDirs.add(dir);
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!/^output-.*\.log$/.test(name)) continue; // only our own files, whatever else someone keeps there
    const file = path.join(dir, name);
    try {
      if (now - fs.statSync(file).mtimeMs > SPILL_MAX_AGE_MS) {
        fs.unlinkSync(file);
        removed += 1;
      }
    } catch {
      // gone already or not ours to delete: leave it
    }
  }
  return removed;
}
