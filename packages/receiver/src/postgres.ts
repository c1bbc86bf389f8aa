/**
 * An inbox on the service's own PostgreSQL database: a SeenStore shared by every replica, and
 * transactional handling, so a handler's writes and the delivery's "done" mark commit in one
 * transaction or not at all. A crash, a retry or a lost lease can then never apply an effect
 * twice: exactly-once effects on top of RealtimeKit's at-least-once delivery.
 *
 *   import pg from 'pg';
 *   import { postgresInbox } from '@realtimekit-webhooks/receiver/postgres';
 *   const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 *   const inbox = postgresInbox(pool, { namespace: 'billing' });
 *   await inbox.migrate(); // once, or run `inboxSchemaSql()` with your migrations
 *   const receiver = createWebhookReceiver({ seen: inbox });
 *   receiver.handle(request, async (delivery, tx) => {
 *     await tx.query('insert into credits (meeting_id) values ($1)', [delivery.payload.meeting.id]);
 *   });
 *
 * Built for node-postgres (`pg` 8 or later, a peer dependency): pass a `Pool` (or anything with
 * `connect()` giving a client with `query` and `release`). Nothing is imported from `pg` here.
 * Each step runs in a short transaction that takes an advisory lock per key (in one order, so two
 * steps cannot deadlock) and decides with the same state machine as every other store, on the
 * database server's clock.
 *
 * @packageDocumentation
 */
import { type ClaimStep, decide, type Entry } from './claim-state.js';
import type { TransactionalSeenStore } from './seen-store.js';

/** What the inbox needs of a database client: node-postgres's `PoolClient` has it. */
export interface PgClientLike {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  /** Gives the client back to its pool; an error destroys it instead. */
  release(error?: Error | boolean): void;
}

/** What the inbox needs of a pool: node-postgres's `Pool` has it. */
export interface PgPoolLike<Client extends PgClientLike = PgClientLike> {
  connect(): Promise<Client>;
}

/**
 * The client type a pool's `connect()` gives (node-postgres's `PoolClient` for its `Pool`): what
 * handlers get as their transaction. Written to see past `connect`'s callback overload.
 */
export type PgClientOf<Pool> = Pool extends {
  connect(): Promise<infer Client>;
  connect(callback: never): void;
}
  ? Client extends PgClientLike
    ? Client
    : PgClientLike
  : PgClientLike;

/** Options of `postgresInbox`. */
export interface PostgresInboxOptions {
  /**
   * The receiving service's name, the same in all its replicas, different from every other
   * service sharing the table: RealtimeKit sends the same signed body to every webhook of an
   * event, so services sharing keys would drop each other's deliveries. Letters, digits, `.`,
   * `_`, `-`; at most 64.
   */
  namespace: string;
  /** The table (optionally schema-qualified: `webhooks.inbox`). Default: `rtk_webhook_inbox`. */
  table?: string | undefined;
}

