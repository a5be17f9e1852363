// Retry timing for model calls: exponential backoff with jitter, the server's retry-after, and a sleep that cancels.
import { cancelledError, ModelError } from './errors';

export interface BackoffPolicy {
  /** First backoff step before jitter. */
  baseDelayMs: number;
  /** No computed backoff is longer than this. */
  maxDelayMs: number;
  /** A server asking to wait longer than this is not waited for: the call fails with its rate-limit error instead. */
  maxRetryAfterMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseDelayMs: 500, maxDelayMs: 20_000, maxRetryAfterMs: 60_000 };

/**
 * The wait before the next attempt, or null when the server's requested wait is beyond the policy.
 * `failedAttempt` is 1-based. Jitter keeps 50–100% of the step so concurrent clients spread out.
 */
export function retryDelayMs(error: ModelError, failedAttempt: number, policy: BackoffPolicy, random: () => number = Math.random): number | null {
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= policy.maxRetryAfterMs ? error.retryAfterMs : null;
  }
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  return Math.round(step * (0.5 + random() * 0.5));
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Resolves after `ms`, or rejects with a cancelled ModelError (name 'AbortError') as soon as the signal aborts. */
export const abortableSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelledError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Rejects with a cancelled error the moment the signal aborts, even if the wrapped promise never settles. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(cancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
