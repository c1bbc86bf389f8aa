// De-duplication: RealtimeKit's retries (same rtk-uuid) and replays (same signed body under a
// forged rtk-uuid) are both flagged; a failed handler can let the retry through; a failing store
// refuses the delivery with a retryable status instead of processing it unchecked.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type ClaimResult,
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

/** A memory store that records every key it is asked to mark (complete). */
function recordingStore() {
  const keys: string[] = [];
  const memory = memorySeenStore();
  const store: SeenStore = {
    ...memory,
    complete: (marked, token, ttlMs) => {
      keys.push(...marked);
      return memory.complete(marked, token, ttlMs);
    },
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
      ...memorySeenStore(),
      complete: () => Promise.reject(new Error('connection refused')),
    };
    const error = await receiverWith(store)
      .verifyRaw(body, deliveryHeaders(signature))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error).toMatchObject({ reason: 'store-unavailable', status: 503 });
  });

  it('takes back a mark whose answer was lost, so the retry is not taken for a duplicate', async () => {
    const memory = memorySeenStore();
    let loseAnswers = true;
    const store: SeenStore = {
      ...memory,
      // The mark lands, but its answer never arrives (a timeout after the write).
      complete: (keys, token, ttlMs) => {
        const result = memory.complete(keys, token, ttlMs);
        if (loseAnswers) throw new Error('timeout');
        return result;
      },
    };
    const receiver = receiverWith(store);
    const refused = await receiver
      .verifyRaw(body, deliveryHeaders(signature, 'lost-answer'))
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ reason: 'store-unavailable', status: 503 });
    loseAnswers = false;
    const retry = await receiver.verifyRaw(body, deliveryHeaders(signature, 'lost-answer'));
    expect(retry.duplicate).toBe(false);
  });
});

describe('two replicas racing on one shared store', () => {
  it('handle a delivery exactly once, whatever order their steps reach the store in', async () => {
    // Both replicas' marks reach one shared store after different delays; each mark is one step
    // over both keys, so no interleaving lets each win one key and both drop the delivery.
    const shared = memorySeenStore();
    const delayed = (ms: number): SeenStore => ({
      ...shared,
      complete: (keys, token, ttlMs) =>
        new Promise((resolve) =>
          setTimeout(() => resolve(shared.complete(keys, token, ttlMs)), ms),
        ),
    });
    for (const [delayA, delayB] of [
      [0, 10],
      [10, 0],
      [5, 5],
    ] as const) {
      const id = `raced-${delayA}-${delayB}`;
      const text = JSON.stringify({ ...exampleFor('meeting.ended'), raced: id });
      const signed = await signer.sign(text);
      const results = await Promise.all([
        receiverWith(delayed(delayA)).verifyRaw(text, deliveryHeaders(signed, id)),
        receiverWith(delayed(delayB)).verifyRaw(text, deliveryHeaders(signed, id)),
      ]);
      expect(results.map((d) => d.duplicate).sort()).toEqual([false, true]);
    }
  });
});

describe('replays cannot flood the store', () => {
  it('20,000 replays of a captured delivery leave no key, so the store still knows every other delivery', async () => {
    const receiver = receiverWith(memorySeenStore(100));
    const known = await receiver.verifyRaw(
      otherBody,
      deliveryHeaders(await signer.sign(otherBody), 'known'),
    );
    expect(known.duplicate).toBe(false);
    await receiver.verifyRaw(body, deliveryHeaders(signature, 'captured'));
    for (let i = 0; i < 20_000; i += 1) {
      const replay = await receiver.verifyRaw(body, deliveryHeaders(signature, `forged-${i}`));
      if (!replay.duplicate) throw new Error(`replay ${i} was taken for a new delivery`);
    }
    // The known delivery's retry is still a duplicate: 20,000 replays did not push it out.
    const retry = await receiver.verifyRaw(
      otherBody,
      deliveryHeaders(await signer.sign(otherBody), 'known'),
    );
    expect(retry.duplicate).toBe(true);
  });
});

