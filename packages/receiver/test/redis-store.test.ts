// The Redis store on a real redis-server: replicas in separate processes share it, an outage
// refuses deliveries (503) without processing any unchecked, and keys expire and can be forgotten.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  type RedisServer,
  redisServerForTests,
  startRedisServer,
} from '@realtimekit-webhooks/test-servers/redis-server';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookReceiver, WebhookVerificationError } from '../src/index.js';
import { redisSeenStore } from '../src/redis.js';
import { deliveryHeaders, exampleFor, makeSigner } from './helpers.js';

const available = redisServerForTests('the Redis store');
let redis: RedisServer;
let signer: Awaited<ReturnType<typeof makeSigner>>;

beforeAll(async () => {
  if (!available) return;
  [redis, signer] = await Promise.all([startRedisServer(), makeSigner()]);
});
afterAll(async () => {
  await redis?.stop();
});

/**
 * A delivery of its own: a body naming `id` as the meeting (so its signature, and so its replay
 * key, differ from every other delivery's), signed, with `id` as its rtk-uuid.
 */
async function delivery(id: string) {
  const example = exampleFor('meeting.ended') as { meeting: Record<string, unknown> };
  const body = JSON.stringify({ ...example, meeting: { ...example.meeting, id } });
  return { body, headers: deliveryHeaders(await signer.sign(body), id) };
}

async function deliveries(ids: string[]) {
  return new Map(await Promise.all(ids.map(async (id) => [id, await delivery(id)] as const)));
}

async function connected() {
  const client = createClient({ url: redis.url, socket: { reconnectStrategy: () => 50 } });
  client.on('error', () => {}); // outages are answered per delivery (503)
  await client.connect();
  return client;
}

describe.skipIf(!available)('two replicas sharing one Redis', () => {
  const replicas: { child: ChildProcess; url: string }[] = [];
  beforeAll(async () => {
    const script = fileURLToPath(new URL('./replica/replica.mjs', import.meta.url));
    for (let i = 0; i < 2; i += 1) {
      const child = spawn(
        process.execPath,
        [script, JSON.stringify({ redisUrl: redis.url, publicKey: signer.publicKeyPem })],
        { stdio: ['pipe', 'pipe', 'inherit'] },
      );
      const { port } = await new Promise<{ port: number }>((resolve) =>
        child.stdout?.once('data', (chunk: Buffer) => resolve(JSON.parse(String(chunk)))),
      );
      replicas.push({ child, url: `http://127.0.0.1:${port}` });
    }
  });
  afterAll(() => {
    for (const { child } of replicas) child.stdin?.end();
  });

  it('handle each of 200 deliveries, sent to both at once and retried, exactly once in total', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `delivery-${i}`);
    const signed = await deliveries(ids);
    const send = (url: string | undefined, id: string) =>
      fetch(url ?? '', { method: 'POST', ...signed.get(id) }).then((r) => r.status);
    // Every delivery reaches both replicas at the same moment, then one of them gets a retry.
    const statuses = await Promise.all(
      ids.flatMap((id) => [send(replicas[0]?.url, id), send(replicas[1]?.url, id)]),
    );
    const retries = await Promise.all(ids.map((id, i) => send(replicas[i % 2]?.url, id)));
    expect(new Set([...statuses, ...retries])).toEqual(new Set([204]));
    const perReplica = await Promise.all(
      replicas.map(async ({ url }) => (await (await fetch(url)).json()) as string[]),
    );
    const handled = perReplica.flat();
    expect(handled).toHaveLength(200);
    expect(new Set(handled)).toEqual(new Set(ids));
  });
});

