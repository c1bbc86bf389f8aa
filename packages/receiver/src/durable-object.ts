/**
 * A SeenStore for Workers: every isolate has its own memory, so receivers share a Durable Object
 * instead. One object holds the keys, and an object runs one event at a time with its storage
 * calls gated, so each step (claim, renew, complete, release) is atomic without locks. KV is not offered: it is
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
 *
 * @packageDocumentation
 */
import {
  type ClaimResult,
  type ClaimStep,
  type CompleteResult,
  decide,
  type Entry,
} from './claim-state.js';
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

type Step = 'claim' | 'renew' | 'complete' | 'release';
interface Command {
  op: Step;
  keys: string[];
  token: string;
  /** The lease (claim, renew) or time to live (complete), in milliseconds. */
  ms: number;
}

/** How often expired keys are swept out of storage. */
const SWEEP_EVERY_MS = 60 * 60 * 1000;
const STEPS: ReadonlySet<string> = new Set(['claim', 'renew', 'complete', 'release']);

function isCommand(value: unknown): value is Command {
  const command = value as Partial<Command> | null;
  return (
    typeof command?.op === 'string' &&
    STEPS.has(command.op) &&
    Array.isArray(command.keys) &&
    command.keys.every((key) => typeof key === 'string') &&
    typeof command.token === 'string' &&
    typeof command.ms === 'number' &&
    command.ms >= 0
  );
}

/** The step a command asks for (an empty token on `release`: whatever the keys hold). */
function toStep(op: Step, token: string, ms: number): ClaimStep {
  if (op === 'complete') return { op, token, ttlMs: ms };
  if (op === 'release') return { op, token: token === '' ? undefined : token };
  return { op, token, leaseMs: ms };
}

/** The Durable Object class to bind (see the module comment). */
export class SeenDeliveriesObject {
  readonly #storage: DurableObjectStorageLike;

  constructor(state: DurableObjectStateLike, _env?: unknown) {
    this.#storage = state.storage;
  }

  async fetch(request: Request): Promise<Response> {
    const command: unknown = await request.json().catch(() => undefined);
    if (!isCommand(command)) {
      return Response.json(
        { error: 'expected { op: "claim" | "renew" | "complete" | "release", keys, token, ms }' },
        { status: 400 },
      );
    }
    // No other event runs between these reads and writes: the object's input gate holds them.
    return Response.json({ result: await this.#step(command) });
  }

  async #step({ op, keys, token, ms }: Command): Promise<unknown> {
    const now = Date.now();
    const stored = await Promise.all(keys.map((key) => this.#storage.get<Entry>(key)));
    const { result, write, remove } = decide(toStep(op, token, ms), stored, now);
    if (write) {
      for (const key of keys) await this.#storage.put<Entry>(key, write);
      if ((await this.#storage.getAlarm()) === null)
        await this.#storage.setAlarm(now + SWEEP_EVERY_MS);
    }
    for (const [i, key] of keys.entries()) if (remove?.[i]) await this.#storage.delete(key);
    return result ?? true;
  }

  /** Deletes expired keys, so storage stays bounded by the keys still within their time to live. */
  async alarm(): Promise<void> {
    const now = Date.now();
    let startAfter: string | undefined;
    let remaining = 0;
    for (;;) {
      const page = await this.#storage.list<Entry>({
        limit: 1000,
        ...(startAfter ? { startAfter } : {}),
      });
      for (const [key, entry] of page) {
        if (entry.expiresAt <= now) await this.#storage.delete(key);
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
  /**
   * Which object of the namespace holds this receiver's deliveries. Default: `rtk-seen`. Two
   * services binding one namespace give different names.
   */
  name?: string | undefined;
}

/**
 * A SeenStore on the `SeenDeliveriesObject` namespace bound as `namespace`: one object holds every
 * key, so each step is atomic over both of a delivery's keys and a redeploy cannot move a key
 * where a retry would not find it (a count of shards, changed, would have). One object takes
 * about a thousand steps a second, far above what one service's webhooks send.
 */
export function durableObjectSeenStore(
  namespace: DurableObjectNamespaceLike,
  options: DurableObjectSeenStoreOptions = {},
): SeenStore {
  const name = options.name ?? 'rtk-seen';
  if (typeof name !== 'string' || name === '')
    throw new TypeError('name must be a non-empty string');
  const send = async (op: Step, keys: readonly string[], token: string, ms: number) => {
    const stub = namespace.get(namespace.idFromName(name) as never);
    const response = await stub.fetch('https://seen-deliveries.invalid/', {
      method: 'POST',
      body: JSON.stringify({ op, keys: [...keys], token, ms } satisfies Command),
    });
    if (!response.ok) throw new Error(`the seen-deliveries object answered ${response.status}`);
    return ((await response.json()) as { result: unknown }).result;
  };
  return {
    async claim(keys, token, leaseMs) {
      return (await send('claim', keys, token, leaseMs)) as ClaimResult;
    },
    async renew(keys, token, leaseMs) {
      return (await send('renew', keys, token, leaseMs)) === true;
    },
    async complete(keys, token, ttlMs) {
      return (await send('complete', keys, token, ttlMs)) as CompleteResult;
    },
    async release(keys, token = '') {
      await send('release', keys, token, 0);
    },
  };
}
