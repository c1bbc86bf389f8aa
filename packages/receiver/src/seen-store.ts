/**
 * Remembers which deliveries were handled, since RealtimeKit retries deliveries and a captured one
 * can be replayed. The receiver stores two keys a delivery: `rtk-uuid:<id>` and
 * `signed-body:<replay key>`, each at most 140 characters. Back it with Redis, a
 * database or a Durable Object to share it between replicas; the default is in memory.
 */
export interface SeenStore {
  /** Records `key`; resolves to true when it had been recorded before. Must be atomic. */
  markSeen(key: string): boolean | Promise<boolean>;
  /** Forgets `key`, so a delivery whose handling failed is processed when it comes again. */
  forget(key: string): void | Promise<void>;
}

/** An in-memory SeenStore that keeps the `maxEntries` most recent keys (default 20 000: two a delivery). */
export function memorySeenStore(maxEntries = 20_000): SeenStore {
  const keys = new Set<string>();
  return {
    markSeen(key) {
      if (keys.has(key)) return true;
      keys.add(key);
      // A Set iterates in insertion order: the first entry is the oldest.
      if (keys.size > maxEntries) keys.delete(keys.values().next().value as string);
      return false;
    },
    forget(key) {
      keys.delete(key);
    },
  };
}
