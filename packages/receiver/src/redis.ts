/**
 * A SeenStore on Redis, shared by every replica: `SET key 1 NX PX ttl`, one atomic round trip.
 *
 *   import { createClient } from 'redis';
 *   import { redisSeenStore } from '@realtimekit-webhooks/receiver/redis';
 *   const redis = await createClient({ url: process.env.REDIS_URL }).connect();
 *   const receiver = createWebhookReceiver({ seen: redisSeenStore(redis) });
 *
 * Built for node-redis (`redis` 4.6 or later, a peer dependency): the client Redis maintains, with
 * clusters, sentinels and TLS configured on the client you pass. Nothing is imported from it here:
 * the receiver's main entry stays free of Node and Redis.
 */
import type { SeenStore } from './seen-store.js';

/** What this store needs of a Redis client: node-redis clients and cluster clients have it. */
export interface RedisClientLike {
  set(key: string, value: string, options: { NX: true; PX: number }): Promise<unknown>;
  del(key: string): Promise<unknown>;
  /** node-redis's connection state: when false, nothing is sent (see markSeen). */
  readonly isReady?: boolean;
}

/** Options of `redisSeenStore`. */
export interface RedisSeenStoreOptions {
  /** Put before every key, to share a Redis with other data. Default: `rtk-webhooks:seen:`. */
  prefix?: string | undefined;
  /**
   * The longest a command may take, in milliseconds. A client waiting for a lost connection
   * queues commands; past this the delivery is refused with 503 instead of hanging. Default: 2000.
   */
  timeoutMs?: number | undefined;
}

function withTimeout<T>(command: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Redis did not answer ${what} within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([command, timeout]).finally(() => clearTimeout(timer));
}

/** A SeenStore on `client` (see the module comment). */
export function redisSeenStore(
  client: RedisClientLike,
  options: RedisSeenStoreOptions = {},
): SeenStore {
  const prefix = options.prefix ?? 'rtk-webhooks:seen:';
  const timeoutMs = options.timeoutMs ?? 2_000;
  return {
    async markSeen(key, ttlMs) {
      // A disconnected client would queue the SET and run it on reconnection, long after this
      // delivery was refused: its retry would then find the key and be dropped as a duplicate.
      if (client.isReady === false) throw new Error('Redis is not connected');
      const command = client.set(prefix + key, '1', { NX: true, PX: ttlMs });
      try {
        // 'OK' when this call set it; null when the key existed (NX): a duplicate.
        return (await withTimeout(command, timeoutMs, 'SET')) !== 'OK';
      } catch (error) {
        // Refused with 503, but the SET may still run (it was in flight): if it then marks the
        // key, take the mark back so the retry is processed.
        command
          .then((answer) => (answer === 'OK' ? client.del(prefix + key) : undefined))
          .catch(() => {});
        throw error;
      }
    },
    async forget(key) {
      await withTimeout(client.del(prefix + key), timeoutMs, 'DEL');
    },
  };
}
