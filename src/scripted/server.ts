// A real OpenAI-compatible HTTP server that answers from a JSON script: the `--scripted-model` feature and every e2e test's model.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadScript, validateScript, type Script, type ScriptFault, type ScriptTurn } from './script';
import { checkTurnExpectations, estimateTokens, promptCharacters } from './matching';
import { completionBody, errorBody, planReply, streamChunks, type PlannedReply } from './replies';

/** What happened to one chat-completions request. */
export type RequestOutcome =
  | 'pending' // still being handled (e.g. waiting out delay_ms)
  | 'reply' // the turn was answered (and consumed)
  | 'fault' // a scripted HTTP error status was served; the turn waits for the retry
  | 'dropped' // a scripted drop: part of the reply, then the connection was cut
  | 'stalled' // a scripted stall outlasted the client, which hung up
  | 'client_gone' // the client hung up during delay_ms; the turn was not consumed
  | 'violation' // an expect/absent rule failed: HTTP 400
  | 'exhausted' // no turns left: HTTP 400
  | 'bad_request'; // the body was not JSON

export interface RecordedRequest {
  /** The parsed request body (null when it was not JSON). */
  body: Record<string, unknown> | null;
  /** 1-based number of the turn this request was matched against; null when the script was exhausted. */
  turn: number | null;
  outcome: RequestOutcome;
  stream: boolean;
  /** The server's estimate of the request's size: ceil(characters of all message texts / 4). */
  promptTokens: number;
  /** The `X-Patchpilot-Attempt` header's number (parallel attempts), or null when the request had none. */
  attempt: number | null;
}

export interface ScriptedServer {
  /** Base URL ending in /v1, for the openai client's baseURL. */
  url: string;
  port: number;
  close(): Promise<void>;
  /** Chat-completions requests received, in order. */
  requests: RecordedRequest[];
  remainingTurns(): number;
  /** Every expect/absent violation and exhaustion message served, so a test can print why a run failed. */
  violations: string[];
}

export interface ScriptedServerOptions {
  port?: number;
  host?: string;
  log?: (line: string) => void;
}

/** One conversation's turns and cursor: the script's `turns`, or one of its `attempts` (parallel attempts). */
interface Lane {
  turns: ScriptTurn[];
  cursor: number;
  faultServed: Set<number>;
  /** Requests of one lane are answered one at a time; lanes do not wait for each other. */
  queue: Promise<void>;
  /** Which `attempts` entry this is (1-based), or null for the top-level turns. */
  attempt: number | null;
}

const ATTEMPT_HEADER = 'x-patchpilot-attempt';

interface ServerState {
  script: Script;
  model: string;
  main: Lane;
  attemptLanes: Lane[];
  requests: RecordedRequest[];
  violations: string[];
  log: (line: string) => void;
}

export async function startScriptedServer(script: Script | string, options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  const loaded = typeof script === 'string' ? loadScript(script) : validateScript(script);
  const state: ServerState = {
    script: loaded,
    model: loaded.model ?? 'scripted',
    main: newLane(loaded.turns, null),
    attemptLanes: (loaded.attempts ?? []).map((attempt, k) => newLane(attempt.turns, k + 1)),
    requests: [],
    violations: [],
    log: options.log ?? (() => undefined),
  };
  // Requests are answered one at a time (per lane) so a client that hangs up and retries always sees the turn state settled.
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && stripQuery(req.url) === '/v1/models') {
      const ids = state.script.models ?? [state.model];
      sendJson(res, 200, { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'patchpilot-scripted' })) });
      return;
    }
    if (req.method === 'POST' && stripQuery(req.url) === '/v1/chat/completions') {
      const attempt = attemptNumber(req.headers[ATTEMPT_HEADER]);
      const lane = attempt !== null && state.attemptLanes.length > 0 ? state.attemptLanes[attempt - 1] : state.main;
      if (!lane) {
        const message = `scripted model: the request says X-Patchpilot-Attempt: ${attempt}, but the script has ${state.attemptLanes.length} "attempts"`;
        state.requests.push({ body: null, turn: null, outcome: 'violation', stream: false, promptTokens: 0, attempt });
        state.violations.push(message);
        sendJson(res, 400, errorBody(message, 'invalid_request_error', 'script_expectation_failed'));
        return;
      }
      lane.queue = lane.queue.then(() => handleCompletion(state, lane, attempt, req, res)).catch((error: unknown) => {
        state.log(`scripted model: internal error: ${(error as Error).message}`);
        if (!res.headersSent) sendJson(res, 500, errorBody(`scripted model internal error: ${(error as Error).message}`, 'server_error', null));
        else res.destroy();
      });
      return;
    }
    sendJson(res, 404, errorBody(`scripted model: no route for ${req.method} ${req.url}`, 'invalid_request_error', 'not_found'));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/v1`,
    port,
    requests: state.requests,
    violations: state.violations,
    remainingTurns: () => [state.main, ...state.attemptLanes].reduce((n, lane) => n + lane.turns.length - lane.cursor, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function newLane(turns: ScriptTurn[], attempt: number | null): Lane {
  return { turns, cursor: 0, faultServed: new Set(), queue: Promise.resolve(), attempt };
}

function attemptNumber(header: string | string[] | undefined): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) && n > 0 ? n : null;
}

function stripQuery(url: string | undefined): string {
  return (url ?? '').split('?')[0];
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

function parseBody(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Waits, unless the client hangs up first; true when the full time passed with the client still there. */
function waitWhileConnected(ms: number, res: http.ServerResponse): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    res.once('close', onClose);
  });
}

async function handleCompletion(state: ServerState, lane: Lane, attempt: number | null, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const body = parseBody(await readBody(req));
  const stream = body?.stream === true;
  const record: RecordedRequest = { body, turn: null, outcome: 'pending', stream, promptTokens: estimateTokens(promptCharacters(body?.messages)), attempt };
  state.requests.push(record);
  if (body === null) {
    record.outcome = 'bad_request';
    sendJson(res, 400, errorBody('scripted model: the request body is not a JSON object', 'invalid_request_error', null));
    return;
  }
  const turns = lane.turns;
  if (lane.cursor >= turns.length) {
    const where = lane.attempt === null ? 'script' : `script's attempts[${lane.attempt - 1}]`;
    const message = `scripted model: ${where} exhausted after ${turns.length} turns (request ${state.requests.length} has no scripted reply)`;
    finishWithError(state, record, res, 'exhausted', message);
    return;
  }
  const turnIndex = lane.cursor;
  const turn = turns[turnIndex];
  record.turn = turnIndex + 1;
  const violation = checkTurnExpectations(turn, turnIndex + 1, body.messages);
  if (violation !== null) {
    finishWithError(state, record, res, 'violation', violation);
    return;
  }
  if (turn.fault && !lane.faultServed.has(turnIndex)) {
    lane.faultServed.add(turnIndex);
    const handled = await serveFault(state, turn, turn.fault, record, res);
    if (handled) return;
  }
  if (turn.delay_ms && !(await waitWhileConnected(turn.delay_ms, res))) {
    record.outcome = 'client_gone';
    state.log(`turn ${record.turn}: client hung up during delay_ms; turn not consumed`);
    return;
  }
  lane.cursor += 1;
  record.outcome = 'reply';
  const reply = planReply(turn, { turnNumber: turnIndex + 1, model: state.model, promptTokens: record.promptTokens, created: nowSeconds() });
  state.log(`turn ${record.turn}: reply (${describeReply(reply)})`);
  if (stream) writeStream(res, reply, includeUsage(body), null, turn.chunk_delay_ms ?? 0);
  else sendJson(res, 200, completionBody(reply));
}

