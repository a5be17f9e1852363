// Known secret values never reach the model, the journal or the panel: every tool result, test run and terminal
// echo passes through mask(), which replaces each value with a marker naming where it came from. The values are
// the ones Patchpilot knows for certain: the agent's API key, credential-looking variables dropped from commands'
// environment, and the values kept in protected files (.env assignments, tokens in .npmrc/.netrc, key bodies).
// A secret the person keeps elsewhere, in a form we cannot recognise, is not covered; the sandbox hides the usual
// stores instead.
import * as fs from 'node:fs';
import { MIN_MASKED_SECRET_LENGTH } from '../../tools/process/environment';

export interface SecretValue {
  /** Where it came from, shown in the marker: a variable name or `path:KEY`. Never the value. */
  name: string;
  value: string;
}

/** What the model sees in place of a secret; write tools refuse content that contains it. */
export function secretMarker(name: string): string {
  return `[secret ${name} hidden by Patchpilot]`;
}

export const SECRET_MARKER_PATTERN = /\[secret [^\]\n]{1,200} hidden by Patchpilot\]/;

// Values that look like placeholders or ordinary settings, not secrets: masking them would only garble output.
const NOT_SECRET = /^(?:true|false|null|none|undefined|yes|no|on|off|localhost|development|production|test|changeme|example|\d+(?:\.\d+)*|https?:\/\/(?:localhost|127\.0\.0\.1)[^@]*)$/i;

export class SecretMasker {
  private secrets: SecretValue[] = [];

  constructor(values: SecretValue[] = []) {
    this.add(values);
  }

  get size(): number {
    return this.secrets.length;
  }

  /** The longest value: a streaming consumer holds back this many characters minus one. */
  get longest(): number {
    return this.secrets[0]?.value.length ?? 0;
  }

  add(values: readonly SecretValue[]): void {
    const known = new Set(this.secrets.map((secret) => secret.value));
    for (const candidate of values) {
      const value = candidate.value.trim();
      if (value.length < MIN_MASKED_SECRET_LENGTH || NOT_SECRET.test(value) || known.has(value)) continue;
      known.add(value);
      this.secrets.push({ name: candidate.name, value });
    }
    // Longest first, so a secret that contains another is replaced whole.
    this.secrets.sort((a, b) => b.value.length - a.value.length);
  }

  mask(text: string): string {
    if (this.secrets.length === 0 || text === '') return text;
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret.value)) out = out.split(secret.value).join(secretMarker(secret.name));
    }
    return out;
  }

  /**
   * A masker for text that arrives in chunks (a terminal echo): a secret split across two chunks is still caught,
   * because the end of each chunk that could begin a secret is held back until the next one (or the end).
   */
  stream(): { push(chunk: string): string; end(): string } {
    let pending = '';
    return {
      push: (chunk: string) => {
        const text = pending + chunk;
        const keep = this.heldBack(text);
        pending = text.slice(text.length - keep);
        return this.mask(text.slice(0, text.length - keep));
      },
      end: () => {
        const rest = this.mask(pending);
        pending = '';
        return rest;
      },
    };
  }

  /** How many trailing characters of `text` could be the start of a secret. */
  private heldBack(text: string): number {
    let keep = 0;
    for (const { value } of this.secrets) {
      for (let length = Math.min(value.length - 1, text.length); length > keep; length--) {
        if (text.endsWith(value.slice(0, length))) {
          keep = length;
          break;
        }
      }
    }
    return keep;
  }
}

/** Values kept in a protected file: `KEY=value` and `key: value` lines, .netrc passwords, URL passwords, key bodies. */
export function secretsInFile(absolute: string, label: string): SecretValue[] {
  let text: string;
  try {
    const stat = fs.statSync(absolute);
    if (!stat.isFile() || stat.size > 256 * 1024) return [];
    text = fs.readFileSync(absolute, 'utf8');
  } catch {
    return [];
  }
  const found: SecretValue[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const assignment = /^(?:export\s+)?([A-Za-z_][\w.-]*|\/\/[^=\s]+:_\w+)\s*[=:]\s*(.*)$/.exec(line);
    if (assignment) {
      found.push({ name: `${label}:${assignment[1]}`, value: unquote(assignment[2]) });
      continue;
    }
    const netrc = /\bpassword\s+(\S+)/.exec(line);
    if (netrc) found.push({ name: `${label}:password`, value: netrc[1] });
    const urlPassword = /:\/\/[^/\s:@]+:([^/\s@]+)@/.exec(line);
    if (urlPassword) found.push({ name: `${label}:url-password`, value: urlPassword[1] });
    if (/^[A-Za-z0-9+/=]{16,}$/.test(line)) found.push({ name: label, value: line }); // a line of a PEM body
  }
  return found;
}

function unquote(value: string): string {
  const quoted = /^\s*(['"])(.*?)\1/.exec(value);
  return quoted ? quoted[2] : value.replace(/\s+#.*$/, '').trim();
}