describe('the in-memory store', () => {
  const DAY = 86_400_000;
  it('keeps at most maxEntries keys, forgetting the oldest', () => {
    const store = memorySeenStore(2);
    const mark = (key: string) => store.complete([key], `t-${key}`, DAY);
    expect([mark('a'), mark('b'), mark('c')]).toEqual(['completed', 'completed', 'completed']);
    expect(mark('a')).toBe('completed'); // evicted when c came in
    expect(store.complete(['c'], 'another', DAY)).toBe('done');
  });

  it('forgets exactly the oldest keys over thousands of evictions, rewritten and released keys among them', () => {
    // A store of 5 against a list of the 5 most recently written keys, through a seeded mix of
    // marks and releases over 12 keys: a release leaves a gap, a key marked again after one moves
    // to the end. What the store holds is read with claims (released again), which leave marks
    // alone.
    const store = memorySeenStore(5);
    const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
    const held = () =>
      keys.filter((key) => {
        // The memory store answers at once, never with a promise.
        const { state } = store.claim([key], 'probe', 60_000) as ClaimResult;
        if (state === 'claimed') store.release([key], 'probe');
        return state === 'done';
      });
    let recent: string[] = [];
    let evictions = 0;
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 48_271) % 2_147_483_647; // Park-Miller: every bit varies
      return Math.floor((seed / 2_147_483_647) * n);
    };
    for (let step = 0; step < 5_000; step += 1) {
      const key = keys[random(keys.length)] as string;
      if (random(4) === 0) {
        store.release([key]);
        recent = recent.filter((k) => k !== key);
      } else if (store.complete([key], `t${step}`, DAY) === 'completed') {
        recent = [...recent.filter((k) => k !== key), key];
        if (recent.length > 5) {
          recent.shift();
          evictions += 1;
        }
      }
      if (step % 50 === 0) expect(held()).toEqual(keys.filter((k) => recent.includes(k)));
    }
    expect(evictions).toBeGreaterThan(1_000);
  });

  it('forgets a key once its time to live has passed, not before', () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-27T00:00:00Z') });
    try {
      const store = memorySeenStore();
      expect(store.complete(['k'], 'a', 1_000)).toBe('completed');
      vi.advanceTimersByTime(999);
      expect(store.complete(['k'], 'b', 1_000)).toBe('done');
      vi.advanceTimersByTime(2);
      expect(store.complete(['k'], 'c', 1_000)).toBe('completed'); // expired: new again
      expect(store.complete(['k'], 'd', 1_000)).toBe('done');
    } finally {
      vi.useRealTimers();
    }
  });

  it('never forgets a claim in progress to make room: 20,000 other deliveries later it is still busy', () => {
    const store = memorySeenStore();
    const held = ['rtk-uuid:held', 'signed-body:held'];
    expect(store.claim(held, 'holder', 60_000)).toEqual({ state: 'claimed' });
    for (let i = 0; i < 20_000; i += 1) {
      expect(store.complete([`rtk-uuid:${i}`, `signed-body:${i}`], `t${i}`, DAY)).toBe('completed');
    }
    expect(store.claim(held, 'copy', 60_000)).toMatchObject({ state: 'busy' });
    expect(store.complete(held, 'holder', DAY)).toBe('completed');
  });

  it('refuses a claim past maxEntries claims in progress rather than forget one (a 503, retried)', () => {
    const store = memorySeenStore(4);
    expect(store.claim(['a1', 'a2'], 'a', 60_000)).toEqual({ state: 'claimed' });
    expect(store.claim(['b1', 'b2'], 'b', 60_000)).toEqual({ state: 'claimed' });
    expect(() => store.claim(['c1', 'c2'], 'c', 60_000)).toThrow(/claims in progress/);
    expect(store.claim(['a1', 'a2'], 'copy', 60_000)).toMatchObject({ state: 'busy' });
    expect(store.complete(['a1', 'a2'], 'a', DAY)).toBe('completed');
    expect(store.claim(['c1', 'c2'], 'c', 60_000)).toEqual({ state: 'claimed' });
  });

  it('times claims on the monotonic clock: a stepped wall clock frees no live claim', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const store = memorySeenStore();
      expect(store.claim(['k'], 'holder', 60_000)).toEqual({ state: 'claimed' });
      vi.setSystemTime(Date.now() + 7 * DAY); // NTP, a resumed VM
      expect(store.claim(['k'], 'copy', 60_000)).toMatchObject({ state: 'busy' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('the receiver passes its seenTtlMs to the store', async () => {
    const ttls: number[] = [];
    const memory = memorySeenStore();
    const receiver = receiverWith(
      {
        ...memory,
        complete: (keys, token, ttl) => {
          ttls.push(ttl);
          return memory.complete(keys, token, ttl);
        },
      },
      5_000,
    );
    await receiver.verifyRaw(body, deliveryHeaders(signature, 'ttl'));
    expect(ttls).toEqual([5_000]);
  });
});
