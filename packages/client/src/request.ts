// The client's request path, whole, top to bottom: build the request, send it (timeout, the
// caller's signal, no redirects), read the answer within the size cap, classify it, and repeat
// it when that is safe. Every operation goes through `request`; the duplicate-safe create adds
// its own rule on top (safe-create.ts) and calls `sendOnce` directly.

import { readBoundedStream, safely } from '@realtimekit-webhooks/rules';
import type { FetchLike } from '@realtimekit-webhooks/types';
import { type Backoff, retryDelayMs, sleep } from './backoff.js';
import { causeText } from './cause-text.js';
import type { RealtimeKitClientOptions } from './config.js';
import {
  APIError,
  ConnectionError,
  errorForStatus,
  RealtimeKitError,
  RequestNotSentError,
  ResponseTooLargeError,
  TimeoutError,
  UnexpectedResponseError,
  UserAbortError,
} from './errors.js';
import { errorTypeOf, type OperationWatch, watchOperation } from './observe.js';

/**
 * What every request needs, resolved and checked once when a client is created. It holds no
 * token: logging it (or an error that holds it) cannot leak one.
 */
export interface Connection {
  /** The base URL (HTTPS or loopback, no query), without a trailing slash. */
  readonly baseUrl: string;
  /** The account every call uses unless it names another. */
  readonly accountId: string;
  /** The app every call uses unless it names another. */
  readonly appId: string;
  /** What requests are sent with (the given fetch, or the global one). */
  readonly fetch: FetchLike;
  /** Time limit of each attempt, in milliseconds. */
  readonly timeoutMs: number;
  /** How many times a failed call may be repeated. */
  readonly maxRetries: number;
  /** How retries wait. */
  readonly backoff: Backoff;
  /** The most bytes read from one response. */
  readonly maxResponseBytes: number;
  /** Removes every spelling of the token from a text (used only when an error is built). */
  readonly scrub: (text: string) => string;
  /** The hooks told of each attempt, and the telemetry given (see observe.ts). */
  readonly observability: Pick<RealtimeKitClientOptions, 'onRequest' | 'onResponse' | 'telemetry'>;
}

/** The per-call settings every method takes. */
export interface CallSettings {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
}

/**
 * One request: the API operation it is (for hooks and telemetry), method, the path below the base
 * URL (ids already encoded) and the JSON text.
 */
export interface Outgoing {
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  json?: string | undefined;
}

/** A success answer: its status and its body parsed as JSON (undefined when empty). */
export interface ParsedResponse {
  status: number;
  body: unknown;
}

const decoder = new TextDecoder();

// Each connection's `Bearer <token>`, kept beside it rather than on it (see `Connection`).
const authorizations = new WeakMap<Connection, string>();

/** `connection`, with the token its requests are sent with. */
export function authorize<C extends Connection>(connection: C, token: string): C {
  authorizations.set(connection, `Bearer ${token}`);
  return connection;
}

/** The Authorization header of `connection`'s requests. */
export function authorizationOf(connection: Connection): string {
  const authorization = authorizations.get(connection);
  if (authorization === undefined) throw new TypeError('Not a connection made by this client');
  return authorization;
}

/**
 * Sends `outgoing` and repeats it after failures a repeat may cure (see `isTransient`), up to
 * `maxRetries` more times. Only for requests that may be repeated without changing the outcome.
 */
export function request(
  connection: Connection,
  outgoing: Outgoing,
  settings: CallSettings | undefined,
): Promise<ParsedResponse> {
  return watched(connection, outgoing.operation, (watch) =>
    retrying(connection, outgoing, settings, watch),
  );
}

/**
 * Runs `work` as operation `name`: under its span, when telemetry is on, ended with the error
 * class it failed with. Without telemetry, only `work`.
 */
export async function watched<T>(
  connection: Connection,
  name: string,
  work: (watch: OperationWatch | undefined) => Promise<T>,
): Promise<T> {
  const watch = watchOperation(connection.observability, name);
  if (!watch) return work(undefined);
  try {
    const result = await watch.run(() => work(watch));
    watch.end(undefined);
    return result;
  } catch (error) {
    watch.end(errorTypeOf(error));
    throw error;
  }
}

async function retrying(
  connection: Connection,
  outgoing: Outgoing,
  settings: CallSettings | undefined,
  watch: OperationWatch | undefined,
): Promise<ParsedResponse> {
  const maxRetries = settings?.maxRetries ?? connection.maxRetries;
  for (let retry = 0; ; retry += 1) {
    try {
      return await sendOnce(connection, outgoing, settings, retry, watch);
    } catch (error) {
      if (retry >= maxRetries || !isTransient(error)) throw error;
      const delay = retryDelayMs(retry, error, connection.backoff);
      if (delay === undefined) throw error;
      await sleep(delay, settings?.signal);
    }
  }
}

/** True for failures that a repeat of an idempotent request may cure. */
export function isTransient(error: unknown): boolean {
  // A request the runtime refused to send would be refused again.
  if (error instanceof ConnectionError) return !(error instanceof RequestNotSentError);
  if (!(error instanceof APIError)) return false;
  return error.status === 408 || error.status === 429 || error.status >= 500;
}

