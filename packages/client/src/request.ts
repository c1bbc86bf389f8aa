import { ConnectionError, errorForStatus, RealtimeKitError, UserAbortError } from './errors.js';

/** What openapi-fetch returns for a call made with `parseAs: 'text'`. */
export interface RawResult {
  data?: string | undefined;
  error?: unknown;
  response: Response;
}

/** A success response: its status and its body parsed as JSON (undefined when empty). */
export interface ParsedResponse {
  status: number;
  body: unknown;
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

/**
 * Runs one openapi-fetch call and turns every outcome into a parsed body or one of this client's
 * errors: network failures, aborts, error statuses and bodies that are not JSON never escape raw.
 */
export async function send(
  call: () => Promise<RawResult>,
  signal: AbortSignal | undefined,
): Promise<ParsedResponse> {
  let result: RawResult;
  try {
    result = await call();
  } catch (cause) {
    if (signal?.aborted)
      throw new UserAbortError('The request was aborted by the caller', { cause });
    if (cause instanceof RealtimeKitError) throw cause;
    throw new ConnectionError(`The request failed before a response arrived: ${describe(cause)}`, {
      cause,
    });
  }
  const { response } = result;
  if (!response.ok) {
    throw errorForStatus(
      response.status,
      result.error,
      response.headers,
      retryAfterMs(response.headers),
    );
  }
  return { status: response.status, body: parseJson(result.data) };
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
