// The receiver: its settings resolved once, then the verify and handle paths wired to them.
// Verification is verify.ts, handling handle.ts, the store protocol claims.ts.
import { markSeen, seenKeys } from './claims.js';
import type { Delivery } from './delivery.js';
import { WebhookVerificationError } from './errors.js';
import {
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

/** Each receiver's watched handling, for the adapters that read the body themselves (node.ts). */
const watchedHandlers = new WeakMap<object, WatchedHandler>();
type WatchedHandler = (
  read: () => unknown,
  headers: HeaderSource,
  handler: never,
  request: RequestFacts | undefined,
) => Promise<HandleResult>;

/**
 * `receiver.handleRaw` on the body `read` gives, where reading it is part of the delivery (a body
 * consumed elsewhere, too large or too slow is answered, counted and logged like any outcome).
 */
export function handleReading<Tx>(
  receiver: WebhookReceiver<Tx>,
  read: () => unknown,
  headers: HeaderSource,
  handler: DeliveryHandler<Tx> | DeliveryHandlers<Tx>,
  request: RequestFacts | undefined,
): Promise<HandleResult> {
  const watched = watchedHandlers.get(receiver);
  if (watched) return watched(read, headers, handler as never, request);
  return (async () =>
    receiver.handleRaw((await read()) as Uint8Array, headers, handler, request))();
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

  /** Verifies the body `read` gives and handles it, watched from the first byte to the answer. */
  const handleWatched = async (
    read: () => unknown,
    headers: HeaderSource,
    handler: DeliveryHandler<Tx> | DeliveryHandlers<Tx>,
    request: RequestFacts | undefined,
  ): Promise<HandleResult> => {
    const observation = settings.observer.start();
    let result: HandleResult;
    try {
      const delivery = await verifyDelivery(settings, await read(), headers, request);
      observation.verified(delivery);
      result = await handleVerified(settings, delivery, handler, observation);
    } catch (error) {
      if (error instanceof WebhookVerificationError) observation.explain(error.message);
      result = failureAnswer(error, settings.observer.logger);
    }
    observation.answered(result);
    return result;
  };

  const handleRaw: WebhookReceiver<Tx>['handleRaw'] = (rawBody, headers, handler, request) =>
    handleWatched(() => rawBody, headers, handler, request);

  const receiver: WebhookReceiver<Tx> = {
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
      const read = () => readRequestBody(settings, request);
      const result = await handleWatched(read, request.headers, handler, { url: request.url });
      return new Response(result.body, { status: result.status, headers: result.headers });
    },
    async forget(delivery) {
      await seen?.release(seenKeys(delivery));
    },
  };
  watchedHandlers.set(receiver, handleWatched as WatchedHandler);
  return receiver;
}
