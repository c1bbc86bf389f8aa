// Test deliveries: a body as RealtimeKit would send it (a new event each time unless a payload or a
// replay is given), signed by a test signer and POSTed with the three rtk-* headers. Web APIs only.

import { readBoundedStream } from '@realtimekit-webhooks/rules';
import type { WebhookEvent, WebhookPayloadFor } from '@realtimekit-webhooks/types';
import {
  checkPayload,
  DeliveryInputError,
  examplePayload,
  knownEvent,
  type PayloadOverride,
} from './payloads.js';
import type { DeliveryHeaders, TestSigner } from './signer.js';
import { toWireJson } from './wire-json.js';

/** What to put in a delivery's body. */
export interface DeliveryBodyOptions<E extends WebhookEvent = WebhookEvent> {
  /** The payload to send as it is (checked against the event's schema first). */
  payload?: unknown;
  /** Without `payload`: fields to change in the spec's example (which gets fresh ids). */
  override?: PayloadOverride<WebhookPayloadFor<E>> | undefined;
}

/** Options of one delivery. */
export interface DeliverOptions<E extends WebhookEvent = WebhookEvent>
  extends DeliveryBodyOptions<E> {
  /** Where the receiver listens, e.g. `http://127.0.0.1:3000/rtk`. */
  to: string;
  /** The delivery id (`rtk-uuid`). Default: a new UUID. */
  id?: string | undefined;
  /** The webhook it is for (`rtk-webhook-id`). Default: the signer's. */
  webhookId?: string | undefined;
  /** Send exactly what an earlier delivery sent (same body, signature and `rtk-uuid`): a retry. */
  replay?: DeliveryResult | undefined;
  /** How long to wait for the whole answer. Default: 30 seconds. */
  timeoutMs?: number | undefined;
}

/** What the receiver answered, and what was sent. */
export interface DeliveryResult {
  status: number;
  /** The answer's body as text (at most 64 KiB of it). */
  body: string;
  /** The `rtk-uuid` the delivery was sent with. */
  id: string;
  /** The body and headers sent: pass the result as `replay` to send them again. */
  sent: { body: string; headers: DeliveryHeaders };
}

/** Most of an answer a test needs to see; the rest is not read. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * The body of a delivery of `event`, written as a server in another language writes JSON (never
 * `JSON.stringify`'s form): `payload` when given, else the spec's example as a new event.
 */
export function deliveryBody<E extends WebhookEvent>(
  event: E,
  options: DeliveryBodyOptions<E> = {},
): string {
  knownEvent(event);
  if (options.payload === undefined) return toWireJson(examplePayload(event, options.override));
  checkPayload(event, options.payload);
  return toWireJson(options.payload);
}

function target(to: unknown): URL {
  let url: URL | undefined;
  try {
    url = new URL(String(to));
  } catch {
    // named below
  }
  if (typeof to !== 'string' || !url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new DeliveryInputError(`"to" must be an absolute http(s) URL, not ${JSON.stringify(to)}`);
  }
  return url;
}

/** Signs and POSTs one delivery of `event` to `options.to`; resolves with the answer. */
export async function deliver<E extends WebhookEvent>(
  signer: TestSigner,
  event: E,
  options: DeliverOptions<E>,
): Promise<DeliveryResult> {
  const url = target(options.to);
  let sent = options.replay?.sent;
  if (!sent) {
    const body = deliveryBody(event, options);
    sent = {
      body,
      headers: await signer.sign(body, { id: options.id, webhookId: options.webhookId }),
    };
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: sent.headers,
      body: sent.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    // "fetch failed" says nothing a test author can act on: name the URL and the reason.
    const cause = (error as { cause?: { code?: unknown } }).cause;
    const reason = typeof cause?.code === 'string' ? cause.code : (error as Error).message;
    throw new Error(`could not reach ${url.href}: ${reason}`, { cause: error });
  }
  // Read up to the cap, then stop: a receiver that answers without end cannot fill memory.
  const answer = await readBoundedStream(response.body, MAX_ANSWER_BYTES, () => new Error('cut'))
    .then((bytes) => new TextDecoder().decode(bytes))
    .catch(() => '(answer longer than 64 KiB, not read)');
  return { status: response.status, body: answer, id: sent.headers['rtk-uuid'], sent };
}
