// The public key deliveries are verified with: given, or fetched once from RealtimeKit and cached.
// A failed fetch is not cached, so the next delivery tries again.
import { WEBHOOK_SIGNING_KEY_URL } from '@realtimekit-webhooks/types';
import { pemToDer } from './encoding.js';
import { WebhookVerificationError } from './errors.js';

const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const FETCH_TIMEOUT_MS = 10_000;

/** Where the key comes from. */
export interface KeySource {
  /** An SPKI PEM string or an imported CryptoKey. When set, nothing is fetched. */
  publicKey?: string | CryptoKey | undefined;
  /** Where to fetch the key. Default: the URL the spec documents. HTTPS unless loopback. */
  keyUrl?: string | undefined;
  /** The `fetch` to get the key with. Default: `globalThis.fetch`. */
  fetch?: ((input: Request) => Promise<Response>) | undefined;
}

function unavailable(message: string, cause?: unknown): WebhookVerificationError {
  return new WebhookVerificationError('key-unavailable', message, { cause });
}

async function importPem(pem: string): Promise<CryptoKey> {
  const der = pemToDer(pem);
  if (!der) throw unavailable('the public key is not an SPKI PEM (-----BEGIN PUBLIC KEY-----)');
  try {
    return await crypto.subtle.importKey('spki', der, ALGORITHM, false, ['verify']);
  } catch (cause) {
    throw unavailable('the public key could not be imported as an RSA key', cause);
  }
}

function isLoopback(url: URL): boolean {
  return (
    url.hostname === 'localhost' ||
    url.hostname === '[::1]' ||
    /^127(\.\d{1,3}){3}$/.test(url.hostname)
  );
}

async function fetchPem(
  keyUrl: string,
  fetcher: (input: Request) => Promise<Response>,
): Promise<string> {
  let response: Response;
  try {
    response = await fetcher(
      new Request(keyUrl, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      }),
    );
  } catch (cause) {
    throw unavailable(`fetching ${keyUrl} failed`, cause);
  }
  if (!response.ok) throw unavailable(`${keyUrl} answered ${response.status}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch (cause) {
    throw unavailable(`${keyUrl} did not answer JSON`, cause);
  }
  const publicKey = (body as { data?: { publicKey?: unknown } } | null)?.data?.publicKey;
  if (typeof publicKey !== 'string') throw unavailable(`${keyUrl} answered without data.publicKey`);
  return publicKey;
}

/** A function that resolves to the verification key, loading it at most once at a time. */
export function keyLoader(source: KeySource): () => Promise<CryptoKey> {
  const { publicKey } = source;
  if (publicKey !== undefined && typeof publicKey !== 'string') return async () => publicKey;
  if (typeof publicKey === 'string' && !pemToDer(publicKey)) {
    throw new TypeError(
      'publicKey must be an SPKI PEM string (-----BEGIN PUBLIC KEY-----) or a CryptoKey',
    );
  }
  const keyUrl = source.keyUrl ?? WEBHOOK_SIGNING_KEY_URL;
  const url = new URL(keyUrl);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
    throw new TypeError('keyUrl must use https:// (plain http:// only on loopback)');
  }
  const fetcher = source.fetch ?? ((input: Request) => fetch(input));
  let pending: Promise<CryptoKey> | undefined;
  return () => {
    pending ??= (
      typeof publicKey === 'string'
        ? importPem(publicKey)
        : fetchPem(keyUrl, fetcher).then(importPem)
    ).catch((error: unknown) => {
      pending = undefined; // never cache a failure
      throw error;
    });
    return pending;
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
