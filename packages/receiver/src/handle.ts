// What `handle` does with a verified delivery: claim it, run the handler while holding the claim,
// and mark it done only once the handler resolved. The order is the guarantee: a delivery is
// never marked done before your code succeeded, so a crash, a kill or a failed handler leaves it
// to RealtimeKit's retry instead of losing it. With an inbox on your own database the handler's
// writes and "done" commit in one transaction, so they also never happen twice.

import { safely } from '@realtimekit-webhooks/rules';
import { claim, holdClaim, seenKeys, settle, storeUnavailable } from './claims.js';
import type { Delivery } from './delivery.js';
import { WebhookVerificationError } from './errors.js';
import type { Observation } from './observe.js';
import { type CompleteResult, isTransactional } from './seen-store.js';
import type { ReceiverSettings } from './settings.js';

/** What `handle` adds to each delivery it gives a handler. */
export interface HandlingFacts {
  /**
   * Aborts when this handler should stop writing: its claim was lost (another replica took the
   * delivery over, or the claim could not be renewed for a whole lease) or `handlerTimeoutMs`
   * passed. Pass it to `fetch` and database calls.
   */
  readonly signal: AbortSignal;
  /**
   * The claim's token, unique to this attempt: a fencing token for writes outside the receiver's
   * store (write it with your effect and refuse a write whose token is not the latest). Undefined
   * with `seen: false`.
   */
  readonly fencingToken: string | undefined;
}

/** A delivery as `handle` gives it to a handler. */
export type HandledDelivery<D extends Delivery = Delivery> = D & HandlingFacts;

/**
 * One function for every delivery. `tx` is the transaction an inbox store (`postgresInbox`,
 * `d1Inbox`) opened for it: write your effects through it and they commit with the delivery's
 * "done" mark, or not at all. Undefined with other stores.
 */
export type DeliveryHandler<Tx = undefined> = (delivery: HandledDelivery, tx: Tx) => unknown;

/**
 * A function per event, each given that event's typed delivery (`mismatch` and `unknown` are the
 * deliveries `switch (delivery.event)` would give those names), and `fallback` for the rest. An
 * event with neither is acknowledged without work.
 */
export type DeliveryHandlers<Tx = undefined> = {
  [E in Delivery['event']]?: (
    delivery: HandledDelivery<Extract<Delivery, { event: E }>>,
    tx: Tx,
  ) => unknown;
} & {
  /** For every delivery no other entry names. */
  fallback?: DeliveryHandler<Tx>;
};

/** An answer to give RealtimeKit: `handle` turns it into a Response, the Node adapter writes it. */
export interface HandleResult {
  status: number;
  /** A short word saying what happened (`handled`, `duplicate`, `busy`, a failure reason...). */
  body: string;
  headers: Record<string, string>;
}

/** An answer with a text body. */
export function answer(
  status: number,
  body: string,
  headers: Record<string, string> = {},
): HandleResult {
  return { status, body, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } };
}

/**
 * The answer to a failure that is neither the delivery's nor the handler's (a body that stopped
 * arriving, a bug): 500, so RealtimeKit retries, and one line on `logger` (the receiver's).
 */
export function failureAnswer(
  error: unknown,
  logger: { error(line: string): unknown } = console,
): HandleResult {
  if (error instanceof WebhookVerificationError) return answer(error.status, error.reason);
  safely(() =>
    logger.error(`rtk-webhooks: a delivery could not be handled, answered 500: ${String(error)}`),
  );
  return answer(500, 'internal-error');
}

function handlerFor<Tx>(
  handler: DeliveryHandler<Tx> | DeliveryHandlers<Tx>,
  delivery: Delivery,
): DeliveryHandler<Tx> | undefined {
  if (typeof handler === 'function') return handler;
  return (handler[delivery.event] as DeliveryHandler<Tx> | undefined) ?? handler.fallback;
}

/** A handler that threw: kept apart from a store that failed around it. */
class HandlerFailure {
  constructor(readonly error: unknown) {}
}

/** What running the handler (and, with an inbox, completing in its transaction) came to. */
type Outcome = CompleteResult | 'ran' | 'handler-timeout' | HandlerFailure;

