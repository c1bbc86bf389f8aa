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
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createWebhookReceiver, WebhookVerificationError } from '../src/index.js';
import { redisSeenStore } from '../src/redis.js';
import { deliveryHeaders, deliveryRequest, exampleFor, makeSigner } from './helpers.js';
import { describeStoreContract } from './store-contract.js';

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

let contractClient: Awaited<ReturnType<typeof connected>> | undefined;
describeStoreContract(
  'the Redis store',
  () => (contractClient ? redisSeenStore(contractClient, { namespace: 'contract' }) : undefined),
  !available,
);
beforeAll(async () => {
  if (available) contractClient = await connected();
});
afterAll(() => contractClient?.destroy());

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
      seen: redisSeenStore(client, { namespace: 'tests', timeoutMs: 300 }),
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

describe.skipIf(!available)('a mark still in flight when it times out', () => {
  it('is taken back when it lands, so the retry of the refused delivery is processed', async () => {
    const [client, admin] = await Promise.all([connected(), connected()]);
    const receiver = createWebhookReceiver({
      publicKey: signer.publicKeyPem,
      seen: redisSeenStore(client, { namespace: 'tests', timeoutMs: 200 }),
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
      seen: redisSeenStore(client, { namespace: 'ttl-test' }),
      seenTtlMs: 1_000,
    });
    const { body, headers } = await delivery('ttl');
    const first = await receiver.verifyRaw(body, headers);
    const soon = await receiver.verifyRaw(body, headers);
    expect([first.duplicate, soon.duplicate]).toEqual([false, true]);
    expect(await client.pTTL('rtk-webhooks:{ttl-test}:rtk-uuid:ttl')).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect((await receiver.verifyRaw(body, headers)).duplicate).toBe(false);
    client.destroy();
  });

  it('a handler failure on one replica, then forget, lets the retry through on another', async () => {
    const [a, b] = await Promise.all([connected(), connected()]);
    const replicaA = createWebhookReceiver({
      publicKey: signer.publicKeyPem,
      seen: redisSeenStore(a, { namespace: 'tests' }),
    });
    const replicaB = createWebhookReceiver({
      publicKey: signer.publicKeyPem,
      seen: redisSeenStore(b, { namespace: 'tests' }),
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

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls per command since the last `CONFIG RESETSTAT` (from INFO commandstats). */
async function commandCalls(client: Awaited<ReturnType<typeof connected>>) {
  const info = await client.info('commandstats');
  return Object.fromEntries(
    [...info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)].map((m) => [m[1], Number(m[2])]),
  );
}

describe.skipIf(!available)('replays on Redis', () => {
  it('leave no key behind: 500 replays of a captured delivery add nothing to the store', async () => {
    const client = await connected();
    const receiver = createWebhookReceiver({
      publicKey: signer.publicKeyPem,
      seen: redisSeenStore(client, { namespace: 'replays' }),
    });
    const { body, headers } = await delivery('captured');
    await receiver.handle(deliveryRequest(body, headers), () => {});
    const keys = () => client.keys('rtk-webhooks:{replays}:*');
    const before = (await keys()).sort();
    expect(before).toHaveLength(2);
    for (let i = 0; i < 500; i += 1) {
      const forged = { ...headers, 'rtk-uuid': `forged-${i}` };
      const answer = await receiver.handle(deliveryRequest(body, forged), () => {
        throw new Error('a replay reached the handler');
      });
      expect(await answer.text()).toBe('duplicate');
      expect((await receiver.verifyRaw(body, forged)).duplicate).toBe(true);
    }
    expect((await keys()).sort()).toEqual(before);
    client.destroy();
  });

  it('two services with their own namespace on one Redis each handle the same signed body', async () => {
    // RealtimeKit sends one signed body to every webhook subscribed to the event.
    const client = await connected();
    const { body, headers } = await delivery('sent-to-two-services');
    const ran: string[] = [];
    for (const namespace of ['billing', 'analytics']) {
      const service = createWebhookReceiver({
        publicKey: signer.publicKeyPem,
        seen: redisSeenStore(client, { namespace }),
      });
      await service.handle(deliveryRequest(body, headers), () => void ran.push(namespace));
    }
    expect(ran).toEqual(['billing', 'analytics']);
    client.destroy();
  });

  it('refuses a store without a namespace, saying why', () => {
    expect(() => redisSeenStore({} as never, undefined as never)).toThrow(
      /needs \{ namespace: '<this service>' \}.*drop each other's deliveries/,
    );
  });
});

describe.skipIf(!available)('handle() on Redis', () => {
  it('sends one command a step: EVALSHA for the claim and for marking done, nothing else', async () => {
    const [client, admin] = await Promise.all([connected(), connected()]);
    const sent: string[] = [];
    // Every call the store makes on the client is one round trip: record them.
    const counting = {
      get isReady() {
        return client.isReady;
      },
      evalSha: (sha: string, options: { keys: string[]; arguments: string[] }) => {
        sent.push(`EVALSHA ${options.arguments[0]}`);
        return client.evalSha(sha, options);
      },
      eval: (script: string, options: { keys: string[]; arguments: string[] }) => {
        sent.push(`EVAL ${options.arguments[0]}`);
        return client.eval(script, options);
      },
    };
    const receiver = createWebhookReceiver({
      publicKey: signer.publicKeyPem,
      seen: redisSeenStore(counting, { namespace: 'round-trips' }),
    });
    const warm = await delivery('round-trips-warm');
    await receiver.handle(deliveryRequest(warm.body, warm.headers), () => {});
    sent.length = 0;
    await admin.sendCommand(['CONFIG', 'RESETSTAT']);
    const { body, headers } = await delivery('round-trips');
    const response = await receiver.handle(deliveryRequest(body, headers), () => {});
    expect(response.status).toBe(200);
    expect(sent).toEqual(['EVALSHA claim', 'EVALSHA complete']);
    const calls = await commandCalls(admin);
    expect([calls.evalsha, calls.eval]).toEqual([2, undefined]);
    client.destroy();
    admin.destroy();
  });

  it('sends the script itself once after the server lost it (a restart, SCRIPT FLUSH)', async () => {
    const [client, admin] = await Promise.all([connected(), connected()]);
    const receiver = createWebhookReceiver({
      publicKey: signer.publicKeyPem,
      seen: redisSeenStore(client, { namespace: 'flushed' }),
    });
    await admin.sendCommand(['SCRIPT', 'FLUSH']);
    await admin.sendCommand(['CONFIG', 'RESETSTAT']);
    for (const id of ['flushed-1', 'flushed-2']) {
      const { body, headers } = await delivery(id);
      expect((await receiver.handle(deliveryRequest(body, headers), () => {})).status).toBe(200);
    }
    const calls = await commandCalls(admin);
    expect(calls.eval).toBe(1);
    expect(calls.evalsha).toBe(4); // the first one answered NOSCRIPT
    client.destroy();
    admin.destroy();
  });

  it('a handler slower than leaseMs keeps its claim; the retry on another replica gets 503, then 200 without a second run', async () => {
    const [a, b] = await Promise.all([connected(), connected()]);
    const replica = (client: typeof a) =>
      createWebhookReceiver({
        publicKey: signer.publicKeyPem,
        seen: redisSeenStore(client, { namespace: 'tests' }),
        leaseMs: 300,
      });
    const [replicaA, replicaB] = [replica(a), replica(b)];
    const { body, headers } = await delivery('slow-on-a');
    const request = () => deliveryRequest(body, headers);
    let runs = 0;
    const slow = async () => {
      runs += 1;
      await pause(1_000);
    };
    const onA = replicaA.handle(request(), slow);
    await pause(700); // more than twice the lease
    const retry = await replicaB.handle(request(), slow);
    expect(retry.status).toBe(503);
    expect(Number(retry.headers.get('retry-after'))).toBe(1);
    expect((await onA).status).toBe(200);
    expect(await (await replicaB.handle(request(), slow)).text()).toBe('duplicate');
    expect(runs).toBe(1);
    a.destroy();
    b.destroy();
  });

  it('Redis stopped mid-handler: 503 and nothing marked done; back up, the retry is handled once', async () => {
    const client = await connected();
    const receiver = createWebhookReceiver({
      publicKey: signer.publicKeyPem,
      seen: redisSeenStore(client, { namespace: 'tests', timeoutMs: 300 }),
    });
    const { body, headers } = await delivery('redis-dies-mid-handler');
    const request = () => deliveryRequest(body, headers);
    const effects: string[] = [];
    let stopRedis = true;
    const handler = async () => {
      effects.push('side effect');
      if (stopRedis) await redis.stop();
    };
    try {
      const during = await receiver.handle(request(), handler);
      expect([during.status, await during.text()]).toEqual([503, 'store-unavailable']);
    } finally {
      stopRedis = false;
      await redis.start();
    }
    await expect.poll(() => client.isReady, { timeout: 10_000 }).toBe(true);
    const retries = [await receiver.handle(request(), handler)];
    retries.push(await receiver.handle(request(), handler));
    expect(await Promise.all(retries.map((r) => r.text()))).toEqual(['handled', 'duplicate']);
    // Run once before the outage (its answer was 503) and once for the retry: at least once.
    expect(effects).toHaveLength(2);
    client.destroy();
  });
});

describe.skipIf(!available)("the Redis store and the server's eviction policy", () => {
  it('refuses to work on a server that evicts keys, naming the policy and the fix, until it is fixed', async () => {
    const admin = await connected();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await admin.configSet('maxmemory-policy', 'volatile-lru');
      const store = redisSeenStore(await connected(), { namespace: 'evicting' });
      const receiver = createWebhookReceiver({ publicKey: signer.publicKeyPem, seen: store });
      const { body, headers } = await delivery('on-an-evicting-server');
      const runs: string[] = [];
      const refused = await receiver.handle(
        deliveryRequest(body, headers),
        (d) => void runs.push(d.id),
      );
      expect([refused.status, await refused.text()]).toEqual([503, 'store-unavailable']);
      await expect(store.claim(['k'], 't', 1_000)).rejects.toThrow(
        /maxmemory-policy is volatile-lru.*Set it to noeviction.*allowEvictingPolicy/,
      );
      expect(runs).toEqual([]);
      await receiver.handle(deliveryRequest(body, headers), () => {});
      // Said once in the receiver's log, with the fix, not once a delivery.
      const lines = errors.mock.calls
        .map(([line]) => String(line))
        .filter((line) => line.includes('volatile-lru'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^rtk-webhooks: deliveries are answered 503 store-unavailable: .*Set it to noeviction/,
      );

      const optedOut = redisSeenStore(await connected(), {
        namespace: 'opted-out',
        allowEvictingPolicy: true,
      });
      expect(await optedOut.claim(['k'], 't', 1_000)).toEqual({ state: 'claimed' });
    } finally {
      await admin.configSet('maxmemory-policy', 'noeviction');
      errors.mockRestore();
      admin.destroy();
    }
  });

  it('works on a noeviction server (the default), checking the policy once', async () => {
    const client = await connected();
    let infos = 0;
    const counting = Object.assign(Object.create(client), {
      info: (section?: string) => {
        infos += 1;
        return client.info(section);
      },
    });
    const store = redisSeenStore(counting, { namespace: 'noeviction' });
    expect(await store.claim(['a'], 't', 1_000)).toEqual({ state: 'claimed' });
    expect(await store.complete(['a'], 't', 1_000)).toBe('completed');
    expect(infos).toBe(1);
    client.destroy();
  });
});