describe.skipIf(!available)('Redis stopped mid-run', () => {
  it('answers 503 while it is down, processes none unchecked, and each retry once after', async () => {
    const client = await connected();
    const receiver = createWebhookReceiver({
      publicKey: signer.publicKeyPem,
      seen: redisSeenStore(client, { timeoutMs: 300 }),
    });
    const signed = await deliveries(['before', 'd1', 'd2', 'd3']);
    const handled: string[] = [];
    const deliver = async (id: string) => {
      const sent = signed.get(id);
      if (!sent) throw new Error(id);
      try {
        const verified = await receiver.verifyRaw(sent.body, sent.headers);
        if (!verified.duplicate) handled.push(verified.id);
        return 204;
      } catch (error) {
        expect(error).toBeInstanceOf(WebhookVerificationError);
        return (error as WebhookVerificationError).status;
      }
    };
    expect(await deliver('before')).toBe(204);
    await redis.stop();
    try {
      expect(await Promise.all(['d1', 'd2', 'd3'].map(deliver))).toEqual([503, 503, 503]);
      expect(handled).toEqual(['before']);
    } finally {
      await redis.start();
    }
    // RealtimeKit retries: once the client has reconnected, each is handled once.
    await expect.poll(() => client.isReady, { timeout: 10_000 }).toBe(true);
    const after = await Promise.all(['d1', 'd2', 'd3', 'd1', 'd2', 'd3'].map(deliver));
    expect(after).toEqual([204, 204, 204, 204, 204, 204]);
    expect(handled.sort()).toEqual(['before', 'd1', 'd2', 'd3']);
    client.destroy();
  });
});

describe.skipIf(!available)('a SET still in flight when it times out', () => {
  it('is taken back when it lands, so the retry of the refused delivery is processed', async () => {
    const [client, admin] = await Promise.all([connected(), connected()]);
    const receiver = createWebhookReceiver({
      publicKey: signer.publicKeyPem,
      seen: redisSeenStore(client, { timeoutMs: 200 }),
    });
    const { body, headers } = await delivery('in-flight');
    // Redis holds write commands for 1.5 s: the SET is sent, and lands after the timeout.
    await admin.sendCommand(['CLIENT', 'PAUSE', '1500', 'WRITE']);
    const refused = await receiver.verifyRaw(body, headers).catch((e: unknown) => e);
    expect(refused).toMatchObject({ reason: 'store-unavailable', status: 503 });
    await new Promise((resolve) => setTimeout(resolve, 1_800));
    const retry = await receiver.verifyRaw(body, headers);
    expect(retry.duplicate).toBe(false);
    client.destroy();
    admin.destroy();
  });
});

describe.skipIf(!available)('time to live and forget', () => {
  it('lets a delivery through again once its key has expired, not before', async () => {
    const client = await connected();
    const receiver = createWebhookReceiver({
      publicKey: signer.publicKeyPem,
      seen: redisSeenStore(client, { prefix: 'ttl-test:' }),
      seenTtlMs: 1_000,
    });
    const { body, headers } = await delivery('ttl');
    const first = await receiver.verifyRaw(body, headers);
    const soon = await receiver.verifyRaw(body, headers);
    expect([first.duplicate, soon.duplicate]).toEqual([false, true]);
    expect(await client.pTTL('ttl-test:rtk-uuid:ttl')).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect((await receiver.verifyRaw(body, headers)).duplicate).toBe(false);
    client.destroy();
  });

  it('a handler failure on one replica, then forget, lets the retry through on another', async () => {
    const [a, b] = await Promise.all([connected(), connected()]);
    const replicaA = createWebhookReceiver({
      publicKey: signer.publicKeyPem,
      seen: redisSeenStore(a),
    });
    const replicaB = createWebhookReceiver({
      publicKey: signer.publicKeyPem,
      seen: redisSeenStore(b),
    });
    const { body, headers } = await delivery('fails-on-a');
    const onA = await replicaA.verifyRaw(body, headers);
    expect(onA.duplicate).toBe(false);
    // A's handler failed: it forgets the delivery and answers 500; RealtimeKit retries on B.
    await replicaA.forget(onA);
    expect((await replicaB.verifyRaw(body, headers)).duplicate).toBe(false);
    expect((await replicaA.verifyRaw(body, headers)).duplicate).toBe(true);
    a.destroy();
    b.destroy();
  });
});
