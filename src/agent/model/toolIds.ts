// Tool-call id rules, applied where a provider needs them and nowhere else. Every reply's calls get an id when the
// server sent none (the id pairs a call with its result). Mistral's API (and vLLM serving Mistral models with its
// tokenizer) accepts only ids of exactly 9 characters a-z, A-Z, 0-9: a history with other ids — calls parsed from
// text, a task begun with another provider — is rewritten for it, the same id always to the same 9 characters.
import { createHash, randomBytes } from 'node:crypto';

export type ToolIdStyle = 'any' | 'mistral';

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const MISTRAL_ID = /^[a-zA-Z0-9]{9}$/;

/** Mistral's rule for servers that are known to need it (by host or model family). */
export function toolIdStyleFor(baseURL: string, model: string): ToolIdStyle {
  let host = '';
  try {
    host = new URL(baseURL).hostname;
  } catch {
    // An unparsable URL was reported when the endpoint was resolved.
  }
  return /(^|\.)mistral\.ai$/i.test(host) || /(^|[/:_-])(mistral|mixtral|codestral|devstral|magistral|ministral|pixtral)/i.test(model) ? 'mistral' : 'any';
}

/** A 400 that says the tool-call ids break Mistral's rule ("… must be a-z, A-Z, 0-9, with a length of 9"). */
export function isToolIdRejection(message: string): boolean {
  return /tool[ _]?call[ _]?id/i.test(message) && /(length of 9|a-z, ?A-Z, ?0-9|9 char)/i.test(message);
}

/** A fresh id for a call that came without one. */
export function newToolCallId(style: ToolIdStyle): string {
  return style === 'mistral' ? alphanumeric(randomBytes(9)) : `call_${alphanumeric(randomBytes(24))}`;
}

/** The id as the server accepts it: unchanged when it already fits. */
export function toolIdFor(id: string, style: ToolIdStyle): string {
  if (style === 'any' || MISTRAL_ID.test(id)) return id;
  return alphanumeric(createHash('sha256').update(id).digest()).slice(0, 9);
}

function alphanumeric(bytes: Buffer): string {
  let text = '';
  for (const byte of bytes) text += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return text;
}
