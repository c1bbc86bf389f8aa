// The fetched key is kept for a bounded time and refreshed after a failed signature, so a key
// rotation loses no delivery: RealtimeKit retries 5xx answers and drops every other non-2xx, and
// the receiver answers 503 (never 401) whenever a fresher key might still verify.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createWebhookReceiver,
  type WebhookReceiver,
  WebhookVerificationError,
} from '../src/index.js';
import { keyLifetimeMs } from '../src/signing-key.js';
import { deliveryHeaders, exampleFor, keyAnswer, makeSigner } from './helpers.js';

type Signer = Awaited<ReturnType<typeof makeSigner>>;
let keyA: Signer;
let keyB: Signer;
beforeAll(async () => {
  [keyA, keyB] = await Promise.all([makeSigner(), makeSigner()]);
});

const start = new Date('2026-11-27T10:00:00.000Z').getTime();
beforeEach(() => {
  // Both clocks: the system clock (Date) and the monotonic one keys are timed on (performance).
  vi.useFakeTimers({ toFake: ['Date', 'performance'] });
  vi.setSystemTime(start);
});
afterEach(() => {
  vi.useRealTimers();
});
/** Time passes: both clocks move. */
const advance = (ms: number) => vi.advanceTimersByTime(ms);
/** The system clock is stepped (NTP, an operator): only Date moves. */
const stepClock = (ms: number) => vi.setSystemTime(Date.now() + ms);

/** RealtimeKit's key URL, serving whichever key is current, counting fetches. */
function keyServer(initial: Signer, cacheControl?: string) {
  const server = {
    current: initial,
    fetches: 0,
    failing: false,
    fetch: async (_request: Request) => {
      server.fetches += 1;
      if (server.failing) return new Response('unavailable', { status: 502 });
      return keyAnswer(server.current.publicKeyPem, cacheControl);
    },
  };
  return server;
}

let sequence = 0;
/** A delivery signed with `signer`, as RealtimeKit would send it (a fresh body and id). */
async function signedDelivery(signer: Signer) {
  sequence += 1;
  const body = JSON.stringify({ ...exampleFor('meeting.started'), sequence });
  return { body, headers: deliveryHeaders(await signer.sign(body), `rotation-${sequence}`) };
}

/** The status a receiver answers, as a handler following the README would give it. */
async function answer(receiver: WebhookReceiver, delivery: { body: string; headers: object }) {
  try {
    await receiver.verifyRaw(delivery.body, delivery.headers as Record<string, string>);
    return 204;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.status;
    throw error;
  }
}

/**
 * RealtimeKit's documented retry policy: a 2xx is delivered, a 5xx is retried (here every 30 s,
 * up to 10 times), anything else is recorded as failed and never sent again.
 */
async function deliverLikeRealtimeKit(
  receiver: WebhookReceiver,
  delivery: { body: string; headers: object },
) {
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const status = await answer(receiver, delivery);
    statuses.push(status);
    if (status < 300) return { delivered: true, statuses };
    if (status < 500) return { delivered: false, statuses };
    advance(30_000);
  }
  return { delivered: false, statuses };
}

