// One-time fallbacks after a server refused a request (HTTP 400 or 422): what to change, retried once at once, and
// remembered for the endpoint (endpointQuirks.ts). Each says why in the retry reason, which the journal keeps.
import type { ModelError } from './errors';
import type { EndpointQuirks } from './endpointQuirks';
import { isToolIdRejection } from './toolIds';

export interface SentShape {
  streamOptions: boolean;
  mistralToolIds: boolean;
}

export interface Fallback {
  name: 'stream_options' | 'tool_ids';
  /** Said in the retry reason and, once the retry worked, as a warning on the reply. */
  reason: string;
  /** Changes what is remembered for the endpoint before the retry. */
  apply(quirks: EndpointQuirks): void;
  /** The retry failed too: undo what was only a guess. */
  undo(quirks: EndpointQuirks): void;
}

/** The fallback worth one retry for this refusal, if any; `tried` holds those already used for this call. */
export function fallbackFor(error: ModelError, sent: SentShape, quirks: EndpointQuirks, endpoint: string, tried: ReadonlySet<string>): Fallback | null {
  if (error.status !== 400 && error.status !== 422) return null;
  const words = error.detail ?? error.message;
  if (!tried.has('tool_ids') && !sent.mistralToolIds && isToolIdRejection(words)) {
    return {
      name: 'tool_ids',
      reason: `${endpoint} refused the tool-call ids (HTTP ${error.status}: ${words}); retrying with 9-character ids (remembered for this endpoint).`,
      apply: (q) => void (q.mistralToolIds = true),
      undo: (q) => void (q.mistralToolIds = false),
    };
  }
  const named = /stream_options|include_usage/i.test(words);
  // A server that named it is sure; any other 400/422 is tried once per endpoint, until a request with it succeeds.
  if (!tried.has('stream_options') && sent.streamOptions && (named || quirks.streamOptions === 'unknown')) {
    return {
      name: 'stream_options',
      reason: `${endpoint} refused the request (HTTP ${error.status}: ${words}); retrying without stream_options (remembered for this endpoint, so token counts are estimated from now on).`,
      apply: (q) => void (q.streamOptions = 'rejected'),
      undo: (q) => void (q.streamOptions = named ? 'rejected' : 'accepted'),
    };
  }
  return null;
}
