// What `handle` does with a verified delivery: claim it, run the handler while renewing the
// claim, and mark it done only once the handler resolved. The order is the guarantee: a delivery
// is never marked done before your code succeeded, so a crash, a kill or a failed handler leaves
// it to RealtimeKit's retry instead of losing it.
import type { Delivery } from './delivery.js';
import { WebhookVerificationError } from './errors.js';
import type { SeenStore } from './seen-store.js';

/** One function for every delivery. */
export type DeliveryHandler = (delivery: Delivery) => unknown;

/**
 * A function per event, each given that event's typed delivery (`mismatch` and `unknown` are the
 * deliveries `switch (delivery.event)` would give those names), and `fallback` for the rest. An
 * event with neither is acknowledged without work.
 */
export type DeliveryHandlers = {
  [E in Delivery['event']]?: (delivery: Extract<Delivery, { event: E }>) => unknown;
} & {
  /** For every delivery no other entry names. */
  fallback?: DeliveryHandler;
};

/** An answer to give RealtimeKit: `handle` turns it into a Response, the Node adapter writes it. */
export interface HandleResult {
  status: number;
  /** A short word saying what happened (`handled`, `duplicate`, `busy`, a failure reason...). */
  body: string;
  headers: Record<string, string>;
}

/** What `handleVerified` needs of the receiver. */
export interface Handling {
  seen: SeenStore | undefined;
  leaseMs: number;
  seenTtlMs: number;
  onError: (error: unknown, delivery: Delivery) => void;
}

/** The seen-store keys of a delivery: its id, and what identifies the signed body. */
export function seenKeys(delivery: Pick<Delivery, 'id' | 'replayKey'>): [string, string] {
  return [`rtk-uuid:${delivery.id}`, `signed-body:${delivery.replayKey}`];
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
 * arriving, a bug): 500, so RealtimeKit retries, and one line on `console.error`.
 */
export function failureAnswer(error: unknown): HandleResult {
  if (error instanceof WebhookVerificationError) return answer(error.status, error.reason);
  console.error(`rtk-webhooks: a delivery could not be handled, answered 500: ${String(error)}`);
  return answer(500, 'internal-error');
}

export function storeUnavailable(cause: unknown): WebhookVerificationError {
  return new WebhookVerificationError(
    'store-unavailable',
    'the seen store failed, so the delivery cannot be checked for duplicates; answer 503 so RealtimeKit retries',
    { cause },
  );
}

/** Runs `step`, turning a synchronous throw and a rejection alike into a settled promise. */
export async function settle(step: () => unknown): Promise<void> {
  try {
    await step();
  } catch {
    // Best effort: what this cleans up also expires on its own.
  }
}

function handlerFor(
  handler: DeliveryHandler | DeliveryHandlers,
  delivery: Delivery,
): DeliveryHandler | undefined {
  if (typeof handler === 'function') return handler;
  return (handler[delivery.event] as DeliveryHandler | undefined) ?? handler.fallback;
}

/**
 * Keeps the claim alive while the handler runs: renewed every third of the lease, so two renewals
 * can fail (a slow store, a pause) before the lease runs out. Once a renewal finds the claim lost
 * (taken over after a freeze), renewing stops; `complete` then changes nothing of the new holder's.
 */
function keepClaimed(seen: SeenStore, keys: readonly string[], token: string, leaseMs: number) {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    timer = setTimeout(async () => {
      let held = true;
      try {
        held = await seen.renew(keys, token, leaseMs);
      } catch {
        // The store may be back by the next renewal; the lease still has two thirds left.
      }
      if (held && !stopped) schedule();
    }, leaseMs / 3);
  };
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** Claims `delivery`, runs its handler, and says what to answer (see `WebhookReceiver.handle`). */
export async function handleVerified(
  { seen, leaseMs, seenTtlMs, onError }: Handling,
  delivery: Delivery,
  handler: DeliveryHandler | DeliveryHandlers,
): Promise<HandleResult> {
  const run = handlerFor(handler, delivery);
  const runHandler = async (): Promise<boolean> => {
    try {
      await run?.(delivery);
      return true;
    } catch (error) {
      try {
        onError(error, delivery);
      } catch {
        // A failing error hook must not turn a retryable 500 into something else.
      }
      return false;
    }
  };
  const handlerFailed = () => answer(500, 'handler-failed');
  const handled = () => answer(200, run ? 'handled' : 'ignored');
  if (!seen) return (await runHandler()) ? handled() : handlerFailed();

  const keys = seenKeys(delivery);
  const token = crypto.randomUUID();
  const storeFailed = (error: unknown) => {
    const failure = storeUnavailable(error);
    return answer(failure.status, failure.reason);
  };

  let claim: Awaited<ReturnType<SeenStore['claim']>>;
  try {
    claim = await seen.claim(keys, token, leaseMs);
  } catch (error) {
    // The claim may still land (a timed-out command): take it back so the retry is not kept
    // waiting for the lease. Only this token's claim can be removed.
    void settle(() => seen.release(keys, token));
    return storeFailed(error);
  }
  if (claim.state === 'done') return answer(200, 'duplicate');
  if (claim.state === 'busy') {
    // Another replica's handler is on it: a 5xx makes RealtimeKit retry (a 4xx would drop it).
    const seconds = Math.max(1, Math.ceil(claim.retryAfterMs / 1000));
    return answer(503, 'busy', { 'retry-after': String(seconds) });
  }

  const stopRenewing = run ? keepClaimed(seen, keys, token, leaseMs) : () => {};
  const succeeded = await runHandler();
  stopRenewing();
  if (!succeeded) {
    await settle(() => seen.release(keys, token));
    return handlerFailed();
  }
  try {
    // `taken`: this claim lapsed and another replica holds the delivery now; `done`: it finished
    // it. Either way nothing of theirs changed, and this handler did succeed.
    await seen.complete(keys, token, seenTtlMs);
  } catch (error) {
    // Not known to be done: the claim stays until its lease ends, then the retry runs the
    // handler again (at least once, never lost). Releasing it could also remove a mark that
    // lands late, and run the handler again for nothing.
    return storeFailed(error);
  }
  return handled();
}
