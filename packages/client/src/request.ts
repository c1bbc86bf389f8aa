import {
  ConnectionError,
  errorForStatus,
  RealtimeKitError,
  TimeoutError,
  UserAbortError,
} from './errors.js';
import { redact, redactHeaders } from './redact.js';

/** What openapi-fetch returns for a call made with `parseAs: 'text'`. */
export interface RawResult {
  data?: string | undefined;
  error?: unknown;
  response: Response;
}

/** A success response: its status and its body parsed as JSON (the text when it is not JSON). */
export interface ParsedResponse {
  status: number;
  body: unknown;
}

/** One HTTP attempt, given the signal that aborts it. */
export type Attempt = (signal: AbortSignal) => Promise<RawResult>;

/** Seconds or an HTTP date in `retry-after`, or `retry-after-ms`, as milliseconds. */
export function retryAfterMs(headers: Headers): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms)))
    return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

// Error codes (Node, Bun, Deno) that mean the connection was never made, so nothing was sent.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ConnectionRefused']);

function causeCodes(error: unknown, depth = 0): string[] {
  if (depth > 4 || typeof error !== 'object' || error === null) return [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  const nested = Array.isArray(errors) ? errors.flatMap((e) => causeCodes(e, depth + 1)) : [];
  return [...(typeof code === 'string' ? [code] : []), ...causeCodes(cause, depth + 1), ...nested];
}

function describe(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause instanceof Error ? ` (${cause.cause.message})` : '';
  return `${cause.message}${inner}`;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // Kept as text: the caller's shape check reports it with the status.
    return text;
  }
}

/**
 * Runs one attempt with a timeout and the caller's signal, and turns every outcome into a parsed
 * body or one of this client's errors: network failures, aborts, error statuses and bodies that
 * are not JSON never escape raw.
 */
export async function sendOnce(
  attempt: Attempt,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  secret: string,
): Promise<ParsedResponse> {
  if (signal?.aborted) throw new UserAbortError('The request was aborted by the caller');
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const forwardAbort = () => controller.abort();
  signal?.addEventListener('abort', forwardAbort, { once: true });

  let result: RawResult;
  try {
    result = await attempt(controller.signal);
  } catch (cause) {
    if (signal?.aborted)
      throw new UserAbortError('The request was aborted by the caller', { cause });
    if (timedOut) {
      throw new TimeoutError(`No complete response within ${timeoutMs} ms`, { cause, sent: true });
    }
    if (cause instanceof RealtimeKitError) throw cause;
    const sent = !causeCodes(cause).some((code) => NOT_SENT_CODES.has(code));
    const detail = redact(describe(cause), secret);
    throw new ConnectionError(`The request failed before a response arrived: ${detail}`, {
      cause,
      sent,
    });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forwardAbort);
  }

  const { response } = result;
  if (!response.ok) {
    const body = result.error === '' ? undefined : redact(result.error, secret);
    const headers = redactHeaders(response.headers, secret);
    throw errorForStatus(response.status, body, headers, retryAfterMs(headers));
  }
  return { status: response.status, body: parseJson(result.data) };
}
