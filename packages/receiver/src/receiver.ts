import { DELIVERY_HEADERS, WEBHOOK_EVENTS, type WebhookEvent } from '@realtimekit-webhooks/types';
import { bodyTooLarge, DEFAULT_MAX_BODY_BYTES, readBoundedStream } from './body-limit.js';
import type { Delivery, UnknownPayload } from './delivery.js';
import { decodeBase64, toBytes } from './encoding.js';
import { WebhookVerificationError } from './errors.js';
import { type HeaderSource, readHeader } from './headers.js';
import { payloadIssues } from './payload-check.js';
import { DEFAULT_SEEN_TTL_MS, memorySeenStore, type SeenStore } from './seen-store.js';
import { type KeySource, keyStore, verifySignature } from './signing-key.js';

/** Options of `createWebhookReceiver`. */
export interface WebhookReceiverOptions extends KeySource {
  /**
   * Where handled deliveries are kept; `false` turns de-duplication off. Default: in memory, for
   * one process. Replicas share one store: `redisSeenStore` or `durableObjectSeenStore`.
   */
  seen?: SeenStore | false | undefined;
  /** How long a handled delivery is remembered, in milliseconds. Default: 24 hours. */
  seenTtlMs?: number | undefined;
  /** Larger bodies are refused (413) as soon as reading crosses this. Default: 1 MiB. */
  maxBodyBytes?: number | undefined;
}

/** Verifies and parses deliveries. */
export interface WebhookReceiver {
  /** Verifies a Fetch API Request (reads its body, at most `maxBodyBytes`) and returns the delivery. */
  verify(request: Request): Promise<Delivery>;
  /** Verifies a raw body (prefer the exact bytes) with its headers and returns the delivery. */
  verifyRaw(rawBody: Uint8Array | ArrayBuffer | string, headers: HeaderSource): Promise<Delivery>;
  /** Forgets a delivery, so that a retry of one your handler failed on is processed. */
  forget(delivery: Pick<Delivery, 'id' | 'replayKey'>): Promise<void>;
  /** The body limit every entry point (this one, the Node adapter) enforces. */
  readonly maxBodyBytes: number;
}

export type { HeaderSource };

const KNOWN_EVENTS: ReadonlySet<string> = new Set(WEBHOOK_EVENTS);
/** A real `rtk-uuid` is 36 characters; the bound keeps what the seen store holds small. */
const MAX_ID_LENGTH = 128;

/** The seen-store keys of a delivery: its id, and what identifies the signed body. */
function seenKeys(delivery: Pick<Delivery, 'id' | 'replayKey'>): [string, string] {
  return [`rtk-uuid:${delivery.id}`, `signed-body:${delivery.replayKey}`];
}

/**
 * What identifies the signed body: RSASSA-PKCS1-v1_5 is deterministic, so every copy of a body
 * signed with one key carries the same signature, and nobody without the private key can make a
 * second valid signature for it. Its first 64 base64 characters (384 bits) are collision-free in
 * practice and free to take, where hashing the body would be a second crypto job per delivery.
 * `decodeBase64` accepted only strict base64, in which every full 4-character group has exactly
 * one spelling (only the padded last group has slack bits), so another spelling of the same bytes
 * cannot pass for a new delivery.
 */
