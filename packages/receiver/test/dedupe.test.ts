// De-duplication: RealtimeKit's retries (same rtk-uuid) and replays (same signed body under a
// forged rtk-uuid) are both flagged; a failed handler can let the retry through; a failing store
// refuses the delivery with a retryable status instead of processing it unchecked.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createWebhookReceiver,
  memorySeenStore,
  type SeenStore,
  WebhookVerificationError,
} from '../src/index.js';
import { deliveryHeaders, exampleFor, makeSigner } from './helpers.js';

let signer: Awaited<ReturnType<typeof makeSigner>>;
let signature: string;
const body = JSON.stringify(exampleFor('meeting.ended'));
const otherBody = JSON.stringify(exampleFor('meeting.started'));
beforeAll(async () => {
  signer = await makeSigner();
  signature = await signer.sign(body);
});

/** A store that records every key it is asked to mark and has seen none. */
function recordingStore() {
  const keys: string[] = [];
  const store: SeenStore = {
    markSeen: (key) => {
      keys.push(key);
      return false;
    },
    forget() {},
  };
  return { keys, store };
}

function receiverWith(seen?: SeenStore, seenTtlMs?: number) {
  return createWebhookReceiver({ publicKey: signer.publicKeyPem, seen, seenTtlMs });
}

describe('what counts as a duplicate', () => {
  // [case, first (body, rtk-uuid), second (body, rtk-uuid), second is a duplicate]
  const table: [string, [string, string], [string, string], boolean][] = [
    ["RealtimeKit's retry: same id, same body", [body, 'a'], [body, 'a'], true],
    ['a replay under a fresh rtk-uuid: same body', [body, 'a'], [body, 'forged-fresh-id'], true],
    ['another delivery: new id, new body', [body, 'a'], [otherBody, 'b'], false],
    ['same id with another signed body', [body, 'a'], [otherBody, 'a'], true],
  ];

  it.each(table)('%s', async (_name, [firstBody, firstId], [secondBody, secondId], expected) => {
    const receiver = receiverWith();
    const sign = async (text: string) => deliveryHeaders(await signer.sign(text), undefined);
    const first = await receiver.verifyRaw(firstBody, {
      ...(await sign(firstBody)),
      'rtk-uuid': firstId,
    });
    const second = await receiver.verifyRaw(secondBody, {
      ...(await sign(secondBody)),
      'rtk-uuid': secondId,
    });
    expect([first.duplicate, second.duplicate]).toEqual([false, expected]);
  });

  it('keys the signed body on its signature bytes, not on how they were spelt', async () => {
    const receiver = receiverWith();
    const first = await receiver.verifyRaw(body, deliveryHeaders(signature, 'spelling-1'));
    expect(first.replayKey).toBe(
      Buffer.from(signature, 'base64').subarray(0, 48).toString('base64'),
    );
    // Another spelling of the same bytes: the padded last group has slack bits that decoders
    // ignore. It still verifies, so only keying on the bytes' canonical spelling catches it.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const last = signature.replace(/=+$/, '').length - 1;
    const respelling = `${signature.slice(0, last)}${alphabet[alphabet.indexOf(signature[last] as string) ^ 1]}${signature.slice(last + 1)}`;
    expect(respelling).not.toBe(signature);
    expect(Buffer.from(respelling, 'base64')).toEqual(Buffer.from(signature, 'base64'));
    const respelt = await receiver.verifyRaw(body, deliveryHeaders(respelling, 'spelling-2'));
    expect(respelt.duplicate).toBe(true);
  });
});

describe('forget', () => {
  it('lets the retry of a delivery whose handler failed through, under either key', async () => {
    const receiver = receiverWith();
    const first = await receiver.verifyRaw(body, deliveryHeaders(signature, 'retry-me'));
    await receiver.forget(first);
    const retry = await receiver.verifyRaw(body, deliveryHeaders(signature, 'retry-me'));
    expect(retry.duplicate).toBe(false);
    expect((await receiver.verifyRaw(body, deliveryHeaders(signature, 'retry-me'))).duplicate).toBe(
      true,
    );
  });
});

