/**
 * Remembers which deliveries (`rtk-uuid`) were handled, since RealtimeKit retries deliveries.
 * Back it with Redis, a database or KV to share it between replicas; the default is in memory.
 */
export interface SeenStore {
  /** Records `id`; resolves to true when it had been recorded before. Must be atomic. */
  markSeen(id: string): boolean | Promise<boolean>;
  /** Forgets `id`, so a delivery whose handling failed is processed when it comes again. */
  forget(id: string): void | Promise<void>;
}

/** An in-memory SeenStore that keeps the `maxEntries` most recent ids (default 10 000). */
export function memorySeenStore(maxEntries = 10_000): SeenStore {
  const ids = new Set<string>();
  return {
    markSeen(id) {
      if (ids.has(id)) return true;
      ids.add(id);
      // A Set iterates in insertion order: the first entry is the oldest.
      if (ids.size > maxEntries) ids.delete(ids.values().next().value as string);
      return false;
    },
    forget(id) {
      ids.delete(id);
    },
  };
}
