// Exactly-once effects under kills: three replica processes running `nodeHandler` on an inbox in
// one real PostgreSQL server are SIGKILLed at random while a sender retries the way RealtimeKit
// documents. Each handler writes its effect as a row in the transaction the inbox gives it, so
// the rows in PostgreSQL (outside every process under test) are the effects that happened.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type PostgresServer,
  postgresServerForTests,
  startPostgresServer,
} from '@realtimekit-webhooks/test-servers/postgres-server';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresInbox } from '../src/postgres.js';
import { type Replica, readEffects, startReplica } from './chaos/replicas.js';
import { sendLikeRealtimeKit, sendThroughKills, signed } from './chaos/sender.js';
import { makeSigner } from './helpers.js';

const available = postgresServerForTests('exactly-once effects under replica kills');
const DELIVERIES = 400;

let server: PostgresServer;
let pool: pg.Pool;
let signer: Awaited<ReturnType<typeof makeSigner>>;
let scratch: string;
const replicas: Replica[] = [];

beforeAll(async () => {
  if (!available) return;
  [server, signer, scratch] = await Promise.all([
    startPostgresServer(),
    makeSigner(),
    mkdtemp(join(tmpdir(), 'rtk-chaos-pg-')),
  ]);
  pool = new pg.Pool({ connectionString: server.url, max: 4 });
  await postgresInbox(pool, { namespace: 'chaos' }).migrate();
  await pool.query('CREATE TABLE effects (delivery_id text NOT NULL, replica text, pid integer)');
  const config = {
    postgresUrl: server.url,
    publicKey: signer.publicKeyPem,
    leaseMs: 1_000,
    effectsFile: join(scratch, 'runs'),
  };
  replicas.push(
    ...(await Promise.all(['r1', 'r2', 'r3'].map((name) => startReplica(name, config)))),
  );
});
afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop()));
  await pool?.end();
  await server?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe.skipIf(!available)('three replicas on one PostgreSQL inbox, killed at random', () => {
  it(`give each of ${DELIVERIES} deliveries exactly one effect: none lost, none repeated`, async () => {
    const deliveries = await Promise.all(
      Array.from({ length: DELIVERIES }, (_, i) => signed(signer, `exactly-once-${i}`)),
    );
    const { killed, outcomes, resentAfterSuccess } = await sendThroughKills(
      replicas,
      deliveries,
      20,
    );

    const { rows } = await pool.query(
      'SELECT delivery_id, count(*)::int AS effects FROM effects GROUP BY delivery_id',
    );
    const effects = new Map(
      rows.map((row: { delivery_id: string; effects: number }) => [row.delivery_id, row.effects]),
    );
    const runs = readEffects(join(scratch, 'runs')).filter((line) => line.what === 'start');
    const failedForGood = [...outcomes].filter(([, outcome]) => !outcome.delivered);
    const lost = deliveries.filter((d) => !effects.has(d.id)).map((d) => d.id);
    const repeated = [...effects].filter(([, count]) => count > 1);
    console.log(
      `chaos (PostgreSQL inbox): ${deliveries.length} deliveries (${resentAfterSuccess} sent again after a 2xx), ${killed.size} kills, ${runs.length} handler runs, ${failedForGood.length} failed for good, ${lost.length} lost, ${repeated.length} repeated effects`,
    );
    expect(killed.size).toBe(DELIVERIES / 20);
    expect(failedForGood).toEqual([]);
    expect(lost).toEqual([]);
    expect(repeated).toEqual([]);
    expect(effects.size).toBe(DELIVERIES);
    // The kills did strike handlers mid-run: more runs than effects, yet one effect each.
    expect(runs.length).toBeGreaterThanOrEqual(DELIVERIES);
  }, 180_000);

  it('give concurrent copies of a delivery sent to all three processes at once one effect', async () => {
    const deliveries = await Promise.all(
      Array.from({ length: 30 }, (_, i) => signed(signer, `concurrent-${i}`, { holdMs: 30 })),
    );
    await Promise.all(
      deliveries.flatMap((delivery) =>
        replicas.map((replica) => sendLikeRealtimeKit([replica], delivery)),
      ),
    );
    const { rows } = await pool.query(
      "SELECT delivery_id, count(*)::int AS effects FROM effects WHERE delivery_id LIKE 'concurrent-%' GROUP BY delivery_id",
    );
    expect(rows).toHaveLength(30);
    expect(rows.filter((row: { effects: number }) => row.effects !== 1)).toEqual([]);
  }, 60_000);
});
