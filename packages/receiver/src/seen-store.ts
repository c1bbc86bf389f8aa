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

/** What `claim` found. */
export type ClaimResult =
  | { readonly state: 'claimed' }
  | { readonly state: 'done' }
  | { readonly state: 'busy'; readonly retryAfterMs: number };

/** What `complete` did: `completed` (marked done), or why not. */
export type CompleteResult = 'completed' | 'done' | 'taken';

/** How long the receiver asks stores to keep a key by default: a day of retries and replays. */
export const DEFAULT_SEEN_TTL_MS = 24 * 60 * 60 * 1000;

/** How long a claim lasts unless renewed, by default: a handler gets this long between renewals. */
export const DEFAULT_LEASE_MS = 30_000;

export const CLAIMED: ClaimResult = { state: 'claimed' };
export const DONE: ClaimResult = { state: 'done' };

/** One key's record: the token that claimed or completed it, and whether it is done. */
interface Entry {
  token: string;
  done: boolean;
  expiresAt: number;
}

/**
 * An in-memory SeenStore for one process: entries expire after their lease or time to live, and
 * at most `maxEntries` are kept (default 20 000: two a delivery), the oldest dropped first.
 */
export function memorySeenStore(maxEntries = 20_000): SeenStore {
  // Insertion order is age order: a key written again moves to the end.
  const entries = new Map<string, Entry>();
  const live = (key: string, now: number) => {
    const entry = entries.get(key);
    return entry !== undefined && entry.expiresAt > now ? entry : undefined;
  };
  const write = (key: string, token: string, done: boolean, expiresAt: number) => {
    entries.delete(key);
    entries.set(key, { token, done, expiresAt });
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
  };
  return {
    claim(keys, token, leaseMs) {
      const now = Date.now();
      let busyUntil = 0;
      for (const key of keys) {
        const entry = live(key, now);
        if (entry?.done) return DONE;
        if (entry) busyUntil = Math.max(busyUntil, entry.expiresAt);
      }
      if (busyUntil > 0) return { state: 'busy', retryAfterMs: busyUntil - now };
      for (const key of keys) write(key, token, false, now + leaseMs);
      return CLAIMED;
    },
    renew(keys, token, leaseMs) {
      const now = Date.now();
      if (!keys.every((key) => isClaimBy(live(key, now), token))) return false;
      for (const key of keys) write(key, token, false, now + leaseMs);
      return true;
    },
    complete(keys, token, ttlMs) {
      const now = Date.now();
      let held = false;
      let done = false;
      for (const key of keys) {
        const entry = live(key, now);
        if (entry === undefined) continue;
        if (entry.token === token) held = true;
        else if (entry.done) done = true;
        else return 'taken';
      }
      if (done && !held) return 'done';
      for (const key of keys) write(key, token, true, now + ttlMs);
      return 'completed';
    },
    release(keys, token) {
      for (const key of keys) {
        if (token === undefined || entries.get(key)?.token === token) entries.delete(key);
      }
    },
  };
}

function isClaimBy(entry: Entry | undefined, token: string): boolean {
  return entry !== undefined && !entry.done && entry.token === token;
}