/** Claims `delivery`, runs its handler, and says what to answer (see `WebhookReceiver.handle`). */
export async function handleVerified<Tx>(
  settings: ReceiverSettings,
  delivery: Delivery,
  handler: DeliveryHandler<Tx> | DeliveryHandlers<Tx>,
  observation: Observation,
): Promise<HandleResult> {
  const { seen, seenTtlMs } = settings;
  const run = handlerFor(handler, delivery);
  const keys = seenKeys(delivery);
  const token = crypto.randomUUID();
  const storeFailed = (error: unknown) => {
    const failure = error instanceof WebhookVerificationError ? error : storeUnavailable(error);
    const cause = (failure.cause as Error | undefined)?.message;
    observation.explain(cause ? `${failure.message} (${cause})` : failure.message);
    return answer(failure.status, failure.reason);
  };

  if (seen) {
    let claimed: Awaited<ReturnType<typeof claim>>;
    try {
      claimed = await observation.storeStep('claim', () =>
        claim(seen, keys, token, settings.leaseMs),
      );
    } catch (error) {
      return storeFailed(error);
    }
    if (claimed.state === 'done') return answer(200, 'duplicate');
    if (claimed.state === 'busy') {
      // Another replica's handler is on it: a 5xx makes RealtimeKit retry (a 4xx would drop it).
      const seconds = Math.max(1, Math.ceil(claimed.retryAfterMs / 1000));
      return answer(503, 'busy', { 'retry-after': String(seconds) });
    }
  }

  const held = holdClaim(seen, keys, token, settings);
  const handled: HandledDelivery = {
    ...delivery,
    signal: held.signal,
    fencingToken: seen ? token : undefined,
  };
  const work = async (tx: Tx) => {
    if (!run) return;
    try {
      await observation.runHandler(delivery.eventName, async () => run(handled, tx));
    } catch (error) {
      throw new HandlerFailure(error);
    }
  };
  const running: Promise<Outcome> = (
    seen && isTransactional(seen)
      ? seen.completeWithin(keys, token, seenTtlMs, async (tx) => {
          await work(tx as Tx);
          // Past its deadline or its claim, the handler's writes must change nothing: the
          // inbox rolls them back with the done mark.
          if (held.signal.aborted) throw held.signal.reason;
        })
      : work(undefined as Tx).then((): Outcome => 'ran')
  ).catch((error: unknown) => {
    if (error instanceof HandlerFailure) return error;
    if (held.signal.aborted && error === held.signal.reason) {
      return (error as Error).cause === 'claim-lost' ? 'taken' : 'handler-timeout';
    }
    throw error;
  });
  let outcome: Outcome;
  try {
    outcome = await Promise.race([running, held.timedOut]);
  } catch (error) {
    // The inbox failed around the handler: nothing committed; the claim lapses, the retry runs.
    return storeFailed(error);
  } finally {
    held.stop();
  }
  running.catch(() => undefined); // a late settle after the deadline is nobody's to report

  if (outcome === 'handler-timeout') {
    // Not released: the handler may still be writing. Renewals stopped, so the claim lapses
    // within a lease and the retry runs then.
    return answer(503, 'handler-timeout', {
      'retry-after': String(Math.ceil(settings.leaseMs / 1000)),
    });
  }
  if (outcome instanceof HandlerFailure) {
    // A failing error hook (a throw, a rejection) must not turn a retryable 500 into anything else.
    const failed = outcome.error;
    safely(() => settings.onError(failed, delivery));
    if (seen) await settle(() => seen.release(keys, token));
    return answer(500, 'handler-failed');
  }
  if (outcome === 'taken') return answer(503, 'claim-lost', { 'retry-after': '1' });
  if (outcome === 'done') return answer(200, 'duplicate');
  if (outcome === 'ran' && seen) {
    try {
      // `taken`: this claim lapsed and another replica holds the delivery now; `done`: it
      // finished it. Either way nothing of theirs changed, and this handler did succeed.
      await observation.storeStep('complete', async () => seen.complete(keys, token, seenTtlMs));
    } catch (error) {
      // Not known to be done: the claim stays until its lease ends, then the retry runs the
      // handler again (at least once, never lost). Releasing it could also remove a mark that
      // lands late, and run the handler again for nothing.
      return storeFailed(error);
    }
  }
  return answer(200, run ? 'handled' : 'ignored');
}
