// Requests from the sidebar to the host: each carries an id and settles on exactly one reply, or fails after a
// timeout so a lost reply never leaves a button disabled for good.
import type { SidebarMethod, SidebarParams, SidebarReplyMessage, SidebarRequestMessage, SidebarResult } from '../../shared/sidebarProtocol';

export const REPLY_TIMEOUT_MS = 30_000;

interface Pending {
  method: SidebarMethod;
  settle(reply: SidebarReplyMessage): void;
}

export interface SidebarRpc {
  request<M extends SidebarMethod>(method: M, params: SidebarParams<M>): Promise<SidebarResult<M>>;
  receive(reply: SidebarReplyMessage): void;
}

export function createRpc(post: (message: SidebarRequestMessage) => void, timeoutMs = REPLY_TIMEOUT_MS): SidebarRpc {
  const pending = new Map<number, Pending>();
  let nextId = 1;

  function request<M extends SidebarMethod>(method: M, params: SidebarParams<M>): Promise<SidebarResult<M>> {
    const id = nextId++;
    return new Promise<SidebarResult<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`Patchpilot did not answer (${method}) within ${timeoutMs / 1000} s. Try again, or reload the window.`));
      }, timeoutMs);
      pending.set(id, {
        method,
        settle: (reply) => {
          clearTimeout(timer);
          pending.delete(id);
          if (!reply.ok) reject(new Error(reply.error));
          else if (reply.method !== method) reject(new Error(`reply for ${reply.method} answered a ${method} request`));
          // The method check above ties the result to M; TypeScript cannot follow that through the union.
          else resolve(reply.result as SidebarResult<M>);
        },
      });
      // Same reason: the mapped union cannot be narrowed by a generic M.
      post({ type: 'request', id, method, params } as SidebarRequestMessage);
    });
  }

  return {
    request,
    // A reply to an unknown id (timed out, or from an earlier page) is dropped.
    receive: (reply) => pending.get(reply.id)?.settle(reply),
  };
}
