/**
 * Remembers which deliveries were handled, since RealtimeKit retries deliveries (the retry may
 * reach any replica) and a captured one can be replayed. The receiver stores two keys a delivery:
 * `rtk-uuid:<id>` and `signed-body:<replay key>`, each at most 140 characters.
 *
 * What a store must guarantee:
 * - `markSeen` is one atomic "set if absent, with a time to live": of any number of concurrent
 *   calls for a key, across every replica sharing the store, exactly one gets `false` (new).
 * - A key is kept for at least `ttlMs`, then may be dropped, so the store's size stays bounded.
 * - A failure is thrown (or rejected), never answered with a guess: the receiver then refuses the
 *   delivery with 503 `store-unavailable`, RealtimeKit retries it, and it is never processed
 *   unchecked nor lost.
 *
 * Shipped: `memorySeenStore` (one process), `redisSeenStore` (`@realtimekit-webhooks/receiver/redis`)
 * and `durableObjectSeenStore` (`@realtimekit-webhooks/receiver/durable-object`).
 */
export interface SeenStore {
  /**
   * Records `key` for `ttlMs` milliseconds unless it is recorded already; resolves to true when
   * it was (a duplicate), false when this call recorded it. Must be atomic (see above).
   */
  markSeen(key: string, ttlMs: number): boolean | Promise<boolean>;
  /** Forgets `key`, so a delivery whose handling failed is processed when it comes again. */
  forget(key: string): void | Promise<void>;
}

/** How long the receiver asks stores to keep a key by default: a day of retries and replays. */
export const DEFAULT_SEEN_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * An in-memory SeenStore for one process: keys expire after their time to live, and at most
 * `maxEntries` are kept (default 20 000: two a delivery), the oldest dropped first.
 */
export function memorySeenStore(maxEntries = 20_000): SeenStore {
  // Insertion order is age order: re-marking a key moves it to the end.
  const expiries = new Map<string, number>();
  return {
    markSeen(key, ttlMs) {
      const now = Date.now();
      const expiresAt = expiries.get(key);
      if (expiresAt !== undefined && expiresAt > now) return true;
      expiries.delete(key);
      expiries.set(key, now + ttlMs);
      if (expiries.size > maxEntries) expiries.delete(expiries.keys().next().value as string);
      return false;
    },
    forget(key) {
      expiries.delete(key);
    },
  };
}