/** The inbox: a transactional SeenStore whose handlers get the transaction's client. */
export interface PostgresInbox<Client extends PgClientLike> extends TransactionalSeenStore<Client> {
  /** Creates the table and its index when missing (`inboxSchemaSql`). Safe to run on every start. */
  migrate(): Promise<void>;
  /** Deletes rows whose claim or done mark has lapsed, at most `limit`; returns how many. */
  prune(limit?: number): Promise<number>;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}(?:\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;
/** One step in this many also prunes lapsed rows, so the table stays bounded without a cron job. */
const PRUNE_EVERY = 200;

/** `table` quoted as an SQL identifier (validated first: never built from untrusted text). */
function quoted(table: string): string {
  if (!IDENTIFIER.test(table)) {
    throw new TypeError(
      'table must be a table name, optionally schema-qualified (letters, digits, _; at most 63 each)',
    );
  }
  return table
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
}

/**
 * The SQL that creates the inbox table and its index, for a migration tool. A key is one of a
 * delivery's two (`rtk-uuid:<id>`, `signed-body:<replay key>`); `token` is the attempt that
 * claimed or completed it; a row lapses at `expires_at` (a claim's lease, a done mark's time to
 * live) and is pruned after.
 */
export function inboxSchemaSql(table = 'rtk_webhook_inbox'): string {
  const name = quoted(table);
  const index = `"${table.replace('.', '_')}_expires_at"`;
  return [
    `CREATE TABLE IF NOT EXISTS ${name} (`,
    '  namespace text NOT NULL,',
    '  key text NOT NULL,',
    '  token text NOT NULL,',
    '  done boolean NOT NULL,',
    '  expires_at timestamptz NOT NULL,',
    '  PRIMARY KEY (namespace, key)',
    ');',
    `CREATE INDEX IF NOT EXISTS ${index} ON ${name} (expires_at);`,
  ].join('\n');
}

interface Row {
  token: string | null;
  done: boolean | null;
  expires_at: number | null;
  now: number;
}

/** The inbox on `pool` (see the module comment). */
export function postgresInbox<Pool extends PgPoolLike>(
  pool: Pool,
  options: PostgresInboxOptions,
): PostgresInbox<PgClientOf<Pool>> {
  type Client = PgClientOf<Pool>;
  const namespace = (options as Partial<PostgresInboxOptions> | undefined)?.namespace;
  if (typeof namespace !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(namespace)) {
    throw new TypeError(
      "postgresInbox needs { namespace: '<this service>' } (letters, digits, . _ -; at most 64), the same in every replica and different from other services sharing the table: services that share keys drop each other's deliveries as duplicates",
    );
  }
  const table = options.table ?? 'rtk_webhook_inbox';
  const name = quoted(table);
  let steps = 0;

  /** Runs `body` in a transaction on a client of its own; rolls back when it throws. */
  const inTransaction = async <T>(body: (client: Client) => Promise<T>): Promise<T> => {
    const client = (await pool.connect()) as Client;
    try {
      await client.query('BEGIN');
      const result = await body(client);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      // A client whose rollback fails is broken: destroy it rather than hand it back.
      const rolledBack = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      client.release(rolledBack ? undefined : true);
      throw error;
    }
  };

  /**
   * Decides `step` over `keys` inside the caller's transaction and applies it: the keys are
   * locked first (advisory locks, in sorted order), then read in a snapshot taken after the locks.
   */
  const stepWithin = async (client: Client, keys: readonly string[], step: ClaimStep) => {
    await client.query(
      'SELECT pg_advisory_xact_lock(hashtextextended($1 || chr(31) || k, 0)) FROM unnest($2::text[]) AS k ORDER BY k',
      [namespace, [...keys].sort()],
    );
    const { rows } = (await client.query(
      `SELECT i.token, i.done, extract(epoch FROM i.expires_at) * 1000 AS expires_at,
              extract(epoch FROM clock_timestamp()) * 1000 AS now
         FROM unnest($2::text[]) WITH ORDINALITY AS k(key, n)
         LEFT JOIN ${name} i ON i.namespace = $1 AND i.key = k.key
        ORDER BY k.n`,
      [namespace, keys],
    )) as { rows: Row[] };
    const stored = rows.map((row): Entry | undefined =>
      row.token === null
        ? undefined
        : { token: row.token, done: Boolean(row.done), expiresAt: Number(row.expires_at) },
    );
    const decision = decide(step, stored, Number(rows[0]?.now ?? Date.now()));
    if (decision.write) {
      await client.query(
        `INSERT INTO ${name} (namespace, key, token, done, expires_at)
         SELECT $1, k, $3, $4, to_timestamp($5::float8 / 1000) FROM unnest($2::text[]) AS k
         ON CONFLICT (namespace, key) DO UPDATE
           SET token = excluded.token, done = excluded.done, expires_at = excluded.expires_at`,
        [namespace, keys, decision.write.token, decision.write.done, decision.write.expiresAt],
      );
    }
    const removed = keys.filter((_, i) => decision.remove?.[i]);
    if (removed.length > 0) {
      await client.query(`DELETE FROM ${name} WHERE namespace = $1 AND key = ANY($2::text[])`, [
        namespace,
        removed,
      ]);
    }
    return decision.result;
  };

  const prune = async (limit = 1_000) => {
    const { rows } = await inTransaction((client) =>
      client.query(
        `WITH lapsed AS (
           SELECT namespace, key FROM ${name}
            WHERE namespace = $1 AND expires_at < clock_timestamp() LIMIT $2
            FOR UPDATE SKIP LOCKED)
         DELETE FROM ${name} i USING lapsed
          WHERE i.namespace = lapsed.namespace AND i.key = lapsed.key RETURNING 1`,
        [namespace, limit],
      ),
    );
    return rows.length;
  };

  const run = async <S extends ClaimStep>(keys: readonly string[], step: S) => {
    const result = await inTransaction((client) => stepWithin(client, keys, step));
    steps += 1;
    if (steps % PRUNE_EVERY === 0) void prune().catch(() => undefined);
    return result as ReturnType<typeof decide<S>>['result'];
  };

  return {
    claim: (keys, token, leaseMs) => run(keys, { op: 'claim', token, leaseMs }),
    renew: (keys, token, leaseMs) => run(keys, { op: 'renew', token, leaseMs }),
    complete: (keys, token, ttlMs) => run(keys, { op: 'complete', token, ttlMs }),
    release: (keys, token) => run(keys, { op: 'release', token }),
    completeWithin(keys, token, ttlMs, work) {
      // The handler's writes first, then "done" in the same transaction, decided under the keys'
      // locks: it commits only when this token may complete, else everything rolls back.
      const rolledBack = Symbol('rolled back');
      return inTransaction(async (client) => {
        await work(client);
        const result = await stepWithin(client, keys, { op: 'complete', token, ttlMs });
        if (result !== 'completed') throw { [rolledBack]: result };
        return result;
      }).catch((error: unknown) => {
        const result = (error as { [rolledBack]?: 'done' | 'taken' } | null)?.[rolledBack];
        if (result) return result;
        throw error;
      });
    },
    async migrate() {
      // Replicas starting together would race to create the table: one at a time.
      await inTransaction(async (client) => {
        await client.query(
          "SELECT pg_advisory_xact_lock(hashtextextended('rtk-webhook-inbox migrate', 0))",
        );
        await client.query(inboxSchemaSql(table));
      });
    },
    prune,
  };
}
