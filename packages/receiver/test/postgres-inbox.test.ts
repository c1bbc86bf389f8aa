// The PostgreSQL inbox on a real PostgreSQL server started by this file: the store contract, and
// transactional handling: a handler's writes and the delivery's "done" mark commit together or
// not at all, whatever fails (the handler, its deadline, its lease, a copy running elsewhere).
import {
  type PostgresServer,
  postgresServerForTests,
  startPostgresServer,
} from '@realtimekit-webhooks/test-servers/postgres-server';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookReceiver, type HandledDelivery, memorySeenStore } from '../src/index.js';
import { inboxSchemaSql, type PostgresInbox, postgresInbox } from '../src/postgres.js';
import { pause } from './chaos/sender.js';
import { deliveryHeaders, deliveryRequest, exampleFor, makeSigner } from './helpers.js';
import { describeStoreContract } from './store-contract.js';

const available = postgresServerForTests('the PostgreSQL inbox');
let server: PostgresServer;
let pool: pg.Pool;
let signer: Awaited<ReturnType<typeof makeSigner>>;
let contractInbox: PostgresInbox<pg.PoolClient> | undefined;

beforeAll(async () => {
  if (!available) return;
  [server, signer] = await Promise.all([startPostgresServer(), makeSigner()]);
  pool = new pg.Pool({ connectionString: server.url, max: 20 });
  contractInbox = postgresInbox(pool, { namespace: 'contract' });
  await contractInbox.migrate();
  await pool.query('CREATE TABLE effects (delivery_id text NOT NULL, note text)');
});
afterAll(async () => {
  await pool?.end();
  await server?.stop();
});

describeStoreContract('the PostgreSQL inbox', () => contractInbox, !available);

let sent = 0;
/** A signed delivery of its own (its own body, so its own replay key) as a Request factory. */
async function delivery(id: string) {
  sent += 1;
  const body = JSON.stringify({ ...exampleFor('meeting.ended'), sent });
  const headers = deliveryHeaders(await signer.sign(body), id);
  return () => deliveryRequest(body, headers);
}
const effectsOf = async (id: string) =>
  (
    await pool.query('SELECT note FROM effects WHERE delivery_id = $1 ORDER BY note', [id])
  ).rows.map((row: { note: string }) => row.note);
const answerOf = async (response: Response) => [response.status, await response.text()];
/** The handler's effect, written through the transaction the inbox gives it. */
const writeEffect = (note: string) => (d: HandledDelivery, tx: pg.PoolClient) =>
  tx.query('INSERT INTO effects (delivery_id, note) VALUES ($1, $2)', [d.id, note]);

