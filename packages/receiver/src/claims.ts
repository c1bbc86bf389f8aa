// The store protocol as `handle` and `verify` speak it: a claim taken (or found busy or done),
// held while the handler runs (renewed, its signal aborted when it is lost or the handler's time
// is up), completed or released; every store failure turned into the answer that makes
// RealtimeKit retry. What each step does to the keys is the store's (claim-state.ts).
import { monotonicNow } from './clock.js';
import type { Delivery } from './delivery.js';
import { WebhookVerificationError } from './errors.js';
import type { ClaimResult, SeenStore } from './seen-store.js';

/** The seen-store keys of a delivery: its id, and what identifies the signed body. */
export function seenKeys(delivery: Pick<Delivery, 'id' | 'replayKey'>): [string, string] {
  return [`rtk-uuid:${delivery.id}`, `signed-body:${delivery.replayKey}`];
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

/** Claims `keys` for `token`; a store failure throws `store-unavailable` (503). */
export async function claim(
  seen: SeenStore,
  keys: readonly string[],
  token: string,
  leaseMs: number,
): Promise<ClaimResult> {
  try {
    return await seen.claim(keys, token, leaseMs);
  } catch (error) {
    // The claim may still land (a timed-out command): take it back so the retry is not kept
    // waiting for the lease. Only this token's claim can be removed.
    void settle(() => seen.release(keys, token));
    throw storeUnavailable(error);
  }
}

/**
 * Marks the delivery as seen unless it is known (`complete` with a fresh token, one atomic step
 * over both keys, so two replicas racing on one delivery cannot each win one key and both drop
 * it). True when it was known: a duplicate. A store failure is a 503; what this call may still
 * have marked is taken back (by its token, so nobody else's mark), so the retry is not taken for a
 * duplicate of a delivery nobody handled.
 */
export async function markSeen(
  seen: SeenStore,
  keys: readonly string[],
  ttlMs: number,
): Promise<boolean> {
  const token = crypto.randomUUID();
  try {
    return (await seen.complete(keys, token, ttlMs)) !== 'completed';
  } catch (error) {
    void settle(() => seen.release(keys, token));
    throw storeUnavailable(error);
  }
}

/** Why a handler's signal aborted. */
export type AbortCause = 'claim-lost' | 'handler-timeout';

/** A claim held while its handler runs. */
export interface HeldClaim {
  /** Aborts (with an Error whose `cause` is the AbortCause) when the claim is lost or time is up. */
  readonly signal: AbortSignal;
  /** Resolves when `handlerTimeoutMs` has passed. */
  readonly timedOut: Promise<'handler-timeout'>;
  /** Stops renewing and timing: the handler settled. */
  stop(): void;
}

/**
 * Keeps the claim alive while the handler runs: renewed every third of the lease, so two renewals
 * can fail (a slow store, a pause) before the lease runs out. The signal aborts once a renewal
 * finds the claim lost (lapsed or taken over after a freeze), once renewals have failed for a
 * whole lease, or when the handler's time is up; renewing then stops, so a claim whose handler
 * never returns frees itself within a lease. Without a store only the time limit applies.
 */
export function holdClaim(
  seen: SeenStore | undefined,
  keys: readonly string[],
  token: string,
  { leaseMs, handlerTimeoutMs }: { leaseMs: number; handlerTimeoutMs: number },
): HeldClaim {
  const controller = new AbortController();
  const abort = (cause: AbortCause, message: string) => {
    if (!controller.signal.aborted) controller.abort(new Error(message, { cause }));
  };
  let renewal: ReturnType<typeof setTimeout> | undefined;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  let heldUntil = monotonicNow() + leaseMs;
  // A renewal that has not answered when the lease ends (a stalled connection) loses it too.
  const untilLeaseEnds = () =>
    new Promise<never>((_, reject) => {
      const left = Math.max(0, heldUntil - monotonicNow());
      const timer = setTimeout(
        () => reject(new Error('the renewal did not answer within the lease')),
        left,
      );
      stopWatch = () => clearTimeout(timer);
    });
  let stopWatch = () => {};
  const renewSoon = () => {
    renewal = setTimeout(async () => {
      try {
        const renewed = Promise.resolve(seen?.renew(keys, token, leaseMs));
        const held = await Promise.race([renewed, untilLeaseEnds()]).finally(() => stopWatch());
        if (!held) {
          return abort('claim-lost', 'the claim on this delivery was lost (taken over or lapsed)');
        }
        heldUntil = monotonicNow() + leaseMs;
      } catch {
        // The store may be back by the next renewal, unless the lease has run out meanwhile.
        if (monotonicNow() >= heldUntil) {
          return abort(
            'claim-lost',
            'the claim on this delivery could not be renewed within its lease',
          );
        }
      }
      if (!controller.signal.aborted) renewSoon();
    }, leaseMs / 3);
  };
  if (seen) renewSoon();
  const timedOut = new Promise<'handler-timeout'>((resolve) => {
    deadline = setTimeout(() => {
      clearTimeout(renewal);
      abort(
        'handler-timeout',
        `the handler ran longer than handlerTimeoutMs (${handlerTimeoutMs} ms)`,
      );
      resolve('handler-timeout');
    }, handlerTimeoutMs);
  });
  return {
    signal: controller.signal,
    timedOut,
    stop() {
      clearTimeout(renewal);
      clearTimeout(deadline);
      stopWatch();
    },
  };
}
