// The public key deliveries are verified with: given, or fetched from RealtimeKit and kept for a
// bounded time, so a rotated key is picked up without a restart. A failed fetch is never kept.

import {
  httpsOrLoopbackProblem,
  isRedirectStatus,
  readBoundedStream,
  WEBHOOK_SIGNING_KEY_URL,
} from '@realtimekit-webhooks/rules';
import type { FetchLike } from '@realtimekit-webhooks/types';
import { monotonicNow } from './clock.js';
import { WebhookVerificationError } from './errors.js';
import { parsePem } from './pem.js';
import type { WebhookReceiverOptions } from './settings.js';

const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
/** How long fetching the key (answer and body) may take by default. */
export const FETCH_TIMEOUT_MS = 10_000;
/** The key answer is a few hundred bytes; anything near this is not a key. */
const MAX_KEY_RESPONSE_BYTES = 64 * 1024;
/** How long a fetched key is kept when the answer says nothing (Cache-Control max-age). */
const DEFAULT_KEY_TTL_MS = 60 * 60 * 1000;
/** Bounds on a server-given max-age: never refetch more often than this, nor keep longer. */
const MIN_KEY_TTL_MS = 60 * 1000;
const MAX_KEY_TTL_MS = 24 * 60 * 60 * 1000;
/** At most one refetch a minute after failed signatures, so forgeries cannot hammer the key URL. */
const REFETCH_INTERVAL_MS = 60 * 1000;

/** Where the key comes from: the receiver's key options. */
export type KeySource = Pick<
  WebhookReceiverOptions,
  'publicKey' | 'keyUrl' | 'fetch' | 'keyFetchTimeoutMs'
>;

/** A key in hand. */
export interface HeldKey {
  readonly key: CryptoKey;
}

/**
 * The keys deliveries are verified with. Every key the key URL has served is kept for at least
 * `keepKeysMs` (the receiver's `seenTtlMs`: as long as RealtimeKit may retry a delivery signed
 * with it), whatever the answer's Cache-Control says; a refetch only ever adds a key. Time is
 * measured on a monotonic clock, so a stepped system clock neither expires nor revives a key.
 */
export interface KeyStore {
  /** The keys to verify with now, newest first: fetched first when none is fresh, as allowed. */
  keys(): readonly HeldKey[] | Promise<readonly HeldKey[]>;
  /**
   * After every key failed a signature: the keys after a refetch (at most one a minute, shared by
   * concurrent callers), or the keys as they are when no refetch is allowed yet (rejecting with
   * the last fetch's failure when that fetch failed).
   */
  refreshAfterFailure(): Promise<readonly HeldKey[]>;
  /** True when a fetch that started after `arrivedAt` (monotonic ms) succeeded. */
  isAuthoritative(arrivedAt: number): boolean;
}

/** At most this many keys are kept (a rotation adds one; more means the URL misbehaves). */
const MAX_KEYS = 16;

function unavailable(message: string, cause?: unknown): WebhookVerificationError {
  return new WebhookVerificationError('key-unavailable', message, { cause });
}

/** Imports SPKI DER bytes (from `parsePem`) as the RSA key deliveries are verified with. */
async function importDer(der: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey('spki', der, ALGORITHM, false, ['verify']);
  } catch (cause) {
    throw unavailable('the public key could not be imported as an RSA key', cause);
  }
}

/** How long to keep a key, from the answer's Cache-Control (max-age), within sane bounds. */
export function keyLifetimeMs(cacheControl: string | null): number {
  if (cacheControl === null) return DEFAULT_KEY_TTL_MS;
  if (/(?:^|,)\s*(?:no-store|no-cache)\s*(?:,|$)/i.test(cacheControl)) return MIN_KEY_TTL_MS;
  const maxAge = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl)?.[1];
  if (maxAge === undefined) return DEFAULT_KEY_TTL_MS;
  return Math.min(MAX_KEY_TTL_MS, Math.max(MIN_KEY_TTL_MS, Number(maxAge) * 1000));
}

