// The receiver's side of `pnpm bench`: deliveries verified (`verifyRaw`) and handled
// (`handleRaw`: claim, an empty handler, mark done) per second against bare WebCrypto verify of
// the same signed body (the steps of the handler on Cloudflare's webhooks page: decode the base64
// header, verify, parse; none of the receiver's checks), and the memory that 1000 deliveries in
// flight at once cost.
import { createWebhookReceiver } from '@realtimekit-webhooks/receiver';
import { redisSeenStore } from '@realtimekit-webhooks/receiver/redis';
import { createClient } from 'redis';

const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

async function signedDelivery(payload) {
  const pair = await crypto.subtle.generateKey(
    { ...ALGORITHM, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  );
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  const signature = new Uint8Array(await crypto.subtle.sign(ALGORITHM, pair.privateKey, bytes));
  return {
    publicKey: pair.publicKey,
    bytes,
    signature,
    base64: btoa(String.fromCharCode(...signature)),
  };
}

/** Deliveries a second for each contender: batches of `batch` concurrent calls, interleaved. */
async function perSecond(fns, { batches, batch, rounds }) {
  const totals = Object.fromEntries(Object.keys(fns).map((name) => [name, 0]));
  for (const fn of Object.values(fns))
    await Promise.all(Array.from({ length: batch }, (_, i) => fn(i)));
  let next = 0;
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, fn] of Object.entries(fns)) {
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
 * whose seen store is Redis (one script a step) run beside the in-memory ones.
 */
export async function benchReceiver(payload, { redisUrl } = {}) {
  const delivery = await signedDelivery(payload);
  const receiver = createWebhookReceiver({ publicKey: delivery.publicKey });
  const redis = redisUrl ? await createClient({ url: redisUrl }).connect() : undefined;
  const onRedis =
    redis && createWebhookReceiver({ publicKey: delivery.publicKey, seen: redisSeenStore(redis) });
  const headers = (id) => ({
    'rtk-signature': delivery.base64,
    'rtk-uuid': id,
    'rtk-webhook-id': 'w',
  });
  const handler = () => {};
  const fns = {
    'bare WebCrypto verify': async () => {
      if (
        !(await crypto.subtle.verify(
          ALGORITHM,
          delivery.publicKey,
          delivery.signature,
          delivery.bytes,
        ))
      )
        throw new Error('bad signature');
      return JSON.parse(new TextDecoder().decode(delivery.bytes));
    },
    'verify, memory store': (i) => receiver.verifyRaw(delivery.bytes, headers(`verify-${i}`)),
    'handle, memory store': (i) =>
      receiver.handleRaw(delivery.bytes, headers(`handle-${i}`), handler),
    ...(onRedis && {
      'verify, Redis store': (i) => onRedis.verifyRaw(delivery.bytes, headers(`verify-redis-${i}`)),
      'handle, Redis store': (i) =>
        onRedis.handleRaw(delivery.bytes, headers(`handle-redis-${i}`), handler),
    }),
  };
  const rates = await perSecond(fns, { batches: 20, batch: 50, rounds: 5 });
  redis?.destroy();
  const memory = await peakMemory(
    () => createWebhookReceiver({ publicKey: delivery.publicKey }),
    delivery,
  );
  return { rates, memory, bodyBytes: delivery.bytes.byteLength };
}
