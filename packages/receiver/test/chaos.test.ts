// No delivery lost: replica processes running `nodeHandler` on one real redis-server are killed
// (SIGKILL) and frozen (SIGSTOP) while a sender retries the way RealtimeKit documents: a 2xx is
// delivered; a 5xx or a network error is retried with backoff; any other status fails for good.
// Each handler's side effect is a line in a file outside its process.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type RedisServer,
  redisServerForTests,
  startRedisServer,
} from '@realtimekit-webhooks/test-servers/redis-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Replica, type ReplicaConfig, readEffects, startReplica } from './chaos/replicas.js';
import { attempt, pause, sendThroughKills, signed } from './chaos/sender.js';
import { makeSigner } from './helpers.js';

const available = redisServerForTests('handle() under replica kills');

let redis: RedisServer;
let signer: Awaited<ReturnType<typeof makeSigner>>;
let scratch: string;

beforeAll(async () => {
  if (!available) return;
  [redis, signer, scratch] = await Promise.all([
    startRedisServer(),
    makeSigner(),
    mkdtemp(join(tmpdir(), 'rtk-chaos-')),
  ]);
});
afterAll(async () => {
  await redis?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Replicas on this file's Redis and key, with `leaseMs`, writing side effects to `effects`. */
function replicaConfig(leaseMs: number, effects: string): ReplicaConfig {
  return {
    redisUrl: redis.url,
    publicKey: signer.publicKeyPem,
    leaseMs,
    effectsFile: join(scratch, effects),
  };
}

/** A delivery of its own, with `chaos` telling the handler. */
const signedDelivery = (id: string, chaos?: { holdMs?: number; failOn?: string }) =>
  signed(signer, id, chaos);

describe.skipIf(!available)('three replicas on one Redis, killed at random', () => {
  const replicas: Replica[] = [];
  let config: ReplicaConfig;
  beforeAll(async () => {
    config = replicaConfig(1_000, 'kills.effects');
    replicas.push(
      ...(await Promise.all(['r1', 'r2', 'r3'].map((name) => startReplica(name, config)))),
    );
  });
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
  });

  it('lose none of 300 deliveries, and repeat a side effect only where a kill struck after it', async () => {
    const deliveries = await Promise.all(
      Array.from({ length: 300 }, (_, i) => signedDelivery(`chaos-${i}`)),
    );
    // A kill every 20 deliveries acknowledged, of a replica picked at random, while the others
    // keep sending: 15 kills spread over the run, one at a time (a killed replica restarts on
    // its port before the next kill).
    const { killed, outcomes, resentAfterSuccess } = await sendThroughKills(
      replicas,
      deliveries,
      20,
    );

    const effects = readEffects(config.effectsFile).filter((e) => e.what === 'effect');
    const byDelivery = new Map<string, typeof effects>();
    for (const effect of effects) {
      byDelivery.set(effect.id, [...(byDelivery.get(effect.id) ?? []), effect]);
    }
    const failedForGood = [...outcomes].filter(([, o]) => !o.delivered);
    const lost = deliveries.filter((d) => !byDelivery.has(d.id)).map((d) => d.id);
    const repeated = [...byDelivery].filter(([, list]) => list.length > 1);
    // Every run but the last was cut short by a kill of the process that ran it.
    const unexplained = repeated.filter(([, list]) =>
      list.slice(0, -1).some((effect) => !killed.has(effect.pid)),
    );
    console.log(
      `chaos: ${deliveries.length} deliveries (${resentAfterSuccess} sent again after a 2xx), ${killed.size} kills, ${failedForGood.length} failed for good, ${lost.length} lost, ${repeated.length} side effects repeated after a kill, ${unexplained.length} unexplained`,
    );
    expect(killed.size).toBe(15);
    expect(failedForGood).toEqual([]);
    expect(lost).toEqual([]);
    expect(unexplained).toEqual([]);
    expect(new Set(effects.map((e) => e.id)).size).toBe(300);
  }, 120_000);
});

describe.skipIf(!available)('a replica frozen past its lease', () => {
  const replicas: Record<'a' | 'b', Replica> = {} as never;
  let config: ReplicaConfig;
  beforeAll(async () => {
    config = replicaConfig(400, 'freeze.effects');
    [replicas.a, replicas.b] = await Promise.all([
      startReplica('a', config),
      startReplica('b', config),
    ]);
  });
  afterAll(async () => {
    replicas.a?.resume();
    await Promise.all(Object.values(replicas).map((replica) => replica.stop()));
  });

  const linesOf = (id: string) =>
    readEffects(config.effectsFile)
      .filter((effect) => effect.id === id)
      .map((effect) => `${effect.replica} ${effect.what}`);

  it('is taken over by another replica; when it resumes, its late completion changes nothing', async () => {
    const delivery = await signedDelivery('frozen-then-late', { holdMs: 300 });
    const onA = attempt(replicas.a, delivery);
    await expect.poll(() => linesOf(delivery.id)).toEqual(['a start']);
    replicas.a.freeze();
    await pause(600); // past a's lease: nobody renews it
    expect(await attempt(replicas.b, delivery)).toBe(200);
    replicas.a.resume();
    expect(await onA).toBe(200); // a's handler did succeed; its mark found the delivery done
    // The freeze struck after a started: its side effect and b's both happened (at least once).
    expect(linesOf(delivery.id)).toEqual(['a start', 'b start', 'b effect', 'a effect']);
    // Done, once: every later copy is a duplicate, on either replica.
    expect(await attempt(replicas.a, delivery)).toBe(200);
    expect(await attempt(replicas.b, delivery)).toBe(200);
    expect(linesOf(delivery.id)).toHaveLength(4);
  });

  it('cannot release the claim of the replica that took over, when it resumes and fails', async () => {
    const delivery = await signedDelivery('frozen-then-fails', { holdMs: 500, failOn: 'a' });
    const onA = attempt(replicas.a, delivery);
    await expect.poll(() => linesOf(delivery.id)).toEqual(['a start']);
    replicas.a.freeze();
    await pause(600);
    const onB = attempt(replicas.b, delivery);
    await expect.poll(() => linesOf(delivery.id)).toEqual(['a start', 'b start']);
    replicas.a.resume();
    expect(await onA).toBe(500); // a's handler threw: it released what it held, which is nothing
    // b still holds the delivery: a third copy is told to come back, not run.
    expect(await attempt(replicas.a, delivery)).toBe(503);
    expect(await onB).toBe(200);
    expect(await attempt(replicas.a, delivery)).toBe(200);
    expect(linesOf(delivery.id)).toEqual(['a start', 'b start', 'b effect']);
  });
});
