import {
  DELIVERY_HEADERS,
  readBoundedStream,
  WEBHOOK_EVENTS,
  type WebhookEvent,
} from '@realtimekit-webhooks/types';
import { type AppBindingOptions, appBinding } from './app-binding.js';
import { bodyTooLarge, DEFAULT_MAX_BODY_BYTES } from './body-limit.js';
import { bodyConsumed, bodyTimedOut } from './consumed-body.js';
import type { Delivery, UnknownPayload } from './delivery.js';
import { decodeBase64, toBytes } from './encoding.js';
import { WebhookVerificationError } from './errors.js';
import {
  answer,
  type DeliveryHandler,
  type DeliveryHandlers,
  failureAnswer,
  type HandleResult,
  handleVerified,
  seenKeys,
  settle,
  storeUnavailable,
} from './handle.js';
import { type HeaderSource, readHeader } from './headers.js';
import { payloadIssues } from './payload-check.js';
import {
  DEFAULT_LEASE_MS,
  DEFAULT_SEEN_TTL_MS,
  memorySeenStore,
  type SeenStore,
} from './seen-store.js';
import { type KeySource, keyStore, monotonicNow, verifySignature } from './signing-key.js';

/** Options of `createWebhookReceiver`. */
export interface WebhookReceiverOptions extends KeySource, AppBindingOptions {
  /**
   * Where handled deliveries are kept; `false` turns de-duplication off. Default: in memory, for
   * one process. Replicas share one store: `redisSeenStore` or `durableObjectSeenStore`.
   */
  seen?: SeenStore | false | undefined;
  /** How long a handled delivery is remembered, in milliseconds. Default: 24 hours. */
  seenTtlMs?: number | undefined;
  /**
   * How long `handle`'s claim on a delivery lasts without renewal, in milliseconds. It is renewed
   * while the handler runs; a replica that dies leaves a claim that frees itself within this.
   * Default: 30 seconds.
   */
  leaseMs?: number | undefined;
  /**
   * Called when a `handle` handler throws (the delivery is then answered 500, so RealtimeKit
   * retries). Default: one line on `console.error` with the delivery's id, event and the error's
   * message, never the payload.
   */
  onError?: ((error: unknown, delivery: Delivery) => void) | undefined;
  /** Larger bodies are refused (413) as soon as reading crosses this. Default: 1 MiB. */
  maxBodyBytes?: number | undefined;
  /**
   * A body still arriving after this many milliseconds is refused with 503 (`body-timeout`), so
   * a sender that stalls cannot hold a request open. Default: 10 seconds.
   */
  bodyTimeoutMs?: number | undefined;
}

/** Verifies and parses deliveries, and runs your handler on each one exactly once it succeeds. */
export interface WebhookReceiver {
  /**
   * Verifies a Fetch API Request, claims the delivery, runs `handler` on it, and answers: 200 once
   * the handler resolved (the delivery is then marked done) or when it was done already; 500 when
   * the handler threw (the claim is released, RealtimeKit retries); 503 with Retry-After while
   * another replica's handler holds it, or when the store failed; the error's status when it does
   * not verify. See "Processing guarantees" in the README.
   */
  handle(request: Request, handler: DeliveryHandler | DeliveryHandlers): Promise<Response>;
  /** `handle` for a raw body (prefer the exact bytes) and its headers; the answer as data. */
  handleRaw(
    rawBody: Uint8Array | ArrayBuffer | string,
    headers: HeaderSource,
    handler: DeliveryHandler | DeliveryHandlers,
    request?: RequestFacts,
  ): Promise<HandleResult>;
  /** Verifies a Fetch API Request (reads its body, at most `maxBodyBytes`) and returns the delivery. */
  verify(request: Request): Promise<Delivery>;
  /**
   * Verifies a raw body (prefer the exact bytes) with its headers and returns the delivery. A
   * body that is not bytes or text (a framework parsed it) fails at once with `body-consumed`.
   */
  verifyRaw(
    rawBody: Uint8Array | ArrayBuffer | string,
    headers: HeaderSource,
    request?: RequestFacts,
  ): Promise<Delivery>;
  /**
   * For `verify` users: forgets a delivery, so that a retry of one your handler failed on is
   * processed. (`handle` does this itself, and only over its own claim.)
   */
  forget(delivery: Pick<Delivery, 'id' | 'replayKey'>): Promise<void>;
  /** The body limit every entry point (this one, the Node adapter) enforces. */
  readonly maxBodyBytes: number;
  /** How long every entry point waits for a body to arrive. */
  readonly bodyTimeoutMs: number;
}