describe.skipIf(!available)('transactional handling on the PostgreSQL inbox', () => {
  const receiverOn = (
    namespace: string,
    options: { leaseMs?: number; handlerTimeoutMs?: number } = {},
  ) =>
    createWebhookReceiver({
      publicKey: signer.publicKeyPem,
      seen: postgresInbox(pool, { namespace }),
      onError: () => {},
      ...options,
    });

  it('commits the handler writes with the done mark: a retry is a duplicate, the effect is there once', async () => {
    const receiver = receiverOn('tx');
    const request = await delivery('tx-once');
    expect(await answerOf(await receiver.handle(request(), writeEffect('first')))).toEqual([
      200,
      'handled',
    ]);
    expect(await answerOf(await receiver.handle(request(), writeEffect('again')))).toEqual([
      200,
      'duplicate',
    ]);
    expect(await effectsOf('tx-once')).toEqual(['first']);
  });

  it('rolls back the writes of a handler that throws; the retry runs and commits', async () => {
    const receiver = receiverOn('tx');
    const request = await delivery('tx-throws');
    const failing = async (d: HandledDelivery, tx: pg.PoolClient) => {
      await writeEffect('written, then thrown')(d, tx);
      throw new Error('after writing');
    };
    expect(await answerOf(await receiver.handle(request(), failing))).toEqual([
      500,
      'handler-failed',
    ]);
    expect(await effectsOf('tx-throws')).toEqual([]);
    expect(await answerOf(await receiver.handle(request(), writeEffect('retry')))).toEqual([
      200,
      'handled',
    ]);
    expect(await effectsOf('tx-throws')).toEqual(['retry']);
  });

  it('past handlerTimeoutMs: 503, and the late handler writes nothing; the retry after the lease commits', async () => {
    const receiver = receiverOn('tx', { handlerTimeoutMs: 150, leaseMs: 400 });
    const request = await delivery('tx-late');
    let lateDone: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      lateDone = resolve;
    });
    const slow = async (d: HandledDelivery, tx: pg.PoolClient) => {
      await writeEffect('late')(d, tx);
      await pause(300);
      lateDone();
    };
    expect(await answerOf(await receiver.handle(request(), slow))).toEqual([
      503,
      'handler-timeout',
    ]);
    await finished;
    await pause(50);
    expect(await effectsOf('tx-late')).toEqual([]);
    await pause(400); // the claim lapses: renewals stopped at the deadline
    expect(await answerOf(await receiver.handle(request(), writeEffect('retry')))).toEqual([
      200,
      'handled',
    ]);
    expect(await effectsOf('tx-late')).toEqual(['retry']);
  });

  it('a lease lost mid-handler aborts its signal, and its stale commit rolls back while the new holder commits', async () => {
    const namespace = 'tx-lost';
    const inbox = postgresInbox(pool, { namespace });
    // Replica A's renewals stall (its connection to the database hangs), so its lease lapses.
    const stalled = createWebhookReceiver({
      publicKey: signer.publicKeyPem,
      seen: { ...inbox, renew: () => new Promise<boolean>(() => {}) },
      leaseMs: 200,
      onError: () => {},
    });
    const other = receiverOn(namespace, { leaseMs: 200 });
    const request = await delivery('tx-lost');
    let aborted: unknown;
    const onA = stalled.handle(request(), async (d, tx) => {
      await writeEffect('stale A')(d, tx);
      await pause(500); // past A's lease: B takes the delivery over meanwhile
      aborted = d.signal.aborted && (d.signal.reason as Error).cause;
    });
    await pause(300);
    expect(await answerOf(await other.handle(request(), writeEffect('B')))).toEqual([
      200,
      'handled',
    ]);
    expect(await answerOf(await onA)).toEqual([503, 'claim-lost']);
    expect(aborted).toBe('claim-lost');
    expect(await effectsOf('tx-lost')).toEqual(['B']);
  });

  it('a stale holder that ignores its signal still cannot commit: the done mark is not its to write', async () => {
    const inbox = postgresInbox(pool, { namespace: 'tx-ignore' });
    const keys = ['rtk-uuid:ignore', 'signed-body:ignore'];
    expect(await inbox.claim(keys, 'A', 100)).toEqual({ state: 'claimed' });
    await pause(150);
    expect(await inbox.claim(keys, 'B', 10_000)).toEqual({ state: 'claimed' });
    const write = (note: string) => async (tx: pg.PoolClient) => {
      await tx.query('INSERT INTO effects (delivery_id, note) VALUES ($1, $2)', ['ignore', note]);
    };
    expect(await inbox.completeWithin(keys, 'A', 60_000, write('A'))).toBe('taken');
    expect(await inbox.completeWithin(keys, 'B', 60_000, write('B'))).toBe('completed');
    expect(await inbox.completeWithin(keys, 'A', 60_000, write('A again'))).toBe('done');
    expect(await effectsOf('ignore')).toEqual(['B']);
  });

  it('twenty concurrent copies over two receivers (two pools, as two replicas) give one effect', async () => {
    const secondPool = new pg.Pool({ connectionString: server.url, max: 10 });
    try {
      const replicas = [
        receiverOn('tx-concurrent'),
        createWebhookReceiver({
          publicKey: signer.publicKeyPem,
          seen: postgresInbox(secondPool, { namespace: 'tx-concurrent' }),
        }),
      ];
      const request = await delivery('tx-concurrent');
      const answers = await Promise.all(
        Array.from({ length: 20 }, async (_, i) =>
          answerOf(
            await (replicas[i % 2] as (typeof replicas)[0]).handle(request(), async (d, tx) => {
              await writeEffect(`copy ${i}`)(d, tx);
              await pause(30);
            }),
          ),
        ),
      );
      expect(await effectsOf('tx-concurrent')).toHaveLength(1);
      expect(answers.filter(([status]) => status === 200 || status === 503)).toHaveLength(20);
      expect(answers.filter(([, body]) => body === 'handled')).toHaveLength(1);
    } finally {
      await secondPool.end();
    }
  });

  it('rolls back and answers 503 when the database fails during the commit; nothing is marked done', async () => {
    const inbox = postgresInbox(pool, { namespace: 'tx-db-fails' });
    const receiver = createWebhookReceiver<pg.PoolClient>({
      publicKey: signer.publicKeyPem,
      seen: {
        ...inbox,
        completeWithin: (keys, token, ttl, work) =>
          inbox.completeWithin(keys, token, ttl, async (tx) => {
            await work(tx);
            await tx.query('SELECT 1/0'); // the database refuses something after the handler
          }),
      },
      leaseMs: 200,
    });
    const request = await delivery('tx-db-fails');
    expect(
      await answerOf(await receiver.handle(request(), writeEffect('lost with the tx'))),
    ).toEqual([503, 'store-unavailable']);
    expect(await effectsOf('tx-db-fails')).toEqual([]);
    await pause(250);
    const plain = receiverOn('tx-db-fails');
    expect(await answerOf(await plain.handle(request(), writeEffect('retry')))).toEqual([
      200,
      'handled',
    ]);
  });
});

