// Verification, top to bottom: the URL secret, the delivery headers, the signature over the raw
// bytes (before anything is parsed: a request that fails it never reaches the JSON parser, and
// nothing of it reaches a store), then the payload, the app binding and the schema check.

import { DELIVERY_HEADERS, readBoundedStream } from '@realtimekit-webhooks/rules';
import { WEBHOOK_EVENTS, type WebhookEvent } from '@realtimekit-webhooks/types';
import { bodyTooLarge } from './body-limit.js';
import { monotonicNow } from './clock.js';
import { bodyConsumed, bodyTimedOut } from './consumed-body.js';
import type { Delivery, UnknownPayload } from './delivery.js';
import { decodeBase64, toBytes } from './encoding.js';
import { WebhookVerificationError } from './errors.js';
import { type HeaderSource, readHeader } from './headers.js';
import { payloadIssues } from './payload-check.js';
import type { ReceiverSettings } from './settings.js';
import { type KeyStore, verifySignature } from './signing-key.js';

/** What `verifyRaw` and `handleRaw` may need besides body and headers. */
export interface RequestFacts {
  /** The URL the delivery was sent to (a path and query will do): checked for `urlSecret`. */
  url?: string | undefined;
}

const KNOWN_EVENTS: ReadonlySet<string> = new Set(WEBHOOK_EVENTS);
/** A real `rtk-uuid` is 36 characters; the bound keeps what the seen store holds small. */
const MAX_ID_LENGTH = 128;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

const refuse = (
  reason: 'missing-signature' | 'missing-header' | 'invalid-header' | 'bad-signature',
  message: string,
) => new WebhookVerificationError(reason, message);

/** The verified delivery, not yet checked against the store (`duplicate` false). */
export async function verifyDelivery(
  settings: ReceiverSettings,
  rawBody: unknown,
  headers: HeaderSource,
  request: RequestFacts | undefined,
): Promise<Delivery> {
  const arrivedAt = monotonicNow();
  settings.binding?.checkUrl(request?.url);

  const signatureText = readHeader(headers, DELIVERY_HEADERS.signature);
  const id = readHeader(headers, DELIVERY_HEADERS.uuid);
  const webhookId = readHeader(headers, DELIVERY_HEADERS.webhookId);
  if (signatureText === undefined)
    throw refuse('missing-signature', `no ${DELIVERY_HEADERS.signature} header`);
  if (id === undefined) throw refuse('missing-header', `no ${DELIVERY_HEADERS.uuid} header`);
  if (webhookId === undefined)
    throw refuse('missing-header', `no ${DELIVERY_HEADERS.webhookId} header`);
  if (id.length > MAX_ID_LENGTH) {
    throw refuse(
      'invalid-header',
      `${DELIVERY_HEADERS.uuid} is longer than ${MAX_ID_LENGTH} characters`,
    );
  }
  const signature = decodeBase64(signatureText);
  if (!signature) throw refuse('bad-signature', `${DELIVERY_HEADERS.signature} is not base64`);

  const bytes = toBytes(rawBody);
  if (bytes.byteLength > settings.maxBodyBytes) throw bodyTooLarge(settings.maxBodyBytes);
  await authenticate(settings.keys, signature, bytes, arrivedAt);

  const payload = parsePayload(bytes);
  settings.binding?.checkDelivery(webhookId, payload);
  const eventName = payload.event;
  const replayKey = replayKeyOf(signatureText);
  // Each answer is written out whole rather than spread from a shared base: the spread cost about
  // 4 µs a delivery in Node 20, more than the schema check.
  if (!KNOWN_EVENTS.has(eventName)) {
    return { id, webhookId, eventName, replayKey, duplicate: false, event: 'unknown', payload };
  }
  const event = eventName as WebhookEvent;
  const issues = payloadIssues(event, payload);
  if (issues.length > 0) {
    return {
      id,
      webhookId,
      eventName: event,
      replayKey,
      duplicate: false,
      event: 'mismatch',
      payload,
      issues,
    };
  }
  return { id, webhookId, eventName, replayKey, duplicate: false, event, payload } as Delivery;
}

/** Throws unless `signature` matches `bytes` under a key the key URL served (or the given one). */
async function authenticate(
  keys: KeyStore,
  signature: Uint8Array<ArrayBuffer>,
  bytes: Uint8Array<ArrayBuffer>,
  arrivedAt: number,
): Promise<void> {
  const held = await keys.keys();
  for (const { key } of held) if (await verifySignature(key, signature, bytes)) return;
  // The key may have been rotated since it was fetched: fetch again (at most once a minute), and
  // try whatever that added.
  let refetchFailure: unknown;
  const after = await keys.refreshAfterFailure().catch((error: unknown) => {
    refetchFailure = error;
    return [];
  });
  for (const { key } of after) {
    const tried = held.some((earlier) => earlier.key === key);
    if (!tried && (await verifySignature(key, signature, bytes))) return;
  }
  if (keys.isAuthoritative(arrivedAt)) {
    throw refuse('bad-signature', 'the signature does not match the body');
  }
  // A 401 would lose the delivery for good; a rotation since the last fetch cannot be ruled out.
  // The reason word says which: the key URL failed, or it is simply too soon to ask it again (a
  // forgery looks like this too, and its log line must not send anyone hunting a missing key).
  if (refetchFailure instanceof WebhookVerificationError) throw refetchFailure;
  throw new WebhookVerificationError(
    'signature-unconfirmed',
    'no held key matches, and the key URL may not be asked again yet (once a minute): a forgery, or a key rotated since; answer 503 so RealtimeKit retries',
  );
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

/** The body of a Fetch Request, at most `maxBodyBytes`, within `bodyTimeoutMs`. */
export async function readRequestBody(
  { maxBodyBytes, bodyTimeoutMs }: ReceiverSettings,
  request: Request,
): Promise<Uint8Array<ArrayBuffer>> {
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
}