describe('what reaches the store', () => {
  it('nothing from a forged request', async () => {
    const { keys, store } = recordingStore();
    await receiverWith(store)
      .verifyRaw(body, deliveryHeaders(await signer.sign('forged'), 'victim'))
      .catch(() => undefined);
    expect(keys).toEqual([]);
  });

  it('two keys a delivery, each at most 140 characters', async () => {
    const { keys, store } = recordingStore();
    const id = 'u'.repeat(128);
    await receiverWith(store).verifyRaw(body, deliveryHeaders(signature, id));
    expect(keys).toEqual([
      `rtk-uuid:${id}`,
      expect.stringMatching(/^signed-body:[A-Za-z0-9+/]{64}$/),
    ]);
    expect(Math.max(...keys.map((key) => key.length))).toBeLessThanOrEqual(140);
  });

  it('refuses an rtk-uuid over 128 characters before it is stored (400)', async () => {
    const error = await receiverWith()
      .verifyRaw(body, deliveryHeaders(signature, 'u'.repeat(129)))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error).toMatchObject({ reason: 'invalid-header', status: 400 });
  });

  it('none with seen: false', async () => {
    const receiver = createWebhookReceiver({ publicKey: signer.publicKeyPem, seen: false });
    await receiver.verifyRaw(body, deliveryHeaders(signature, 'y'));
    expect((await receiver.verifyRaw(body, deliveryHeaders(signature, 'y'))).duplicate).toBe(false);
  });
});

describe('a failing store', () => {
  it('refuses the delivery with 503 (RealtimeKit retries), never processes it unchecked', async () => {
    const store: SeenStore = {
      markSeen: () => Promise.reject(new Error('connection refused')),
      forget() {},
    };
    const error = await receiverWith(store)
      .verifyRaw(body, deliveryHeaders(signature))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error).toMatchObject({ reason: 'store-unavailable', status: 503 });
  });

  it('undoes a half-made mark, so the retry is not taken for a duplicate', async () => {
    const memory = memorySeenStore();
    let failBodyKeys = true;
    const store: SeenStore = {
      markSeen: (key, ttlMs) => {
        if (failBodyKeys && key.startsWith('signed-body:')) throw new Error('timeout');
        return memory.markSeen(key, ttlMs);
      },
      forget: (key) => memory.forget(key),
    };
    const receiver = receiverWith(store);
    const refused = await receiver
      .verifyRaw(body, deliveryHeaders(signature, 'half'))
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ reason: 'store-unavailable' });
    failBodyKeys = false;
    const retry = await receiver.verifyRaw(body, deliveryHeaders(signature, 'half'));
    expect(retry.duplicate).toBe(false);
  });
});

describe('two replicas racing on one shared store', () => {
  /** A view of one shared key set whose answers come after a delay per key kind, like a network. */
  function delayedStore(shared: Set<string>, delays: { id: number; body: number }): SeenStore {
    return {
      markSeen: (key) =>
        new Promise((resolve) =>
          setTimeout(
            () => {
              const seen = shared.has(key);
              shared.add(key);
              resolve(seen);
            },
            key.startsWith('rtk-uuid:') ? delays.id : delays.body,
          ),
        ),
      forget: (key) => {
        shared.delete(key);
      },
    };
  }

  it('handle a delivery exactly once when each would win a different key', async () => {
    // Replica A reaches the id first and the body last; replica B the other way round. Marking
    // both keys at once made each see the other's key, so neither handled the delivery.
    const shared = new Set<string>();
    const a = receiverWith(delayedStore(shared, { id: 0, body: 20 }));
    const b = receiverWith(delayedStore(shared, { id: 10, body: 0 }));
    const results = await Promise.all([
      a.verifyRaw(body, deliveryHeaders(signature, 'raced')),
      b.verifyRaw(body, deliveryHeaders(signature, 'raced')),
    ]);
    expect(results.map((d) => d.duplicate).sort()).toEqual([false, true]);
  });
});

describe('the in-memory store', () => {
  const DAY = 86_400_000;
  it('keeps at most maxEntries keys, forgetting the oldest', () => {
    const store = memorySeenStore(2);
    expect([store.markSeen('a', DAY), store.markSeen('b', DAY), store.markSeen('c', DAY)]).toEqual([
      false,
      false,
      false,
    ]);
    expect(store.markSeen('a', DAY)).toBe(false); // evicted when c came in
    expect(store.markSeen('c', DAY)).toBe(true);
  });

  it('forgets a key once its time to live has passed, not before', () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-27T00:00:00Z') });
    try {
      const store = memorySeenStore();
      expect(store.markSeen('k', 1_000)).toBe(false);
      vi.advanceTimersByTime(999);
      expect(store.markSeen('k', 1_000)).toBe(true);
      vi.advanceTimersByTime(2);
      expect(store.markSeen('k', 1_000)).toBe(false); // expired: new again, for another second
      expect(store.markSeen('k', 1_000)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('the receiver passes its seenTtlMs to the store', async () => {
    const ttls: number[] = [];
    const receiver = receiverWith(
      {
        markSeen: (_key, ttl) => {
          ttls.push(ttl);
          return false;
        },
        forget: () => {},
      },
      5_000,
    );
    await receiver.verifyRaw(body, deliveryHeaders(signature, 'ttl'));
    expect(ttls).toEqual([5_000, 5_000]);
  });
});
