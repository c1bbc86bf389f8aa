import {
  type ClaimResult,
  type ClaimStep,
  type CompleteResult,
  decide,
  type Entry,
} from './claim-state.js';
import { monotonicNow } from './clock.js';

export type { ClaimResult, CompleteResult };

/**
 * Where the receiver keeps track of deliveries, shared by every replica that may get a retry.
 * A delivery has two keys (`rtk-uuid:<id>` and `signed-body:<replay key>`, each at most 140
 * characters): RealtimeKit's retries keep the id, and a replay under a fresh id keeps the signed
 * body. Each key is absent, **claimed** by one attempt (its token, until its lease ends) or
 * **done** (with the token that completed it, until its time to live ends).
 *
 * What a store must guarantee (the memory, Redis and Durable Object stores are tested for it):
 * - every method is one atomic step over all the keys it is given, across every replica sharing
 *   the store: of any number of concurrent `claim`s of one delivery, at most one gets `claimed`;
 * - a claim lasts its lease and no longer (a dead holder's claim frees itself), a done mark at
 *   least its time to live, then may be dropped, so the store stays bounded;
 * - `renew`, `complete` and `release` with a token change nothing that another token holds: a
 *   holder whose lease ran out and was taken over cannot overwrite its successor (fencing);
 * - a failure is thrown (or rejected), never answered with a guess: the receiver then answers
 *   503 and RealtimeKit retries. A step that fails must leave nothing that would make the retry
 *   look done (a late claim only delays the retry until its lease ends).
 *
 * Shipped: `memorySeenStore` (one process), `redisSeenStore` (`@realtimekit-webhooks/receiver/redis`)
 * and `durableObjectSeenStore` (`@realtimekit-webhooks/receiver/durable-object`).
 */
export interface SeenStore {
  /**
   * Claims every key for `token` for `leaseMs`, unless one of them is done (`done`) or claimed by
   * another token (`busy`, with the time its lease has left); then nothing changes.
   */
  claim(
    keys: readonly string[],
    token: string,
    leaseMs: number,
  ): ClaimResult | Promise<ClaimResult>;
  /** Extends the lease of keys `token` still holds; false (nothing changed) when it lost one. */
  renew(keys: readonly string[], token: string, leaseMs: number): boolean | Promise<boolean>;
  /**
   * Marks every key done for `ttlMs`, unless another token holds one (`taken`) or one is done
   * already and `token` holds none (`done`); then nothing changes. Keys that are absent count as
   * free, so `complete` with a fresh token is also "mark as seen unless known" (what `verify` does).
   */
  complete(
    keys: readonly string[],
    token: string,
    ttlMs: number,
  ): CompleteResult | Promise<CompleteResult>;
  /**
   * Removes what `token` claimed or completed, so a retry is handled at once (after a handler
   * failed, or a mark whose answer was lost). Without a token, removes the keys whatever they
   * hold (`receiver.forget`).
   */
  release(keys: readonly string[], token?: string): void | Promise<void>;
}

/**
 * A store on the service's own database (an inbox): besides the SeenStore steps, it completes a
 * delivery in the same transaction as the handler's writes, so the handler's effects and "done"
 * commit together or not at all (`postgresInbox`, `d1Inbox`). `handle` then gives the handler the
 * transaction (`tx`) as its second argument.
 */
export interface TransactionalSeenStore<Tx> extends SeenStore {
  /**
   * Runs `work` in a transaction and, in the same transaction, marks every key done for `ttlMs`
   * if `token` still holds the claim on each: commits and answers `completed` only then; else
   * rolls back and answers why (`taken`: another token holds it; `done`). A rejection of `work`
   * rolls back and is rethrown.
   */
  completeWithin(
    keys: readonly string[],
    token: string,
    ttlMs: number,
    work: (tx: Tx) => Promise<void>,
  ): Promise<CompleteResult>;
}

/** True when `seen` completes deliveries in the handler's transaction. */
export function isTransactional(seen: SeenStore): seen is TransactionalSeenStore<unknown> {
  return typeof (seen as Partial<TransactionalSeenStore<unknown>>).completeWithin === 'function';
}

/** How long the receiver asks stores to keep a key by default: a day of retries and replays. */
export const DEFAULT_SEEN_TTL_MS = 24 * 60 * 60 * 1000;

/** How long a claim lasts unless renewed, by default: a handler gets this long between renewals. */
export const DEFAULT_LEASE_MS = 30_000;

/**
 * An in-memory SeenStore for one process. Done marks expire after their time to live and at most
 * `maxEntries` are kept (default 20 000: two a delivery), the oldest forgotten first. A claim in
 * progress is never forgotten to make room (that would let a copy run the handler a second time
 * at once): claims are bounded on their own, at most `maxEntries` keys at once, and a claim past
 * that fails (503, RealtimeKit retries). Time is the monotonic clock, so a stepped system clock
 * neither frees a live claim nor revives a lapsed one.
 */
export function memorySeenStore(maxEntries = 20_000): SeenStore {
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 2) {
    throw new TypeError('maxEntries must be a whole number of keys, 2 or more (two a delivery)');
  }
  // Insertion order is age order: a key written again moves to the end.
  const marks = new Map<string, Entry>();
  const claims = new Map<string, Entry>();
  const read = (key: string) => claims.get(key) ?? marks.get(key);
  // The oldest marks are forgotten through one iterator that lives as long as the store. A fresh
  // `marks.keys()` per eviction would step again over every entry deleted since the map last
  // rehashed (engines leave them in place until then): ~30 µs a delivery once the store is full.
  // Every key before its position is one it deleted, so the next key it gives is the oldest held.
  let oldest = marks.keys();
  const forgetOldest = () => {
    let next = oldest.next();
    // Unreachable while the map holds keys (an iterator sees every key added after it), but a
    // finished iterator must not turn the loop below into an endless one.
    if (next.done) {
      oldest = marks.keys();
      next = oldest.next();
    }
    marks.delete(next.value as string);
  };
  const dropLapsedClaims = (now: number) => {
    for (const [key, entry] of claims) if (entry.expiresAt <= now) claims.delete(key);
  };

  function run<S extends ClaimStep>(keys: readonly string[], step: S) {
    const now = monotonicNow();
    const { result, write, remove } = decide(step, keys.map(read), now);
    if (write && !write.done) {
      const added = keys.filter((key) => !claims.has(key)).length;
      if (claims.size + added > maxEntries) dropLapsedClaims(now);
      if (claims.size + added > maxEntries) {
        throw new Error(
          `the memory store holds ${claims.size} claims in progress, its most (maxEntries): none is forgotten to make room`,
        );
      }
    }
    for (const [i, key] of keys.entries()) {
      if (write) {
        claims.delete(key);
        marks.delete(key);
        (write.done ? marks : claims).set(key, write);
      } else if (remove?.[i]) {
        claims.delete(key);
        marks.delete(key);
      }
    }
    while (marks.size > maxEntries) forgetOldest();
    return result;
  }

  return {
    claim: (keys, token, leaseMs) => run(keys, { op: 'claim', token, leaseMs }),
    renew: (keys, token, leaseMs) => run(keys, { op: 'renew', token, leaseMs }),
    complete: (keys, token, ttlMs) => run(keys, { op: 'complete', token, ttlMs }),
    release: (keys, token) => run(keys, { op: 'release', token }),
  };
}
