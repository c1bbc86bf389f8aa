import {
  ConnectionError,
  errorForStatus,
  RealtimeKitError,
  RequestNotSentError,
  TimeoutError,
  UnexpectedResponseError,
  UserAbortError,
} from './errors.js';
import type { FetchLike } from './guarded-fetch.js';

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

/**
 * One HTTP attempt, given the signal that aborts it and the fetch to send it with (passed to
 * openapi-fetch per call, so the client can tell whether the request got as far as being sent).
 */
export type Attempt = (signal: AbortSignal, fetch: FetchLike) => Promise<RawResult>;

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
// What fetch (undici) says when it refuses a request itself: a port browsers block.
const REFUSED_BY_RUNTIME = new Set(['bad port']);

/** The `code`s and messages of an error and of its causes. */
function causeMarks(error: unknown, depth = 0): string[] {
  if (depth > 4 || typeof error !== 'object' || error === null) return [];
  const { code, cause, errors, message } = error as Record<string, unknown>;
  const nested = Array.isArray(errors) ? errors.flatMap((e) => causeMarks(e, depth + 1)) : [];
  const own = [code, message].filter((mark): mark is string => typeof mark === 'string');
  return [...own, ...causeMarks(cause, depth + 1), ...nested];
}

function isJsonType(contentType: string | null): boolean {
  return contentType === null || /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType);
}

function describe(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause instanceof Error ? ` (${cause.cause.message})` : '';
  return `${cause.message}${inner}`;
}

/** The JSON of a success body; a body that is not JSON is an UnexpectedResponseError. */
function parseSuccess(response: Response, text: string | undefined): ParsedResponse {
  const { status } = response;
  if (text === undefined || text === '') return { status, body: undefined };
  const contentType = response.headers.get('content-type');
  if (isJsonType(contentType)) {
    try {
      return { status, body: JSON.parse(text) };
    } catch {
      // Reported below with the text.
    }
  }
  throw new UnexpectedResponseError(
    status,
    text,
    `a JSON body (it was ${contentType === null ? 'text that is not JSON' : contentType})`,
  );
}

/**
 * Runs one attempt with a timeout and the caller's signal, and turns every outcome into a parsed
 * body or one of this client's errors: network failures, aborts, error statuses and bodies that
 * are not JSON never escape raw.
 */
export async function sendOnce(
  attempt: Attempt,
  fetch: FetchLike,
  timeoutMs: number,
  signal: AbortSignal | undefined,
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

  let handedOver = false;
  const tracked: FetchLike = (request) => {
    handedOver = true;
    return fetch(request);
  };
  let result: RawResult;
  try {
    result = await attempt(controller.signal, tracked);
  } catch (cause) {
    if (signal?.aborted)
      throw new UserAbortError('The request was aborted by the caller', { cause });
    if (cause instanceof RealtimeKitError) throw cause;
    const marks = causeMarks(cause);
    // Building the request failed (a header value, a URL the runtime rejects): nothing left.
    if (!handedOver || marks.some((mark) => REFUSED_BY_RUNTIME.has(mark))) {
      throw new RequestNotSentError(`The request could not be sent: ${describe(cause)}`, { cause });
    }
    if (timedOut) {
      throw new TimeoutError(`No complete response within ${timeoutMs} ms`, { cause, sent: true });
    }
    const sent = !marks.some((mark) => NOT_SENT_CODES.has(mark));
    throw new ConnectionError(`The request failed before a response arrived: ${describe(cause)}`, {
      cause,
      sent,
    });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forwardAbort);
  }

  const { response } = result;
  if (!response.ok) {
    const body = result.error === '' ? undefined : result.error;
    throw errorForStatus(response.status, body, response.headers, retryAfterMs(response.headers));
  }
  return parseSuccess(response, result.data);
}