describe('key rotation under a running receiver', () => {
  it('loses no delivery signed before, across or after the rotation', async () => {
    const server = keyServer(keyA, 'max-age=3600');
    const receiver = createWebhookReceiver({ fetch: server.fetch });
    const outcomes: boolean[] = [];
    for (let i = 0; i < 5; i += 1) {
      outcomes.push((await deliverLikeRealtimeKit(receiver, await signedDelivery(keyA))).delivered);
    }
    const signedWithA = await signedDelivery(keyA); // in RealtimeKit's retry queue at the rotation
    advance(10_000);
    server.current = keyB;
    const first = await deliverLikeRealtimeKit(receiver, await signedDelivery(keyB));
    outcomes.push(first.delivered);
    for (let i = 0; i < 5; i += 1) {
      outcomes.push((await deliverLikeRealtimeKit(receiver, await signedDelivery(keyB))).delivered);
    }
    outcomes.push((await deliverLikeRealtimeKit(receiver, signedWithA)).delivered);
    expect(outcomes.every(Boolean)).toBe(true);
    // The first B delivery came 10 s after A was fetched: answered 503 until a refetch was allowed.
    expect(first.statuses).toEqual([503, 503, 204]);
    expect(server.fetches).toBe(2);
  });

  it('refetches at once when the held key is over a minute old', async () => {
    const server = keyServer(keyA);
    const receiver = createWebhookReceiver({ fetch: server.fetch });
    expect(await answer(receiver, await signedDelivery(keyA))).toBe(204);
    advance(5 * 60_000);
    server.current = keyB;
    expect(await answer(receiver, await signedDelivery(keyB))).toBe(204);
    expect(server.fetches).toBe(2);
  });

  it('shares one refetch among concurrent deliveries signed with the new key', async () => {
    const server = keyServer(keyA);
    const receiver = createWebhookReceiver({ fetch: server.fetch });
    await answer(receiver, await signedDelivery(keyA));
    advance(2 * 60_000);
    server.current = keyB;
    const deliveries = await Promise.all(Array.from({ length: 20 }, () => signedDelivery(keyB)));
    const statuses = await Promise.all(deliveries.map((delivery) => answer(receiver, delivery)));
    expect(statuses).toEqual(Array(20).fill(204));
    expect(server.fetches).toBe(2);
  });

  it('answers 401 to a forgery once the key was fetched after it arrived, and refetches at most once a minute', async () => {
    const server = keyServer(keyA);
    const receiver = createWebhookReceiver({ fetch: server.fetch });
    const forger = await makeSigner();
    // The first delivery loads the key after arriving: that key is authoritative for it.
    expect(await answer(receiver, await signedDelivery(forger))).toBe(401);
    const statuses: number[] = [];
    for (let second = 0; second < 300; second += 5) {
      advance(5_000);
      statuses.push(await answer(receiver, await signedDelivery(forger)));
    }
    expect(statuses.filter((status) => status < 500 && status !== 401)).toEqual([]);
    expect(server.fetches).toBeLessThanOrEqual(1 + 5); // the first load, then one a minute
  });
});

describe('the reason word for a signature no held key matches', () => {
  /** The refusal `receiver` gives `delivery`. */
  async function refusal(receiver: WebhookReceiver, delivery: { body: string; headers: object }) {
    return receiver.verifyRaw(delivery.body, delivery.headers as Record<string, string>).then(
      () => undefined,
      (error: unknown) => error as WebhookVerificationError,
    );
  }

  it('within the refetch window: 503 signature-unconfirmed, not a claim that the key is missing; then 401', async () => {
    const server = keyServer(keyA);
    const receiver = createWebhookReceiver({ fetch: server.fetch });
    const forger = await makeSigner();
    await answer(receiver, await signedDelivery(keyA));
    advance(10_000);
    const forged = await signedDelivery(forger);
    const early = await refusal(receiver, forged);
    expect(early).toMatchObject({ reason: 'signature-unconfirmed', status: 503 });
    expect(early?.message).not.toMatch(/unavailable|could not be fetched/);
    advance(60_000);
    expect(await refusal(receiver, forged)).toMatchObject({ reason: 'bad-signature', status: 401 });
  });

  it('when the refetch fails, or failed under a minute ago: 503 key-unavailable, naming the key URL', async () => {
    const server = keyServer(keyA);
    const receiver = createWebhookReceiver({ fetch: server.fetch });
    await answer(receiver, await signedDelivery(keyA));
    advance(2 * 60_000);
    server.failing = true;
    const now = await refusal(receiver, await signedDelivery(keyB));
    expect(now).toMatchObject({ reason: 'key-unavailable', status: 503 });
    expect(now?.message).toMatch(/502/);
    advance(10_000);
    const soon = await refusal(receiver, await signedDelivery(keyB));
    expect(soon).toMatchObject({ reason: 'key-unavailable', status: 503 });
  });
});

describe('how long a fetched key is kept', () => {
  it.each([
    [null, 60 * 60_000],
    ['max-age=600', 600_000],
    ['public, max-age="120"', 120_000],
    ['max-age=5', 60_000],
    ['no-store', 60_000],
    ['max-age=9999999', 24 * 60 * 60_000],
    ['private', 60 * 60_000],
  ])('Cache-Control %s: %i ms', (header, expected) => {
    expect(keyLifetimeMs(header)).toBe(expected);
  });

  it('is fetched again once its max-age has passed', async () => {
    const server = keyServer(keyA, 'max-age=120');
    const receiver = createWebhookReceiver({ fetch: server.fetch });
    await answer(receiver, await signedDelivery(keyA));
    advance(119_000);
    await answer(receiver, await signedDelivery(keyA));
    expect(server.fetches).toBe(1);
    advance(2_000);
    await answer(receiver, await signedDelivery(keyA));
    expect(server.fetches).toBe(2);
  });

  it('a kept key still verifies while the key URL fails; an unknown key gets 503, never 401', async () => {
    const server = keyServer(keyA, 'max-age=120');
    const receiver = createWebhookReceiver({ fetch: server.fetch });
    const delivery = await signedDelivery(keyA);
    await answer(receiver, await signedDelivery(keyA));
    advance(121_000);
    server.failing = true;
    expect(await answer(receiver, delivery)).toBe(204);
    expect(await answer(receiver, await signedDelivery(keyB))).toBe(503);
  });

  it('answers 503 when the refetch after a failed signature fails', async () => {
    const server = keyServer(keyA);
    const receiver = createWebhookReceiver({ fetch: server.fetch });
    await answer(receiver, await signedDelivery(keyA));
    advance(2 * 60_000);
    server.current = keyB;
    server.failing = true;
    const delivery = await signedDelivery(keyB);
    expect(await answer(receiver, delivery)).toBe(503);
    server.failing = false;
    advance(60_000);
    expect(await answer(receiver, delivery)).toBe(204);
  });
});

