// How long to wait before trying a call again, and the wait itself. Whether to try again is
// decided on the request path (request.ts) and by the duplicate-safe create (safe-create.ts).
import { APIError, UserAbortError } from './errors.js';

/** How retries wait: exponential backoff from `initialMs`, doubled each time, at most `maxMs`. */
export interface Backoff {
  /** The first wait, in milliseconds. Default: 500. */
  initialMs?: number | undefined;
  /** The longest wait the backoff grows to, in milliseconds. Default: 8000. */
  maxMs?: number | undefined;
}

export const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_INITIAL_MS = 500;
const DEFAULT_MAX_MS = 8_000;
/** The longest `retry-after` the client waits for; a longer one is thrown to the caller. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * The wait before retry number `retry` (0-based) after `error`, or undefined when the API asked
 * for a longer wait than MAX_RETRY_AFTER_MS (better surfaced than slept through).
 */
export function retryDelayMs(
  retry: number,
  error: unknown,
  backoff: Backoff = {},
): number | undefined {
  // `retry-after` is honoured wherever the API sends it: 429, and 503 as RFC 9110 describes.
  const asked = error instanceof APIError ? error.retryAfterMs : undefined;
  if (asked !== undefined) return asked <= MAX_RETRY_AFTER_MS ? asked : undefined;
  const initial = backoff.initialMs ?? DEFAULT_INITIAL_MS;
  const max = backoff.maxMs ?? DEFAULT_MAX_MS;
  const exponential = Math.min(initial * 2 ** retry, max);
  // Jitter of up to a quarter, so replicas that failed together do not retry together.
  return exponential * (1 - Math.random() * 0.25);
}

/** Resolves after `ms`, or rejects with UserAbortError as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new UserAbortError('The request was aborted by the caller'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new UserAbortError('The request was aborted by the caller while waiting to retry'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
