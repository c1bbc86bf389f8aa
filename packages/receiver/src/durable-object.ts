/**
 * A SeenStore for Workers: every isolate has its own memory, so receivers share a Durable Object
 * instead. Each key range (shard) is one object, and an object runs one event at a time with its
 * storage calls gated, so "mark if absent" is atomic without locks. KV is not offered: it is
 * eventually consistent, and two isolates could both read "absent" and both handle a delivery.
 *
 *   // wrangler.toml
 *   [[durable_objects.bindings]]
 *   name = "RTK_SEEN"
 *   class_name = "SeenDeliveriesObject"
 *   [[migrations]]
 *   tag = "v1"
 *   new_sqlite_classes = ["SeenDeliveriesObject"]
 *
 *   // worker.ts
 *   export { SeenDeliveriesObject } from '@realtimekit-webhooks/receiver/durable-object';
 *   const receiver = createWebhookReceiver({ seen: durableObjectSeenStore(env.RTK_SEEN) });
 *
 * Nothing here imports `cloudflare:workers`: the class uses the Durable Object fetch interface,
 * and the bindings are described by the small interfaces below.
 */
import type { SeenStore } from './seen-store.js';

/** The parts of a Durable Object's storage this class uses. */
export interface DurableObjectStorageLike {
  get<T>(key: string): Promise<T | undefined>;
  put<T>(key: string, value: T): Promise<void>;
  delete(key: string): Promise<boolean>;
  list<T>(options?: { limit?: number; startAfter?: string }): Promise<Map<string, T>>;
  getAlarm(): Promise<number | null>;
  setAlarm(time: number): Promise<void>;
}

/** The parts of a Durable Object's state this class uses. */
export interface DurableObjectStateLike {
  storage: DurableObjectStorageLike;
}

/** The parts of a Durable Object namespace binding the store uses. */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: never): { fetch(input: string, init: RequestInit): Promise<Response> };
}

type Command = { op: 'mark'; key: string; ttlMs: number } | { op: 'forget'; key: string };

/** How often expired keys are swept out of storage. */
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** The Durable Object class to bind (see the module comment). One instance holds one key range. */
export class SeenDeliveriesObject {
  readonly #storage: DurableObjectStorageLike;

  constructor(state: DurableObjectStateLike, _env?: unknown) {
    this.#storage = state.storage;
  }

  async fetch(request: Request): Promise<Response> {
    const command = (await request.json()) as Command;
    if (command.op === 'forget') {
      await this.#storage.delete(command.key);
      return Response.json({ ok: true });
    }
    if (command.op !== 'mark' || !(command.ttlMs > 0)) {
      return Response.json(
        { error: 'expected { op: "mark", key, ttlMs } or { op: "forget", key }' },
        { status: 400 },
      );
    }
    // No other event runs between this get and put: the object's input gate holds them.
    const now = Date.now();
    const expiresAt = await this.#storage.get<number>(command.key);
    if (expiresAt !== undefined && expiresAt > now) return Response.json({ seen: true });
    await this.#storage.put(command.key, now + command.ttlMs);
    if ((await this.#storage.getAlarm()) === null)
      await this.#storage.setAlarm(now + SWEEP_EVERY_MS);
    return Response.json({ seen: false });
  }

  /** Deletes expired keys, so storage stays bounded by the keys still within their time to live. */
  async alarm(): Promise<void> {
    const now = Date.now();
    let startAfter: string | undefined;
    let remaining = 0;
    for (;;) {
      const page = await this.#storage.list<number>({
        limit: 1000,
        ...(startAfter ? { startAfter } : {}),
      });
      for (const [key, expiresAt] of page) {
        if (expiresAt <= now) await this.#storage.delete(key);
        else remaining += 1;
        startAfter = key;
      }
      if (page.size < 1000) break;
    }
    if (remaining > 0) await this.#storage.setAlarm(now + SWEEP_EVERY_MS);
  }
}

/** Options of `durableObjectSeenStore`. */
export interface DurableObjectSeenStoreOptions {
  /** How many objects the keys are spread over (each a strongly consistent range). Default: 16. */
  shards?: number | undefined;
}

/** FNV-1a: a stable, fast spread of keys over shards. */
function shardOf(key: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

/** A SeenStore on the `SeenDeliveriesObject` namespace bound as `namespace`. */
export function durableObjectSeenStore(
  namespace: DurableObjectNamespaceLike,
  options: DurableObjectSeenStoreOptions = {},
): SeenStore {
  const shards = options.shards ?? 16;
  if (!(Number.isInteger(shards) && shards > 0))
    throw new TypeError('shards must be a whole number, 1 or more');
  const send = async (command: Command) => {
    const stub = namespace.get(
      namespace.idFromName(`rtk-seen-${shardOf(command.key, shards)}`) as never,
    );
    const response = await stub.fetch('https://seen-deliveries.invalid/', {
      method: 'POST',
      body: JSON.stringify(command),
    });
    if (!response.ok) throw new Error(`the seen-deliveries object answered ${response.status}`);
    return (await response.json()) as { seen?: boolean };
  };
  return {
    async markSeen(key, ttlMs) {
      return (await send({ op: 'mark', key, ttlMs })).seen === true;
    },
    async forget(key) {
      await send({ op: 'forget', key });
    },
  };
}
