// The receiver's side of `pnpm bench`: deliveries verified (`verifyRaw`) and handled
// (`handleRaw`: claim, an empty handler, mark done) per second against bare WebCrypto verify of
// the same signed body (the steps of the handler on Cloudflare's webhooks page: decode the base64
// header, verify, parse; none of the receiver's checks), and the memory that 1000 deliveries in
// flight at once cost.
import { createWebhookReceiver, memorySeenStore } from '@realtimekit-webhooks/receiver';
import { postgresInbox } from '@realtimekit-webhooks/receiver/postgres';
import { redisSeenStore } from '@realtimekit-webhooks/receiver/redis';
import { checkSchema, deliveryPayloads, payloadFormats } from '@realtimekit-webhooks/rules';
import pg from 'pg';
import { createClient } from 'redis';
import { hotspots } from './hotspots.mjs';
import { rotated } from './rotated.mjs';

const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
const ROUNDS = 5;

/** A key pair, and `count` distinct deliveries of `payload` (a counter added) signed with it. */
async function signedDeliveries(payload, count) {
  const pair = await crypto.subtle.generateKey(
    { ...ALGORITHM, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  );
  const deliveries = await Promise.all(
    Array.from({ length: count }, async (_, n) => {
      const bytes = new TextEncoder().encode(JSON.stringify({ ...payload, benchDelivery: n }));
      const signature = new Uint8Array(await crypto.subtle.sign(ALGORITHM, pair.privateKey, bytes));
      return { bytes, signature, base64: btoa(String.fromCharCode(...signature)) };
    }),
  );
  return { publicKey: pair.publicKey, deliveries };
}

/**
 * Deliveries a second for each contender: batches of `batch` concurrent calls, interleaved.
 * `contenders(round)` gives the calls of one round: each round starts from an empty seen store,
 * so every delivery in it is new (a duplicate would skip the work being measured).
 */
async function perSecond(contenders, { batches, batch, rounds }) {
  const warm = contenders('warm-up');
  const totals = Object.fromEntries(Object.keys(warm).map((name) => [name, 0]));
  for (const fn of Object.values(warm))
    await Promise.all(Array.from({ length: batch }, (_, i) => fn(i)));
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, fn] of rotated(Object.entries(contenders(round)), round)) {
      let next = 0;
      const start = process.hrtime.bigint();
      for (let b = 0; b < batches; b += 1) {
        await Promise.all(
          Array.from({ length: batch }, () => {
            next += 1;
            return fn(next);
          }),
        );
      }
      totals[name] += Number(process.hrtime.bigint() - start) / 1e9;
    }
  }
  return Object.fromEntries(
    Object.entries(totals).map(([name, seconds]) => [name, (batches * batch * rounds) / seconds]),
  );
}

/** Microseconds one call of `fn` takes, over `iterations` after a warm-up. */
async function microseconds(fn, iterations) {
  for (let i = 0; i < Math.min(iterations, 2000); i += 1) await fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) await fn();
  return Number(process.hrtime.bigint() - start) / 1e3 / iterations;
}

/**
 * What one delivery's steps cost alone, one at a time: the schema check as the receiver runs it
 * (interpreted from the generated schema), strict UTF-8 decoding plus JSON.parse, and the RSA
 * verify. Says whether compiling the schemas to code could pay: only if the check is a real share
 * of the RSA verify.
 */
async function stepCosts(payload, { publicKey, deliveries }) {
  const [{ bytes, signature }] = deliveries;
  const parsed = JSON.parse(new TextDecoder().decode(bytes));
  const schema = deliveryPayloads[payload.event];
  const strict = new TextDecoder('utf-8', { fatal: true });
  return {
    'schema check': await microseconds(
      () => checkSchema(schema, parsed, 'payload', payloadFormats, []),
      200_000,
    ),
    'strict UTF-8 decode + JSON.parse': await microseconds(
      () => JSON.parse(strict.decode(bytes)),
      200_000,
    ),
    'RSA-2048 verify (crypto.subtle)': await microseconds(
      () => crypto.subtle.verify(ALGORITHM, publicKey, signature, bytes),
      3_000,
    ),
  };
}

/** Peak growth of rss and of heap + array buffers while 1000 deliveries are verified at once. */
async function peakMemory(receiverFor, delivery) {
  const receiver = receiverFor();
  globalThis.gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed + base.arrayBuffers;
  const sample = () => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed + now.arrayBuffers);
  };
  const timer = setInterval(sample, 1);
  await Promise.all(
    Array.from({ length: 1000 }, (_, i) =>
      receiver.verify(
        new Request('https://service.example/rtk', {
          method: 'POST',
          body: delivery.bytes,
          headers: {
            'rtk-signature': delivery.base64,
            'rtk-uuid': `mem-${i}`,
            'rtk-webhook-id': 'w',
          },
        }),
      ),
    ),
  );
  sample();
  clearInterval(timer);
  return { rss: peakRss - base.rss, heap: peakHeap - (base.heapUsed + base.arrayBuffers) };
}

/**
 * Runs both measurements; `payload` is a documented delivery body. With `redisUrl`, receivers
 * whose seen store is Redis (one script a step) run beside the in-memory ones; with
 * `postgresUrl`, a receiver on the PostgreSQL inbox whose handler writes one row in the inbox's
 * transaction (exactly-once effects).
 */