describe('rotation that no forgery disturbs', () => {
  it('a junk signature right after a rotation does not drop the key RealtimeKit still retries with', async () => {
    const server = keyServer(keyA);
    const receiver = createWebhookReceiver({ fetch: server.fetch });
    const signedBefore = await signedDelivery(keyA);
    expect(await answer(receiver, await signedDelivery(keyA))).toBe(204);
    advance(2 * 60_000);
    server.current = keyB; // rotated
    const forger = await makeSigner();
    expect(await answer(receiver, await signedDelivery(forger))).toBe(401); // refetched: B added
    // RealtimeKit's retry of a delivery signed before the rotation, and a new one: both verify.
    expect(await answer(receiver, signedBefore)).toBe(204);
    expect(await answer(receiver, await signedDelivery(keyB))).toBe(204);
    expect(server.fetches).toBe(2);
  });

  it("keeps a rotated key for the receiver's retry horizon, whatever its cache lifetime", async () => {
    const server = keyServer(keyA, 'max-age=120');
    const receiver = createWebhookReceiver({ fetch: server.fetch, seenTtlMs: 6 * 60 * 60_000 });
    const signedBefore = await signedDelivery(keyA);
    expect(await answer(receiver, await signedDelivery(keyA))).toBe(204);
    server.current = keyB;
    advance(3 * 60 * 60_000); // three hours: far past A's max-age
    expect(await answer(receiver, await signedDelivery(keyB))).toBe(204);
    expect(await answer(receiver, signedBefore)).toBe(204);
    advance(4 * 60 * 60_000); // past the horizon A was last served in: gone
    expect(await answer(receiver, signedBefore)).toBeGreaterThanOrEqual(401);
  });

  it('a key published before it is used verifies as soon as it is served, without another fetch', async () => {
    const server = keyServer(keyA, 'max-age=120');
    const receiver = createWebhookReceiver({ fetch: server.fetch });
    expect(await answer(receiver, await signedDelivery(keyA))).toBe(204);
    server.current = keyB; // published; RealtimeKit still signs with A
    advance(121_000);
    expect(await answer(receiver, await signedDelivery(keyA))).toBe(204); // refetched: B added, A kept
    expect(server.fetches).toBe(2);
    expect(await answer(receiver, await signedDelivery(keyB))).toBe(204);
    expect(server.fetches).toBe(2);
  });

  it.each([
    ['forward two days', 2 * 24 * 60 * 60_000],
    ['back a day', -24 * 60 * 60_000],
  ])('a system clock stepped %s neither expires nor revives a key', async (_name, step) => {
    const server = keyServer(keyA, 'max-age=600');
    const receiver = createWebhookReceiver({ fetch: server.fetch });
    expect(await answer(receiver, await signedDelivery(keyA))).toBe(204);
    stepClock(step);
    expect(await answer(receiver, await signedDelivery(keyA))).toBe(204);
    expect(server.fetches).toBe(1);
    advance(601_000); // real time past max-age: fetched again, on the monotonic clock
    expect(await answer(receiver, await signedDelivery(keyA))).toBe(204);
    expect(server.fetches).toBe(2);
  });

  it('asks a failing key URL at most once a minute, however many deliveries arrive', async () => {
    const server = keyServer(keyA);
    server.failing = true;
    const receiver = createWebhookReceiver({ fetch: server.fetch });
    const statuses: number[] = [];
    for (let i = 0; i < 100; i += 1) {
      statuses.push(await answer(receiver, await signedDelivery(keyA)));
      advance(500); // 100 deliveries over 50 s
    }
    expect(new Set(statuses)).toEqual(new Set([503]));
    expect(server.fetches).toBe(1);
    advance(11_000);
    server.failing = false;
    expect(await answer(receiver, await signedDelivery(keyA))).toBe(204);
    expect(server.fetches).toBe(2);
  });
});
