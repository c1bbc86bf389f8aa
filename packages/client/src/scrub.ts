// Removes the API token (and URL secrets) from everything an error carries. The client never puts it there itself,
// but a proxy or server that echoes the request (headers, a debug body, a 400 quoting the input)
// would, and errors get logged. Every error leaves the client through `scrubError`.
import { maskUrlSecret } from '@realtimekit-webhooks/rules';
import { RealtimeKitError } from './errors.js';

const REDACTED = '[redacted]';
// A token this long is replaced wherever it appears. A shorter one (a test's "t0k") only where it
// stands alone: replacing every "t0k" inside other words would garble messages, and a real
// Cloudflare token (40 characters) is never that short.
const ANYWHERE_FROM_LENGTH = 16;
const MAX_DEPTH = 8;

/** A function that replaces every spelling of the token in a string. */
export type Scrubber = (text: string) => string;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The scrubber for `token`: the token itself, percent-encoded, and base64 of it and of
 * `Bearer <token>`; and every URL secret (`rtk_secret`), in every spelling of a URL, since a 400
 * that quotes a webhook's URL quotes its secret.
 */
export function scrubberFor(token: string): Scrubber {
  const withoutToken = tokenScrubberFor(token);
  return (text) => maskUrlSecret(withoutToken(text));
}

function tokenScrubberFor(token: string): Scrubber {
  if (token === '') return (text) => text;
  const spellings = new Set([
    token,
    encodeURIComponent(token),
    base64(token),
    base64(token).replace(/=+$/, ''),
    base64(`Bearer ${token}`),
    base64(`Bearer ${token}`).replace(/=+$/, ''),
  ]);
  const alternatives = [...spellings]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');
  const pattern =
    token.length >= ANYWHERE_FROM_LENGTH
      ? new RegExp(alternatives, 'g')
      : new RegExp(`(?<![A-Za-z0-9_-])(?:${alternatives})(?![A-Za-z0-9_-])`, 'g');
  return (text) => (text.length < token.length ? text : text.replace(pattern, REDACTED));
}

/** `value` with the token scrubbed from every string in it, keys included; new objects, never mutated. */
export function scrubValue(value: unknown, scrub: Scrubber, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, scrub, depth + 1));
  if (value instanceof Headers) return scrubHeaders(value, scrub);
  if (typeof Request !== 'undefined' && value instanceof Request) {
    // A request holds the Authorization header: keep only what helps a reader.
    return { method: value.method, url: scrub(value.url) };
  }
  if (value instanceof Error) return scrubForeignError(value, scrub, depth);
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [scrub(key), scrubValue(item, scrub, depth + 1)]),
  );
}

/** A copy of `headers` without the token in any name or value. */
export function scrubHeaders(headers: Headers, scrub: Scrubber): Headers {
  const clean = new Headers();
  headers.forEach((value, name) => {
    try {
      clean.append(scrub(name), scrub(value));
    } catch {
      // A name the scrub made invalid ("[redacted]" has brackets): the header itself was the leak.
      clean.append('x-redacted-header', REDACTED);
    }
  });
  return clean;
}

function containsToken(value: unknown, scrub: Scrubber, depth = 0): boolean {
  if (typeof value === 'string') return scrub(value) !== value;
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return false;
  if (value instanceof Headers) {
    let found = false;
    value.forEach((v, k) => {
      found ||= scrub(v) !== v || scrub(k) !== k;
    });
    return found;
  }
  if (typeof Request !== 'undefined' && value instanceof Request) return true;
  const own: [string, unknown][] =
    value instanceof Error
      ? [
          ['message', value.message],
          ['stack', value.stack],
          ['cause', value.cause],
          ...Object.entries(value),
        ]
      : Object.entries(value);
  return own.some(([key, item]) => scrub(key) !== key || containsToken(item, scrub, depth + 1));
}

// An error from elsewhere (fetch, a proxy library) kept as it is when it holds no token, replaced
// by a plain copy (same name, message, code and fields, scrubbed) when it does.
function scrubForeignError(error: Error, scrub: Scrubber, depth: number): unknown {
  if (!containsToken(error, scrub, depth)) return error;
  const copy = new Error(scrub(error.message));
  Object.defineProperty(copy, 'name', { value: scrub(error.name), configurable: true });
  copy.stack = scrub(error.stack ?? '');
  for (const [key, item] of Object.entries(error)) {
    (copy as unknown as Record<string, unknown>)[scrub(key)] = scrubValue(item, scrub, depth + 1);
  }
  if (error.cause !== undefined) copy.cause = scrubValue(error.cause, scrub, depth + 1);
  return copy;
}

/**
 * `error` with the token scrubbed from its message, stack, cause chain and every own field (an
 * APIError's body and headers included). This client's own errors are fixed in place so their
 * class stays; anything else thrown is copied only when it holds the token.
 */
export function scrubError(error: unknown, scrub: Scrubber): unknown {
  if (!(error instanceof Error)) return scrubValue(error, scrub);
  if (!containsToken(error, scrub)) return error;
  if (!(error instanceof RealtimeKitError)) return scrubForeignError(error, scrub, 0);
  const fields = error as unknown as Record<string, unknown>;
  for (const key of Object.keys(error)) {
    Object.defineProperty(error, key, {
      value: scrubValue(fields[key], scrub),
      configurable: true,
      enumerable: true,
      writable: false,
    });
  }
  error.message = scrub(error.message);
  error.stack = scrub(error.stack ?? '');
  if (error.cause !== undefined) error.cause = scrubValue(error.cause, scrub);
  return error;
}