export async function benchReceiver(payload, { redisUrl, postgresUrl, profile = [] } = {}) {
  const batches = 60;
  const batch = 50;
  const { publicKey, deliveries } = await signedDeliveries(payload, batches * batch + 1);
  const redis = redisUrl ? await createClient({ url: redisUrl }).connect() : undefined;
  const pool = postgresUrl ? new pg.Pool({ connectionString: postgresUrl, max: 10 }) : undefined;
  if (pool) {
    await postgresInbox(pool, { namespace: 'bench' }).migrate();
    await pool.query('CREATE TABLE IF NOT EXISTS bench_effects (delivery_id text)');
  }
  // The effect of the PostgreSQL row: one insert through the transaction the inbox gives.
  const writeEffect = (delivery, tx) =>
    tx.query('INSERT INTO bench_effects (delivery_id) VALUES ($1)', [delivery.id]);
  const headers = (n, id) => ({
    'rtk-signature': deliveries[n].base64,
    'rtk-uuid': id,
    'rtk-webhook-id': 'w',
  });
  const handler = () => {};
  // The default store as a long-running service has it: 30,000 deliveries later, holding its
  // most keys (20,000) and forgetting the oldest two with each new delivery. One a round, as the
  // other stores (the same signed bodies come back each round), all filled before the warm-up so
  // the garbage of filling them is not collected on any contender's time.
  const fullStores = new Map();
  const fullStore = (round) => {
    if (!fullStores.has(round)) {
      const store = memorySeenStore();
      for (let i = 0; i < 30_000; i += 1)
        store.complete([`old-a${i}`, `old-b${i}`], 'old', 86_400_000);
      fullStores.set(round, store);
    }
    return fullStores.get(round);
  };
  for (const round of ['warm-up', ...Array.from({ length: ROUNDS }, (_, i) => i)]) fullStore(round);
  // Each contender gets a store of its own, new each round: nothing it sees is a duplicate.
  const contenders = (round) => {
    const receiver = (seen) => createWebhookReceiver({ publicKey, ...(seen && { seen }) });
    const onRedis = (name) =>
      redis && receiver(redisSeenStore(redis, { namespace: `${name}-${round}` }));
    const [verifying, handling] = [receiver(), receiver()];
    const verifyingWhenFull = receiver(fullStore(round));
    const [verifyingOnRedis, handlingOnRedis] = [onRedis('verify'), onRedis('handle')];
    const handlingOnPostgres =
      pool && receiver(postgresInbox(pool, { namespace: `handle-${round}` }));
    const handled = async (on, n, id, work = handler) => {
      const result = await on.handleRaw(deliveries[n].bytes, headers(n, id), work);
      if (result.body !== 'handled')
        throw new Error(`not handled: ${result.status} ${result.body}`);
    };
    return {
      // Cloudflare's steps: decode the base64 header, verify the raw body, parse it.
      'bare WebCrypto verify': async (n) => {
        const { base64, bytes } = deliveries[n];
        const binary = atob(base64);
        const signature = new Uint8Array(binary.length);
        for (let i = 0; i < binary.length; i += 1) signature[i] = binary.charCodeAt(i);
        if (!(await crypto.subtle.verify(ALGORITHM, publicKey, signature, bytes)))
          throw new Error('bad signature');
        return JSON.parse(new TextDecoder().decode(bytes));
      },
      'verify, memory store': (n) => verifying.verifyRaw(deliveries[n].bytes, headers(n, `v-${n}`)),
      'verify, memory store holding its most keys': (n) =>
        verifyingWhenFull.verifyRaw(deliveries[n].bytes, headers(n, `f-${n}`)),
      'handle, memory store': (n) => handled(handling, n, `h-${n}`),
      ...(redis && {
        'verify, Redis store': (n) =>
          verifyingOnRedis.verifyRaw(deliveries[n].bytes, headers(n, `rv-${n}`)),
        'handle, Redis store': (n) => handled(handlingOnRedis, n, `rh-${n}`),
      }),
      ...(pool && {
        'handle, PostgreSQL inbox (one row written in its transaction)': (n) =>
          handled(handlingOnPostgres, n, `ph-${n}`, writeEffect),
      }),
    };
  };
  const rates = await perSecond(contenders, { batches, batch, rounds: ROUNDS });
  // Where the time goes in the contenders asked for, on fresh stores (nothing is a duplicate).
  const profiles = {};
  for (const [index, name] of profile.entries()) {
    const fn = contenders(`profile${index}`)[name];
    if (!fn) continue;
    profiles[name] = await hotspots(async () => {
      for (let b = 0; b < batches; b += 1) {
        await Promise.all(Array.from({ length: batch }, (_, i) => fn(b * batch + i + 1)));
      }
    });
  }
  redis?.destroy();
  await pool?.end();
  const memory = await peakMemory(() => createWebhookReceiver({ publicKey }), {
    ...deliveries[0],
  });
  const steps = await stepCosts(payload, { publicKey, deliveries });
  return { rates, profiles, memory, steps, bodyBytes: deliveries[0].bytes.byteLength };
}
