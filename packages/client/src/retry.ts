// When and how long to wait before trying a call again.
import { APIError, ConnectionError, RequestNotSentError, UserAbortError } from './errors.js';

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

/** True for failures that a repeat of an idempotent request may cure. */
export function isTransient(error: unknown): boolean {
  // A request the runtime refused to send would be refused again.
  if (error instanceof ConnectionError) return !(error instanceof RequestNotSentError);
  if (!(error instanceof APIError)) return false;
  return error.status === 408 || error.status === 429 || error.status >= 500;
}

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

/** Settings every retrying call needs. */
export interface RetrySettings {
  maxRetries: number;
  backoff: Backoff;
  signal: AbortSignal | undefined;
}

/** Runs `send` and repeats it after transient failures, up to `maxRetries` more times. */
export async function withRetries<T>(send: () => Promise<T>, settings: RetrySettings): Promise<T> {
  for (let retry = 0; ; retry += 1) {
    try {
      return await send();
    } catch (error) {
      if (retry >= settings.maxRetries || !isTransient(error)) throw error;
      const delay = retryDelayMs(retry, error, settings.backoff);
      if (delay === undefined) throw error;
      await sleep(delay, settings.signal);
    }
  }
}