function finishWithError(state: ServerState, record: RecordedRequest, res: http.ServerResponse, outcome: RequestOutcome, message: string): void {
  record.outcome = outcome;
  state.violations.push(message);
  state.log(message);
  sendJson(res, 400, errorBody(message, 'invalid_request_error', outcome === 'exhausted' ? 'script_exhausted' : 'script_expectation_failed'));
}

/** Serves a one-time fault; true when the request is fully handled, false when the turn's reply should follow. */
async function serveFault(state: ServerState, turn: ScriptTurn, fault: ScriptFault, record: RecordedRequest, res: http.ServerResponse): Promise<boolean> {
  if ('status' in fault) {
    const headers: Record<string, string> = {};
    if (fault.retry_after !== undefined) headers['retry-after'] = String(fault.retry_after);
    if (fault.retry_after_ms !== undefined) headers['retry-after-ms'] = String(fault.retry_after_ms);
    record.outcome = 'fault';
    state.log(`turn ${record.turn}: fault HTTP ${fault.status}`);
    const type = fault.status === 429 ? 'rate_limit_exceeded' : 'server_error';
    sendJson(res, fault.status, errorBody(fault.message ?? `scripted fault: HTTP ${fault.status}`, type, null), headers);
    return true;
  }
  if ('stall_ms' in fault) {
    if (await waitWhileConnected(fault.stall_ms, res)) return false;
    record.outcome = 'stalled';
    state.log(`turn ${record.turn}: client hung up during the scripted stall`);
    return true;
  }
  record.outcome = 'dropped';
  state.log(`turn ${record.turn}: dropping the connection after ${fault.drop_after_chunks} chunks`);
  const reply = planReply(turn, { turnNumber: record.turn ?? 0, model: state.model, promptTokens: record.promptTokens, created: nowSeconds() });
  if (record.stream) {
    writeStream(res, reply, includeUsage(record.body ?? {}), fault.drop_after_chunks);
  } else {
    // Half a JSON body under a content-length promising all of it: the client sees a cut connection.
    const text = JSON.stringify(completionBody(reply));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.write(text.slice(0, Math.floor(text.length / 2)), () => res.destroy());
  }
  return true;
}

function includeUsage(body: Record<string, unknown>): boolean {
  const options = body.stream_options;
  return typeof options === 'object' && options !== null && (options as { include_usage?: unknown }).include_usage === true;
}

/** Writes the SSE stream; with dropAfter set, only that many chunks (never the finish chunk) and then cuts the connection. */
function writeStream(res: http.ServerResponse, reply: PlannedReply, withUsage: boolean, dropAfter: number | null, chunkDelayMs = 0): void {
  const { chunks, chunksBeforeFinish } = streamChunks(reply, withUsage);
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const lines = chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`);
  if (dropAfter === null && chunkDelayMs > 0) {
    // One chunk at a time, as a model generates: a display must show the text before the reply is complete.
    let next = 0;
    const tick = (): void => {
      if (res.destroyed) return;
      if (next >= lines.length) {
        res.end('data: [DONE]\n\n');
        return;
      }
      res.write(lines[next++]);
      setTimeout(tick, chunkDelayMs);
    };
    tick();
    return;
  }
  if (dropAfter === null) {
    res.end(lines.join('') + 'data: [DONE]\n\n');
    return;
  }
  const sent = lines.slice(0, Math.min(dropAfter, chunksBeforeFinish)).join('');
  // An SSE comment line so even a drop after zero chunks sends the headers before the cut.
  res.write(sent + ': scripted drop\n\n', () => res.destroy());
}

function describeReply(reply: PlannedReply): string {
  const calls = reply.toolCalls.map((call) => call.name).join(', ');
  const text = reply.content ? `${reply.content.length} chars` : 'no text';
  return calls ? `${text}; tool calls: ${calls}` : text;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