describe.skipIf(!available)('the inbox table', () => {
  it('is created by migrate(), safely from several replicas at once, in a table of your choice', async () => {
    const inboxes = ['a', 'b', 'c'].map((n) =>
      postgresInbox(pool, { namespace: n, table: 'webhooks_inbox' }),
    );
    await Promise.all(inboxes.map((inbox) => inbox.migrate()));
    await (inboxes[0] as (typeof inboxes)[0]).migrate();
    const { rows } = await pool.query(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'webhooks_inbox' ORDER BY ordinal_position",
    );
    expect(rows.map((row: { column_name: string }) => row.column_name)).toEqual([
      'namespace',
      'key',
      'token',
      'done',
      'expires_at',
    ]);
    expect(inboxSchemaSql('webhooks_inbox')).toMatch(
      /^CREATE TABLE IF NOT EXISTS "webhooks_inbox" \(/,
    );
  });

  it('refuses a namespace or table name that is not an identifier, before touching the database', () => {
    expect(() => postgresInbox(pool, { namespace: '' })).toThrow(/needs \{ namespace/);
    expect(() => postgresInbox(pool, { namespace: 'ok', table: 'x; DROP TABLE effects' })).toThrow(
      /table must be a table name/,
    );
  });

  it('prunes rows whose claim or done mark lapsed, and only those, only in its namespace', async () => {
    const inbox = postgresInbox(pool, { namespace: 'prune' });
    const neighbour = postgresInbox(pool, { namespace: 'prune-neighbour' });
    await inbox.complete(['old-1', 'old-2'], 't', 50);
    await neighbour.complete(['old-n'], 't', 50);
    await inbox.complete(['kept'], 't', 60_000);
    await pause(100);
    expect(await inbox.prune()).toBe(2);
    const { rows } = await pool.query(
      "SELECT namespace, key FROM rtk_webhook_inbox WHERE namespace LIKE 'prune%' ORDER BY key",
    );
    expect(rows).toEqual([
      { namespace: 'prune', key: 'kept' },
      { namespace: 'prune-neighbour', key: 'old-n' },
    ]);
  });

  it('keeps the contract the memory store keeps, decided by the same state machine', async () => {
    // The same steps on both stores give the same answers.
    const inbox = postgresInbox(pool, { namespace: 'same-machine' });
    const memory = memorySeenStore();
    const script: [string, (s: typeof memory) => unknown][] = [
      ['claim a', (s) => s.claim(['x', 'y'], 'a', 10_000)],
      ['claim b', (s) => s.claim(['y', 'z'], 'b', 10_000)],
      ['renew b', (s) => s.renew(['x', 'y'], 'b', 10_000)],
      ['complete a', (s) => s.complete(['x', 'y'], 'a', 60_000)],
      ['claim c', (s) => s.claim(['x'], 'c', 10_000)],
      ['release a', (s) => s.release(['x', 'y'], 'a')],
      ['claim c again', (s) => s.claim(['x'], 'c', 10_000)],
    ];
    for (const [step, run] of script) {
      const [fromMemory, fromPostgres] = [await run(memory), await run(inbox as never)];
      const comparable = (r: unknown) =>
        r && typeof r === 'object' && 'retryAfterMs' in r ? { state: 'busy' } : r;
      expect([step, comparable(fromPostgres)]).toEqual([step, comparable(fromMemory)]);
    }
  });
});