function replayKeyOf(strictBase64: string): string {
  return strictBase64.slice(0, 64);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function parsePayload(bytes: Uint8Array): UnknownPayload {
  let value: unknown;
  try {
    value = JSON.parse(UTF8.decode(bytes));
  } catch (cause) {
    throw new WebhookVerificationError('malformed-body', 'the body is not UTF-8 JSON', { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WebhookVerificationError('malformed-body', 'the body is not a JSON object');
  }
  if (typeof (value as { event?: unknown }).event !== 'string') {
    throw new WebhookVerificationError('malformed-body', 'the body has no "event" name');
  }
  return value as UnknownPayload;
}

function checkMaxBodyBytes(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError('maxBodyBytes must be a positive whole number of bytes');
  }
  return value;
}

/**
 * Creates a receiver. The signature is checked over the raw bytes before anything is parsed: a
 * request that fails it never reaches the JSON parser, and nothing of it reaches the seen store.
 */
export function createWebhookReceiver(options: WebhookReceiverOptions = {}): WebhookReceiver {
  const keys = keyStore(options);
  const seen = options.seen === false ? undefined : (options.seen ?? memorySeenStore());
  const seenTtlMs = options.seenTtlMs ?? DEFAULT_SEEN_TTL_MS;
  if (!(Number.isInteger(seenTtlMs) && seenTtlMs > 0)) {
    throw new TypeError('seenTtlMs must be a whole number of milliseconds, 1 or more');
  }
  const maxBodyBytes = checkMaxBodyBytes(options.maxBodyBytes);

  /** Throws unless `signature` matches `bytes` under the current key (or a rotated one). */
  async function authenticate(
    signature: Uint8Array<ArrayBuffer>,
    bytes: Uint8Array<ArrayBuffer>,
    arrivedAt: number,
  ): Promise<void> {
    let held = await keys.current();
    if (await verifySignature(held.key, signature, bytes)) return;
    const previous = keys.previous();
    if (previous && (await verifySignature(previous.key, signature, bytes))) return;
    // The key may have been rotated since it was fetched: try a fresher one once.
    const fresher = await keys.refreshAfterFailure(held);
    if (fresher !== held) {
      held = fresher;
      if (await verifySignature(held.key, signature, bytes)) return;
    }
    if (keys.isAuthoritative(held, arrivedAt)) {
      throw new WebhookVerificationError('bad-signature', 'the signature does not match the body');
    }
    // A 401 would lose the delivery for good; a rotation in the last minute cannot be ruled out.
    throw new WebhookVerificationError(
      'key-unavailable',
      'the signature does not match the key fetched before this delivery arrived, and the key was fetched less than a minute ago; answer 503 so RealtimeKit retries once the key can be refreshed',
    );
  }

  const verifyRaw: WebhookReceiver['verifyRaw'] = async (rawBody, headers) => {
    const arrivedAt = Date.now();
    const signatureText = readHeader(headers, DELIVERY_HEADERS.signature);
    if (signatureText === undefined) {
      throw new WebhookVerificationError(
        'missing-signature',
        `no ${DELIVERY_HEADERS.signature} header`,
      );
    }
    const id = readHeader(headers, DELIVERY_HEADERS.uuid);
    const webhookId = readHeader(headers, DELIVERY_HEADERS.webhookId);
    if (id === undefined || webhookId === undefined) {
      const missing = id === undefined ? DELIVERY_HEADERS.uuid : DELIVERY_HEADERS.webhookId;
      throw new WebhookVerificationError('missing-header', `no ${missing} header`);
    }
    if (id.length > MAX_ID_LENGTH) {
      throw new WebhookVerificationError(
        'invalid-header',
        `${DELIVERY_HEADERS.uuid} is longer than ${MAX_ID_LENGTH} characters`,
      );
    }
    const signature = decodeBase64(signatureText);
    if (!signature) {
      throw new WebhookVerificationError(
        'bad-signature',
        `${DELIVERY_HEADERS.signature} is not base64`,
      );
    }
    const bytes = toBytes(rawBody);
    if (bytes.byteLength > maxBodyBytes) throw bodyTooLarge(maxBodyBytes);
    await authenticate(signature, bytes, arrivedAt);

    const payload = parsePayload(bytes);
    const replayKey = replayKeyOf(signatureText);
    const duplicate = seen ? await markSeen(seen, { id, replayKey }, seenTtlMs) : false;
    const base = { id, webhookId, eventName: payload.event, replayKey, duplicate };
    if (!KNOWN_EVENTS.has(payload.event)) return { ...base, event: 'unknown', payload };
    const event = payload.event as WebhookEvent;
    const issues = payloadIssues(event, payload);
    if (issues.length > 0) return { ...base, event: 'mismatch', eventName: event, payload, issues };
    return { ...base, event, payload } as Delivery;
  };

  return {
    verifyRaw,
    maxBodyBytes,
    async verify(request) {
      // The declared length is a shortcut only: a chunked body declares none.
      const declared = Number(request.headers.get('content-length'));
      if (declared > maxBodyBytes) {
        await request.body?.cancel().catch(() => undefined);
        throw bodyTooLarge(maxBodyBytes);
      }
      const bytes = await readBoundedStream(request.body, maxBodyBytes, () =>
        bodyTooLarge(maxBodyBytes),
      );
      return verifyRaw(bytes, request.headers);
    },
    async forget(delivery) {
      if (!seen) return;
      await Promise.all(seenKeys(delivery).map((key) => seen.forget(key)));
    },
  };
}

function storeUnavailable(cause: unknown): WebhookVerificationError {
  return new WebhookVerificationError(
    'store-unavailable',
    'the seen store failed, so the delivery cannot be checked for duplicates; answer 503 so RealtimeKit retries',
    { cause },
  );
}

/** `seen.markSeen`, with a synchronous throw turned into a rejection. */
function mark(seen: SeenStore, key: string, ttlMs: number): boolean | Promise<boolean> {
  try {
    return seen.markSeen(key, ttlMs);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Marks the delivery's keys one after the other: its id, then (only when the id was new) its
 * signed body. A delivery is new only when both were. The order is what makes the decision
 * single across replicas: marking both at once let two replicas that got the same delivery each
 * win one key, each take it for a duplicate, and handle it nowhere. Now whoever wins the id also
 * decides on the body; a replay under a fresh id still meets the body key.
 * A store failure is a 503; an id this call marked is forgotten again (best effort), so the retry
 * is not taken for a duplicate of a delivery nobody handled.
 */
async function markSeen(
  seen: SeenStore,
  delivery: Pick<Delivery, 'id' | 'replayKey'>,
  ttlMs: number,
): Promise<boolean> {
  const [idKey, bodyKey] = seenKeys(delivery);
  const idSeen = mark(seen, idKey, ttlMs);
  // An in-memory store answers at once: no promise machinery on the hot path.
  if (typeof idSeen === 'boolean') {
    if (idSeen) return true;
    const bodySeen = mark(seen, bodyKey, ttlMs);
    if (typeof bodySeen === 'boolean') return bodySeen;
    return settleBody(seen, idKey, bodySeen);
  }
  let idWasSeen: boolean;
  try {
    idWasSeen = await idSeen;
  } catch (error) {
    throw storeUnavailable(error);
  }
  if (idWasSeen) return true;
  return settleBody(seen, idKey, mark(seen, bodyKey, ttlMs));
}

/** The body key's answer; on failure, the id key this call marked is taken back. */
async function settleBody(
  seen: SeenStore,
  idKey: string,
  bodySeen: boolean | Promise<boolean>,
): Promise<boolean> {
  try {
    return await bodySeen;
  } catch (error) {
    await Promise.resolve()
      .then(() => seen.forget(idKey))
      .catch(() => undefined);
    throw storeUnavailable(error);
  }
}
