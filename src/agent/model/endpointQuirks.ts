// What the client learned about an endpoint while talking to it, kept per base URL for the life of the process so a
// fallback is paid for once: whether it rejects `stream_options`, whether it wants Mistral-style tool-call ids.

export type StreamOptionsState =
  /** Not known yet: a 400/422 may be its fault, so one retry without it is tried. */
  | 'unknown'
  /** A request with it succeeded, or a retry without it failed the same way: it is not the problem. */
  | 'accepted'
  /** The server rejected it: it is no longer sent, and token counts are estimated. */
  | 'rejected';

export interface EndpointQuirks {
  streamOptions: StreamOptionsState;
  /** The server insisted on 9-character alphanumeric tool-call ids (learned from its 400). */
  mistralToolIds: boolean;
}

export class QuirkMemory {
  private readonly byEndpoint = new Map<string, EndpointQuirks>();

  /** The live record for an endpoint (created on first use): callers update it in place. */
  for(endpoint: string): EndpointQuirks {
    let quirks = this.byEndpoint.get(endpoint);
    if (!quirks) {
      quirks = { streamOptions: 'unknown', mistralToolIds: false };
      this.byEndpoint.set(endpoint, quirks);
    }
    return quirks;
  }
}

/** Shared by every client of this process: a second task against the same endpoint starts with what the first learned. */
export const processQuirks = new QuirkMemory();
