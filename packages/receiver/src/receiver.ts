import { DELIVERY_HEADERS, WEBHOOK_EVENTS, type WebhookEvent } from '@realtimekit-webhooks/types';
import type { Delivery, UnknownPayload } from './delivery.js';
import { decodeBase64, toBytes } from './encoding.js';
import { WebhookVerificationError } from './errors.js';
import { memorySeenStore, type SeenStore } from './seen-store.js';
import { type KeySource, keyLoader, verifySignature } from './signing-key.js';

/** Options of `createWebhookReceiver`. */
export interface WebhookReceiverOptions extends KeySource {
  /** Where handled delivery ids are kept; `false` turns de-duplication off. Default: in memory. */
  seen?: SeenStore | false | undefined;
  /** Larger bodies are refused before any work. Default: 1 MiB. */
  maxBodyBytes?: number | undefined;
}

/** Headers as a Fetch `Headers` or as Node's `IncomingHttpHeaders`. */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/** Verifies and parses deliveries. */
export interface WebhookReceiver {
  /** Verifies a Fetch API Request (reads its body) and returns the typed delivery. */
  verify(request: Request): Promise<Delivery>;
  /** Verifies a raw body (prefer the exact bytes) with its headers and returns the typed delivery. */
  verifyRaw(rawBody: Uint8Array | ArrayBuffer | string, headers: HeaderSource): Promise<Delivery>;
  /** Forgets a delivery id, so that a retry of a delivery your handler failed on is processed. */
  forget(id: string): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const KNOWN_EVENTS: ReadonlySet<string> = new Set(WEBHOOK_EVENTS);

function header(headers: HeaderSource, name: string): string | undefined {
  const value =
    headers instanceof Headers ? headers.get(name) : (headers[name] ?? headers[name.toLowerCase()]);
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === null || first.trim() === '' ? undefined : first.trim();
}

function parsePayload(bytes: Uint8Array): UnknownPayload {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
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

/**
 * Creates a receiver. The signature is checked over the raw bytes before anything is parsed: a
 * request that fails it never reaches the JSON parser, and its id never reaches the seen store.
 */
export function createWebhookReceiver(options: WebhookReceiverOptions = {}): WebhookReceiver {
  const loadKey = keyLoader(options);
  const seen = options.seen === false ? undefined : (options.seen ?? memorySeenStore());
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  const verifyRaw: WebhookReceiver['verifyRaw'] = async (rawBody, headers) => {
    const signatureText = header(headers, DELIVERY_HEADERS.signature);
    if (signatureText === undefined) {
      throw new WebhookVerificationError(
        'missing-signature',
        `no ${DELIVERY_HEADERS.signature} header`,
      );
    }
    const id = header(headers, DELIVERY_HEADERS.uuid);
    const webhookId = header(headers, DELIVERY_HEADERS.webhookId);
    if (id === undefined || webhookId === undefined) {
      const missing = id === undefined ? DELIVERY_HEADERS.uuid : DELIVERY_HEADERS.webhookId;
      throw new WebhookVerificationError('missing-header', `no ${missing} header`);
    }
    const signature = decodeBase64(signatureText);
    if (!signature)
      throw new WebhookVerificationError(
        'bad-signature',
        `${DELIVERY_HEADERS.signature} is not base64`,
      );
    const bytes = toBytes(rawBody);
    if (bytes.byteLength > maxBodyBytes) {
      throw new WebhookVerificationError(
        'malformed-body',
        `the body is larger than ${maxBodyBytes} bytes`,
      );
    }
    const key = await loadKey();
    if (!(await verifySignature(key, signature, bytes))) {
      throw new WebhookVerificationError('bad-signature', 'the signature does not match the body');
    }
    const payload = parsePayload(bytes);
    const duplicate = seen ? await seen.markSeen(id) : false;
    const base = { id, webhookId, eventName: payload.event, duplicate };
    return (
      KNOWN_EVENTS.has(payload.event)
        ? { ...base, event: payload.event as WebhookEvent, payload }
        : { ...base, event: 'unknown', payload }
    ) as Delivery;
  };

  return {
    verifyRaw,
    async verify(request) {
      const declared = Number(request.headers.get('content-length'));
      if (declared > maxBodyBytes) {
        throw new WebhookVerificationError(
          'malformed-body',
          `the body is larger than ${maxBodyBytes} bytes`,
        );
      }
      return verifyRaw(new Uint8Array(await request.arrayBuffer()), request.headers);
    },
    async forget(id) {
      await seen?.forget(id);
    },
  };
}
