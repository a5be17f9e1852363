// Requests to the host with ids and replies, each with a timeout so a lost reply never hangs a button.
import type { PanelMethod, PanelParams, PanelResult, ReplyMessage } from '../shared/protocol';
import { vscodeApi } from './vscodeApi';

const REPLY_TIMEOUT_MS = 30_000;

interface Pending {
  method: PanelMethod;
  settle(reply: ReplyMessage | Error): void;
}

const pending = new Map<number, Pending>();
let nextId = 1;

export function request<M extends PanelMethod>(method: M, params: PanelParams<M>): Promise<PanelResult<M>> {
  const id = nextId++;
  return new Promise<PanelResult<M>>((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error(`No reply to ${method} within ${REPLY_TIMEOUT_MS / 1000} s`));
    }, REPLY_TIMEOUT_MS);
    pending.set(id, {
      method,
      settle: (reply) => {
        clearTimeout(timer);
        pending.delete(id);
        if (reply instanceof Error) reject(reply);
        else if (!reply.ok) reject(new Error(reply.error));
        else if (reply.method !== method) reject(new Error(`reply for ${reply.method} answered a ${method} request`));
        // The method check above ties the reply to this request's method; TypeScript cannot follow that through the union.
        else resolve(reply.result as PanelResult<M>);
      },
    });
    vscodeApi.postMessage({ type: 'request', id, method, params } as Parameters<typeof vscodeApi.postMessage>[0]);
  });
}

export function receiveReply(reply: ReplyMessage): void {
  pending.get(reply.id)?.settle(reply);
}