/**
 * One attempt (the `attempt`-th retry), told to the hooks and the telemetry when there are any.
 * Resolves to the parsed success body; rejects with one of this client's errors: network
 * failures, aborts, error statuses and bodies that are not JSON never escape raw.
 */
export async function sendOnce(
  connection: Connection,
  outgoing: Outgoing,
  settings: CallSettings | undefined,
  attempt = 0,
  watch?: OperationWatch | undefined,
): Promise<ParsedResponse> {
  const { onRequest, onResponse } = connection.observability;
  if (!onRequest && !onResponse && !watch) return attemptOnce(connection, outgoing, settings);
  const info = {
    operation: outgoing.operation,
    method: outgoing.method,
    url: connection.baseUrl + outgoing.path,
    attempt,
  };
  if (onRequest) safely(() => onRequest(info));
  const attemptWatch = watch?.attempt(info);
  const began = Date.now();
  const ended = (status: number | undefined, errorType: string | undefined) => {
    const result = { ...info, status, errorType, durationMs: Date.now() - began };
    attemptWatch?.end(result);
    if (onResponse) safely(() => onResponse(result));
  };
  try {
    const parsed = await attemptOnce(connection, outgoing, settings);
    ended(parsed.status, undefined);
    return parsed;
  } catch (error) {
    ended((error as { status?: number }).status, errorTypeOf(error));
    throw error;
  }
}

async function attemptOnce(
  connection: Connection,
  { method, path, json }: Outgoing,
  settings: CallSettings | undefined,
): Promise<ParsedResponse> {
  const signal = settings?.signal;
  const timeoutMs = settings?.timeoutMs ?? connection.timeoutMs;
  if (signal?.aborted) throw new UserAbortError('The request was aborted by the caller');

  // 1. Build. The base URL was checked when the client was created and the ids are encoded, so
  //    the request cannot leave for another origin; a header or URL the runtime rejects is
  //    reported as not sent.
  const authorization = authorizationOf(connection);
  const controller = new AbortController();
  let outgoing: Request;
  try {
    outgoing = new Request(connection.baseUrl + path, {
      method,
      headers:
        json === undefined
          ? { authorization }
          : { authorization, 'content-type': 'application/json' },
      body: json ?? null,
      // A followed redirect re-sends the request elsewhere, perhaps over plain HTTP or after the
      // API already acted: a redirect is answered to the caller as an error instead.
      redirect: 'manual',
      signal: controller.signal,
    });
  } catch (cause) {
    throw new RequestNotSentError(`The request could not be sent: ${causeText(cause)}`, { cause });
  }

  // 2. Send and read, within the time limit and the caller's signal.
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const forwardAbort = signal && (() => controller.abort());
  if (forwardAbort) signal.addEventListener('abort', forwardAbort, { once: true });
  let response: Response;
  let text: string;
  try {
    response = await connection.fetch(outgoing);
    text = await readText(response, connection.maxResponseBytes);
  } catch (cause) {
    if (signal?.aborted)
      throw new UserAbortError('The request was aborted by the caller', { cause });
    if (cause instanceof RealtimeKitError) throw cause;
    if (timedOut) {
      throw new TimeoutError(`No complete response within ${timeoutMs} ms`, { cause, sent: true });
    }
    const marks = causeMarks(cause);
    if (marks.some((mark) => REFUSED_BY_RUNTIME.has(mark))) {
      throw new RequestNotSentError(`The request could not be sent: ${causeText(cause)}`, {
        cause,
      });
    }
    throw new ConnectionError(`The request failed before a response arrived: ${causeText(cause)}`, {
      cause,
      sent: !marks.some((mark) => NOT_SENT_CODES.has(mark)),
    });
  } finally {
    clearTimeout(timer);
    if (forwardAbort) signal.removeEventListener('abort', forwardAbort);
  }

  // 3. Classify: an error status (a redirect included) is its error class; a success must be JSON.
  const { status, headers } = response;
  if (!response.ok) {
    throw errorForStatus(status, errorBody(text), headers, retryAfterMs(headers));
  }
  if (text === '') return { status, body: undefined };
  const contentType = headers.get('content-type');
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
 * The body's bytes, at most `maxBytes` of them: a declared length over the cap fails at once, and
 * reading stops as soon as the cap is crossed (a gzip bomb declares only its compressed size).
 * The raw client's guard reads answers through here too.
 */
export async function readCappedBytes(
  response: Response,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const tooLarge = () => new ResponseTooLargeError(response.status, maxBytes);
  if (Number(response.headers.get('content-length')) > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  return readBoundedStream(response.body, maxBytes, tooLarge);
}

/** The body as text, at most `maxBytes` of it (see `readCappedBytes`). */
async function readText(response: Response, maxBytes: number): Promise<string> {
  return decoder.decode(await readCappedBytes(response, maxBytes));
}

/** An error answer's body: parsed JSON, else the text, undefined when empty. */
function errorBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

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
