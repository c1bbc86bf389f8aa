// The receiver: its settings resolved once, then the verify and handle paths wired to them.
// Verification is verify.ts, handling handle.ts, the store protocol claims.ts.
import { markSeen, seenKeys } from './claims.js';
import type { Delivery } from './delivery.js';
import { WebhookVerificationError } from './errors.js';
import {
  answer,
  type DeliveryHandler,
  type DeliveryHandlers,
  failureAnswer,
  type HandleResult,
  handleVerified,
} from './handle.js';
import type { HeaderSource } from './headers.js';
import type { SeenStore, TransactionalSeenStore } from './seen-store.js';
import { resolveSettings, type WebhookReceiverOptions } from './settings.js';
import { type RequestFacts, readRequestBody, verifyDelivery } from './verify.js';

export type { HeaderSource, RequestFacts, WebhookReceiverOptions };

/**
 * Verifies and parses deliveries, and runs your handler on each one exactly once it succeeds.
 * `Tx` is the transaction an inbox store gives handlers (undefined with other stores).
 */
export interface WebhookReceiver<Tx = undefined> {
  /**
   * Verifies a Fetch API Request, claims the delivery, runs `handler` on it, and answers: 200 once
   * the handler resolved (the delivery is then marked done) or when it was done already; 500 when
   * the handler threw (the claim is released, RealtimeKit retries); 503 with Retry-After while
   * another replica's handler holds it, when the handler ran past `handlerTimeoutMs`, when an
   * inbox found the claim lost before it could commit, or when the store failed; the error's status
   * when it does not verify. See "Processing guarantees" in the README.
   */
  handle(request: Request, handler: DeliveryHandler<Tx> | DeliveryHandlers<Tx>): Promise<Response>;
  /** `handle` for a raw body (prefer the exact bytes) and its headers; the answer as data. */
  handleRaw(
    rawBody: Uint8Array | ArrayBuffer | string,
    headers: HeaderSource,
    handler: DeliveryHandler<Tx> | DeliveryHandlers<Tx>,
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

/**
 * Creates a receiver; throws TypeError at once, naming the option, for a bad one. The signature
 * is checked over the raw bytes before anything is parsed: a request that fails it never reaches
 * the JSON parser, and nothing of it reaches the seen store.
 */
export function createWebhookReceiver<Tx = undefined>(
  options: WebhookReceiverOptions & {
    seen?: TransactionalSeenStore<Tx> | SeenStore | false | undefined;
  } = {},
): WebhookReceiver<Tx> {
  const settings = resolveSettings(options);
  const { seen } = settings;

  const verifyRaw: WebhookReceiver<Tx>['verifyRaw'] = async (rawBody, headers, request) => {
    const delivery = await verifyDelivery(settings, rawBody, headers, request);
    if (seen) delivery.duplicate = await markSeen(seen, seenKeys(delivery), settings.seenTtlMs);
    return delivery;
  };

  const handleRaw: WebhookReceiver<Tx>['handleRaw'] = async (
    rawBody,
    headers,
    handler,
    request,
  ) => {
    let delivery: Delivery;
    try {
      delivery = await verifyDelivery(settings, rawBody, headers, request);
    } catch (error) {
      if (error instanceof WebhookVerificationError) return answer(error.status, error.reason);
      throw error;
    }
    return handleVerified(settings, delivery, handler);
  };

  return {
    verifyRaw,
    handleRaw,
    maxBodyBytes: settings.maxBodyBytes,
    bodyTimeoutMs: settings.bodyTimeoutMs,
    async verify(request) {
      return verifyRaw(await readRequestBody(settings, request), request.headers, {
        url: request.url,
      });
    },
    async handle(request, handler) {
      let result: HandleResult;
      try {
        const body = await readRequestBody(settings, request);
        result = await handleRaw(body, request.headers, handler, { url: request.url });
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