export type { HeaderSource };

/** What `verifyRaw` and `handleRaw` may need besides body and headers. */
export interface RequestFacts {
  /** The URL the delivery was sent to (a path and query will do): checked for `urlSecret`. */
  url?: string | undefined;
}

const KNOWN_EVENTS: ReadonlySet<string> = new Set(WEBHOOK_EVENTS);
/** How long a body may take to arrive by default. */
const DEFAULT_BODY_TIMEOUT_MS = 10_000;
/** A real `rtk-uuid` is 36 characters; the bound keeps what the seen store holds small. */
const MAX_ID_LENGTH = 128;

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

/** `value`, or `fallback` when unset; anything but a positive whole number names `option`. */
function positiveWhole(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(
      `${option} must be a positive whole number of ${option.endsWith('Ms') ? 'milliseconds' : 'bytes'}, 1 or more`,
    );
  }
  return value;
}

/**
 * Creates a receiver. The signature is checked over the raw bytes before anything is parsed: a
 * request that fails it never reaches the JSON parser, and nothing of it reaches the seen store.
 */
export function createWebhookReceiver(options: WebhookReceiverOptions = {}): WebhookReceiver {
  const seenTtlMs = positiveWhole('seenTtlMs', options.seenTtlMs, DEFAULT_SEEN_TTL_MS);
  // Keys are kept as long as deliveries are remembered: RealtimeKit's retries of a delivery
  // signed before a rotation keep coming for that long.
  const keys = keyStore(options, seenTtlMs);
  const binding = appBinding(options);
  const seen = options.seen === false ? undefined : (options.seen ?? memorySeenStore());
  const leaseMs = positiveWhole('leaseMs', options.leaseMs, DEFAULT_LEASE_MS);
  const maxBodyBytes = positiveWhole('maxBodyBytes', options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES);
  const bodyTimeoutMs = positiveWhole(
    'bodyTimeoutMs',
    options.bodyTimeoutMs,
    DEFAULT_BODY_TIMEOUT_MS,
  );
  const handling = { seen, leaseMs, seenTtlMs, onError: options.onError ?? logHandlerError };

  /** Throws unless `signature` matches `bytes` under a key the key URL served (or the given one). */
  async function authenticate(
    signature: Uint8Array<ArrayBuffer>,
    bytes: Uint8Array<ArrayBuffer>,
    arrivedAt: number,
  ): Promise<void> {
    const held = await keys.keys();
    for (const { key } of held) if (await verifySignature(key, signature, bytes)) return;
    // The key may have been rotated since it was fetched: fetch again (at most once a minute),
    // and try whatever that added.
    const after = await keys.refreshAfterFailure().catch(() => []);
    for (const { key } of after) {
      if (
        !held.some((tried) => tried.key === key) &&
        (await verifySignature(key, signature, bytes))
      )
        return;
    }
    if (keys.isAuthoritative(arrivedAt)) {
      throw new WebhookVerificationError('bad-signature', 'the signature does not match the body');
    }
    // A 401 would lose the delivery for good; a rotation since the last fetch cannot be ruled out.
    throw new WebhookVerificationError(
      'key-unavailable',
      'the signature matches no key fetched since this delivery arrived, and none can be fetched yet; answer 503 so RealtimeKit retries once the key can be refreshed',
    );
  }

  /** The verified delivery, not yet checked against the store (`duplicate` false). */
  const open = async (
    rawBody: unknown,
    headers: HeaderSource,
    request: RequestFacts | undefined,
  ): Promise<Delivery> => {
    const arrivedAt = monotonicNow();
    binding?.checkUrl(request?.url);
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
    binding?.checkDelivery(webhookId, payload);
    const replayKey = replayKeyOf(signatureText);
    const base = { id, webhookId, eventName: payload.event, replayKey, duplicate: false };
    if (!KNOWN_EVENTS.has(payload.event)) return { ...base, event: 'unknown', payload };
    const event = payload.event as WebhookEvent;
    const issues = payloadIssues(event, payload);
    if (issues.length > 0) return { ...base, event: 'mismatch', eventName: event, payload, issues };
    return { ...base, event, payload } as Delivery;
  };

  const verifyRaw: WebhookReceiver['verifyRaw'] = async (rawBody, headers, request) => {
    const delivery = await open(rawBody, headers, request);
    if (seen) delivery.duplicate = await markSeen(seen, seenKeys(delivery), seenTtlMs);
    return delivery;
  };

  /** The body of a Fetch Request, at most `maxBodyBytes`, within `bodyTimeoutMs`. */
  const readBody = async (request: Request): Promise<Uint8Array<ArrayBuffer>> => {
    if (request.bodyUsed || request.body?.locked) {
      throw bodyConsumed(
        "the Request's body was already read (or is being read) by something before the receiver",
      );
    }
    // The declared length is a shortcut only: a chunked body declares none.
    const declared = Number(request.headers.get('content-length'));
    if (declared > maxBodyBytes) {
      await request.body?.cancel().catch(() => undefined);
      throw bodyTooLarge(maxBodyBytes);
    }
    return readBoundedStream(request.body, maxBodyBytes, () => bodyTooLarge(maxBodyBytes), {
      ms: bodyTimeoutMs,
      onTimeout: () => bodyTimedOut(bodyTimeoutMs),
    });
  };

  const handleRaw: WebhookReceiver['handleRaw'] = async (rawBody, headers, handler, request) => {
    let delivery: Delivery;
    try {
      delivery = await open(rawBody, headers, request);
    } catch (error) {
      if (error instanceof WebhookVerificationError) return answer(error.status, error.reason);
      throw error;
    }
    return handleVerified(handling, delivery, handler);
  };

  return {
    verifyRaw,
    handleRaw,
    maxBodyBytes,
    bodyTimeoutMs,
    async verify(request) {
      return verifyRaw(await readBody(request), request.headers, { url: request.url });
    },
    async handle(request, handler) {
      let result: HandleResult;
      try {
        result = await handleRaw(await readBody(request), request.headers, handler, {
          url: request.url,
        });
      } catch (error) {
        result = failureAnswer(error);
      }
      return new Response(result.body, { status: result.status, headers: result.headers });
    },
    async forget(delivery) {
      await seen?.release(seenKeys(delivery));
    },
  };
}

/** The default `onError`: what failed and where, without the payload (it may hold personal data). */
function logHandlerError(error: unknown, delivery: Delivery): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(
    `rtk-webhooks: the handler of delivery ${delivery.id} (${delivery.eventName}) failed, answered 500 so RealtimeKit retries: ${message}`,
  );
}

/**
 * Marks the delivery as seen unless it is known (`complete` with a fresh token, one atomic step
 * over both keys, so two replicas racing on one delivery cannot each win one key and both drop
 * it). True when it was known: a duplicate. A store failure is a 503; what this call may still
 * have marked is taken back (by its token, so nobody else's mark), so the retry is not taken for a
 * duplicate of a delivery nobody handled.
 */
async function markSeen(seen: SeenStore, keys: readonly string[], ttlMs: number): Promise<boolean> {
  const token = crypto.randomUUID();
  try {
    return (await seen.complete(keys, token, ttlMs)) !== 'completed';
  } catch (error) {
    void settle(() => seen.release(keys, token));
    throw storeUnavailable(error);
  }
}