/**
 * Fetches the key within `timeoutMs`, whatever the server does (never answers, trickles a byte a
 * second). The deadline is this function's own timer racing the whole fetch and read, holding its
 * AbortController: a signal only the Request refers to (`AbortSignal.timeout` in a Request's
 * init) can be garbage-collected with its timer, and then nothing ends the wait.
 */
async function fetchKey(
  keyUrl: string,
  fetcher: FetchLike,
  timeoutMs: number,
): Promise<FetchedKey> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = unavailable(`${keyUrl} did not answer the key within ${timeoutMs} ms`);
      reject(error);
      controller.abort(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([fetchKeyWith(keyUrl, fetcher, controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** What one fetch of the key URL gave: the key, its SPKI text (its identity) and its lifetime. */
interface FetchedKey {
  key: CryptoKey;
  spki: string;
  lifetimeMs: number;
}

async function fetchKeyWith(
  keyUrl: string,
  fetcher: FetchLike,
  signal: AbortSignal,
): Promise<FetchedKey> {
  let response: Response;
  let text: string;
  try {
    response = await fetcher(
      new Request(keyUrl, {
        headers: { accept: 'application/json' },
        signal,
        // A followed redirect could hand over the key to verify with to any host, over plain
        // HTTP too: whoever answers there could then sign deliveries. The key URL must answer itself.
        redirect: 'manual',
      }),
    );
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get('location');
      throw unavailable(
        isRedirectStatus(response.status)
          ? `${keyUrl} answered a redirect${location ? ` to ${location}` : ''}, which is not followed: set keyUrl to where the key really is`
          : `${keyUrl} answered ${response.status}`,
      );
    }
    const bytes = await readBoundedStream(response.body, MAX_KEY_RESPONSE_BYTES, () =>
      unavailable(`${keyUrl} answered more than ${MAX_KEY_RESPONSE_BYTES} bytes`),
    );
    text = new TextDecoder().decode(bytes);
  } catch (cause) {
    if (cause instanceof WebhookVerificationError) throw cause;
    throw unavailable(`fetching ${keyUrl} failed`, cause);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    throw unavailable(`${keyUrl} did not answer JSON`, cause);
  }
  const publicKey = (body as { data?: { publicKey?: unknown } } | null)?.data?.publicKey;
  if (typeof publicKey !== 'string') throw unavailable(`${keyUrl} answered without data.publicKey`);
  const parsed = parsePem(publicKey);
  if ('problem' in parsed) {
    throw unavailable(
      `${keyUrl} answered a data.publicKey that is not an SPKI PEM: it ${parsed.problem}`,
    );
  }
  const key = await importDer(parsed.der);
  // The DER bytes are the key's identity: the same key served with other line breaks is one key.
  const spki = String.fromCharCode(...parsed.der);
  return { key, spki, lifetimeMs: keyLifetimeMs(response.headers.get('cache-control')) };
}

function givenKeyStore(key: Promise<CryptoKey>): KeyStore {
  const held = key.then((k): readonly HeldKey[] => [{ key: k }]);
  return {
    keys: () => held,
    refreshAfterFailure: async () => [],
    isAuthoritative: () => true,
  };
}

/** Why `keyUrl` cannot be fetched from (the shared HTTPS-or-loopback rule), or undefined. */
function keyUrlProblem(keyUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(keyUrl);
  } catch {
    return `must be an absolute URL such as ${WEBHOOK_SIGNING_KEY_URL}`;
  }
  return httpsOrLoopbackProblem(url);
}

/** The key store for `source`; throws TypeError at once for a bad `publicKey` or `keyUrl`. */
export function keyStore(
  source: KeySource,
  { keepKeysMs, fetchTimeoutMs }: { keepKeysMs: number; fetchTimeoutMs: number },
): KeyStore {
  const { publicKey } = source;
  if (publicKey !== undefined && typeof publicKey !== 'string') {
    return givenKeyStore(Promise.resolve(publicKey));
  }
  if (typeof publicKey === 'string') {
    const parsed = parsePem(publicKey);
    if ('problem' in parsed) {
      throw new TypeError(
        `publicKey must be an SPKI PEM string (-----BEGIN PUBLIC KEY-----) or a CryptoKey; the string given ${parsed.problem}`,
      );
    }
    const imported = importDer(parsed.der);
    imported.catch(() => undefined); // reported on first use, not as an unhandled rejection
    return givenKeyStore(imported);
  }
  const keyUrl = source.keyUrl ?? WEBHOOK_SIGNING_KEY_URL;
  const problem = keyUrlProblem(keyUrl);
  if (problem) throw new TypeError(`keyUrl ${problem}`);
  const fetcher: FetchLike = source.fetch ?? ((input) => fetch(input));

  // Newest first; each with when it was last served (monotonic ms).
  const known: { key: CryptoKey; spki: string; servedAt: number }[] = [];
  let freshUntil = Number.NEGATIVE_INFINITY;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  let lastSuccessStartedAt = Number.NEGATIVE_INFINITY;
  let lastFailure: WebhookVerificationError | undefined;
  let pending: Promise<void> | undefined;

  const live = (): readonly HeldKey[] => {
    const now = monotonicNow();
    return known.filter((entry) => now - entry.servedAt < keepKeysMs);
  };

  // One fetch at a time, shared by every caller. A served key is added, or its known copy marked
  // as served again; nothing is ever dropped by a fetch.
  const load = (): Promise<void> => {
    if (pending) return pending;
    const startedAt = monotonicNow();
    lastAttemptAt = startedAt;
    pending = fetchKey(keyUrl, fetcher, fetchTimeoutMs).then(
      ({ key, spki, lifetimeMs }) => {
        const now = monotonicNow();
        const index = known.findIndex((entry) => entry.spki === spki);
        const [entry] = index === -1 ? [{ key, spki, servedAt: now }] : known.splice(index, 1);
        if (entry) {
          entry.servedAt = now;
          known.unshift(entry);
        }
        known.length = Math.min(known.length, MAX_KEYS);
        freshUntil = now + lifetimeMs;
        lastSuccessStartedAt = startedAt;
        lastFailure = undefined;
        pending = undefined;
      },
      (error: unknown) => {
        lastFailure =
          error instanceof WebhookVerificationError
            ? error
            : unavailable('fetching the key failed', error);
        pending = undefined;
        throw lastFailure;
      },
    );
    return pending;
  };

  // A failing key URL is asked at most once a minute, however many deliveries arrive meanwhile.
  const mayFetch = () =>
    lastFailure === undefined || monotonicNow() - lastAttemptAt >= REFETCH_INTERVAL_MS;

  return {
    keys() {
      const held = live();
      if (held.length > 0 && monotonicNow() < freshUntil) return held;
      if (!pending && !mayFetch()) {
        if (held.length > 0) return held;
        // The earlier failure's words without its reason word: one `key-unavailable:` a message.
        const earlier = lastFailure?.message.replace(/^key-unavailable: /, '');
        throw unavailable(`the key URL failed under a minute ago: ${earlier}`);
      }
      // Kept keys still verify while a fresh copy cannot be had: RealtimeKit's retries of what
      // they signed must not wait on the key URL.
      return load().then(
        () => live(),
        (error: unknown) => {
          if (held.length > 0) return held;
          throw error;
        },
      );
    },
    async refreshAfterFailure() {
      // Within a minute of the last fetch, no new one: but a key another delivery's refetch just
      // added is among the live ones.
      // If that last fetch failed, its failure is the answer (the key URL, not the signature,
      // is what to look at).
      if (!pending && monotonicNow() - lastAttemptAt < REFETCH_INTERVAL_MS) {
        if (lastFailure) throw lastFailure;
        return live();
      }
      await load();
      return live();
    },
    isAuthoritative(arrivedAt) {
      return lastSuccessStartedAt >= arrivedAt;
    },
  };
}

/** True when `signature` is the RSASSA-PKCS1-v1_5 SHA-256 signature of `body` under `key`. */
export function verifySignature(
  key: CryptoKey,
  signature: Uint8Array<ArrayBuffer>,
  body: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  return crypto.subtle.verify(ALGORITHM, key, signature, body);
}
