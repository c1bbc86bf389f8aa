// The Durable Object store's logic in Node: its object over an in-memory storage, running one
// request at a time as workerd's input gate makes it. (The real engine, with two isolates, is
// examples/edge-service's test in workerd.)
import { describe, expect, it } from 'vitest';
import {
  type DurableObjectStorageLike,
  durableObjectSeenStore,
  SeenDeliveriesObject,
} from '../src/durable-object.js';
import { describeStoreContract } from './store-contract.js';

function memoryStorage(): DurableObjectStorageLike {
  const data = new Map<string, unknown>();
  let alarm: number | null = null;
  return {
    get: async <T>(key: string) => data.get(key) as T | undefined,
    put: async (key, value) => void data.set(key, value),
    delete: async (key) => data.delete(key),
    list: async <T>() =>
      new Map([...data].sort(([a], [b]) => a.localeCompare(b))) as Map<string, T>,
    getAlarm: async () => alarm,
    setAlarm: async (time) => {
      alarm = time;
    },
  };
}

/** A namespace of objects, each handling one request at a time (workerd's input gate). */
function namespace() {
  const objects = new Map<string, { object: SeenDeliveriesObject; queue: Promise<unknown> }>();
  return {
    idFromName: (name: string) => name,
    get(id: never) {
      const name = id as string;
      let entry = objects.get(name);
      if (!entry) {
        entry = {
          object: new SeenDeliveriesObject({ storage: memoryStorage() }),
          queue: Promise.resolve(),
        };
        objects.set(name, entry);
      }
      const held = entry;
      return {
        fetch(input: string, init: RequestInit) {
          const answer = held.queue.then(() => held.object.fetch(new Request(input, init)));
          held.queue = answer.catch(() => undefined);
          return answer;
        },
      };
    },
  };
}

describeStoreContract('the Durable Object store', () => durableObjectSeenStore(namespace()));

describe('the Durable Object', () => {
  it('answers 400 to a malformed command, naming what it expects', async () => {
    const object = new SeenDeliveriesObject({ storage: memoryStorage() });
    for (const body of [
      'not json',
      '{"op":"mark","key":"k","ttlMs":1}',
      '{"op":"claim","keys":[1]}',
    ]) {
      const response = await object.fetch(
        new Request('https://do.invalid/', { method: 'POST', body }),
      );
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('claim');
    }
  });

  it('sweeps expired keys on its alarm and keeps the live ones', async () => {
    const storage = memoryStorage();
    const object = new SeenDeliveriesObject({ storage });
    const step = (command: object) =>
      object.fetch(
        new Request('https://do.invalid/', { method: 'POST', body: JSON.stringify(command) }),
      );
    await step({ op: 'complete', keys: ['short'], token: 't', ms: 1 });
    await step({ op: 'complete', keys: ['long'], token: 't', ms: 60_000 });
    expect(await storage.getAlarm()).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await object.alarm();
    expect([...(await storage.list())].map(([key]) => key)).toEqual(['long']);
  });
});
