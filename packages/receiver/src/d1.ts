/**
 * An inbox on Cloudflare D1, for Workers: a SeenStore shared by every isolate, and transactional
 * handling within what D1 allows. D1 has no interactive transaction, but a `batch` is one: the
 * handler adds its write statements to the transaction it is given (`tx.add(...)`), and the
 * receiver runs them in one batch with the delivery's "done" mark and a guard that fails the whole
 * batch when the claim is no longer this handler's. Its writes and "done" commit together or not
 * at all. (Reads the handler makes through `tx.db` run at once, outside the batch.)
 *
 *   import { d1Inbox } from '@realtimekit-webhooks/receiver/d1';
 *   const receiver = createWebhookReceiver({ seen: d1Inbox(env.DB, { namespace: 'billing' }) });
 *   await receiver.handle(request, (delivery, tx) => {
 *     tx.add(env.DB.prepare('INSERT INTO credits (meeting_id) VALUES (?)').bind(delivery.payload.meeting.id));
 *   });
 *
 * Create the tables once with `migrate()` or with `d1InboxSchemaSql()` in a D1 migration. Each
 * step reads the keys, decides with the same state machine as every other store, and writes in a
 * batch guarded by what it read (optimistic: a step that lost a race reads again), on D1's clock.
 * Nothing here imports `cloudflare:workers`: the bindings are described by the interfaces below.
 *
 * @packageDocumentation
 */
import { type ClaimStep, type CompleteResult, decide, type Entry } from './claim-state.js';
import type { TransactionalSeenStore } from './seen-store.js';

/** The parts of a D1 prepared statement the inbox uses. */
export interface D1PreparedStatementLike {
  bind(...values: unknown[]): D1PreparedStatementLike;
  all<T = Record<string, unknown>>(): Promise<{ results: T[] }>;
}

/** The parts of a D1 database binding the inbox uses. */
export interface D1DatabaseLike {
  prepare(sql: string): D1PreparedStatementLike;
  batch(statements: D1PreparedStatementLike[]): Promise<unknown[]>;
}

/** What a handler gets as its transaction from a D1 inbox. */
export interface D1Transaction<Db extends D1DatabaseLike = D1DatabaseLike> {
  /** The database, for reads (they run at once, outside the batch). */
  readonly db: Db;
  /** Adds write statements to the batch that commits with the delivery's "done" mark. */
  add(...statements: D1PreparedStatementLike[]): void;
}

/** Options of `d1Inbox`. */
export interface D1InboxOptions {
  /**
   * The receiving service's name, the same in all its Workers, different from every other
   * service sharing the database (see `postgresInbox`). Letters, digits, `.`, `_`, `-`; at most 64.
   */
  namespace: string;
  /** The table's name; its guard table is `<table>_guard`. Default: `rtk_webhook_inbox`. */
  table?: string | undefined;
}

/** The inbox: a transactional SeenStore whose handlers get a `D1Transaction`. */
export interface D1Inbox<Db extends D1DatabaseLike>
  extends TransactionalSeenStore<D1Transaction<Db>> {
  /** Creates the tables when missing (`d1InboxSchemaSql`). Safe to run on every start. */
  migrate(): Promise<void>;
  /** Deletes rows whose claim or done mark has lapsed, at most `limit`. */
  prune(limit?: number): Promise<void>;
}

/** How many times a step that lost a race to another isolate reads and decides again. */
const ATTEMPTS = 8;
/** One step in this many also prunes lapsed rows. */
const PRUNE_EVERY = 200;
/** D1's clock, in milliseconds (julianday keeps the fraction every SQLite version has). */
const NOW_MS = "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";

function tableName(table: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(table)) {
    throw new TypeError('table must be a table name (letters, digits, _; at most 63)');
  }
  return table;
}

/** The SQL that creates the inbox table, its index, and the guard table its batches use. */
export function d1InboxSchemaSql(table = 'rtk_webhook_inbox'): string[] {
  const name = tableName(table);
  return [
    `CREATE TABLE IF NOT EXISTS ${name} (namespace TEXT NOT NULL, key TEXT NOT NULL, token TEXT NOT NULL, done INTEGER NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (namespace, key))`,
    `CREATE INDEX IF NOT EXISTS ${name}_expires_at ON ${name} (expires_at)`,
    // A row here must be 1: a guard inserts 0 when a key changed since it was read, and the
    // CHECK then fails the whole batch. The batch deletes its rows before it ends.
    `CREATE TABLE IF NOT EXISTS ${name}_guard (ok INTEGER NOT NULL CHECK (ok = 1))`,
  ];
}

/** A batch lost to another isolate's write: read again and decide again. */
const isGuardFailure = (error: unknown) =>
  /CHECK constraint failed/i.test(String((error as Error)?.message ?? error));

/** The inbox on `db` (see the module comment). */
export function d1Inbox<Db extends D1DatabaseLike>(db: Db, options: D1InboxOptions): D1Inbox<Db> {
  const namespace = (options as Partial<D1InboxOptions> | undefined)?.namespace;
  if (typeof namespace !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(namespace)) {
    throw new TypeError(
      "d1Inbox needs { namespace: '<this service>' } (letters, digits, . _ -; at most 64), the same in every Worker and different from other services sharing the database: services that share keys drop each other's deliveries as duplicates",
    );
  }
  const table = tableName(options.table ?? 'rtk_webhook_inbox');
  const guard = `${table}_guard`;
  let steps = 0;

  /** The keys' entries (undefined where absent) and D1's clock, in one query. */
  const read = async (keys: readonly string[]) => {
    const placeholders = keys.map(() => '?').join(', ');
    const { results } = await db
      .prepare(
        `SELECT key, token, done, expires_at, ${NOW_MS} AS now FROM (SELECT 1) LEFT JOIN ${table} ON namespace = ? AND key IN (${placeholders})`,
      )
      .bind(namespace, ...keys)
      .all<{
        key: string | null;
        token: string | null;
        done: number;
        expires_at: number;
        now: number;
      }>();
    const byKey = new Map(results.filter((row) => row.key !== null).map((row) => [row.key, row]));
    const stored = keys.map((key): Entry | undefined => {
      const row = byKey.get(key);
      return row
        ? { token: row.token as string, done: row.done === 1, expiresAt: row.expires_at }
        : undefined;
    });
    return { stored, now: Number(results[0]?.now) };
  };

  /** Statements that fail the batch unless every key still holds what `stored` says. */
  const guards = (keys: readonly string[], stored: readonly (Entry | undefined)[]) =>
    keys.map((key, i) => {
      const entry = stored[i];
      return entry === undefined
        ? db
            .prepare(
              `INSERT INTO ${guard} (ok) SELECT NOT EXISTS (SELECT 1 FROM ${table} WHERE namespace = ? AND key = ?)`,
            )
            .bind(namespace, key)
        : db
            .prepare(
              `INSERT INTO ${guard} (ok) SELECT EXISTS (SELECT 1 FROM ${table} WHERE namespace = ? AND key = ? AND token = ? AND done = ? AND expires_at = ?)`,
            )
            .bind(namespace, key, entry.token, entry.done ? 1 : 0, entry.expiresAt);
    });

  /**
   * Decides `step` and, when it changes anything, writes it in one batch with `extra` statements
   * first, guarded by what was read; a batch that lost a race is decided again.
   */
  const run = async (
    keys: readonly string[],
    step: ClaimStep,
    extra: D1PreparedStatementLike[] = [],
  ) => {
    for (let attempt = 1; ; attempt += 1) {
      const { stored, now } = await read(keys);
      const decision = decide(step, stored, now);
      const writes = [
        ...(decision.write
          ? keys.map((key) =>
              db
                .prepare(
                  `INSERT INTO ${table} (namespace, key, token, done, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (namespace, key) DO UPDATE SET token = excluded.token, done = excluded.done, expires_at = excluded.expires_at`,
                )
                .bind(
                  namespace,
                  key,
                  decision.write?.token,
                  decision.write?.done ? 1 : 0,
                  decision.write?.expiresAt,
                ),
            )
          : []),
        ...keys
          .filter((_, i) => decision.remove?.[i])
          .map((key) =>
            db.prepare(`DELETE FROM ${table} WHERE namespace = ? AND key = ?`).bind(namespace, key),
          ),
      ];
      if (writes.length === 0) return { result: decision.result, committed: false };
      try {
        await db.batch([
          ...guards(keys, stored),
          ...extra,
          ...writes,
          db.prepare(`DELETE FROM ${guard}`),
        ]);
      } catch (error) {
        if (isGuardFailure(error) && attempt < ATTEMPTS) continue;
        throw error;
      }
      steps += 1;
      if (steps % PRUNE_EVERY === 0) void prune().catch(() => undefined);
      return { result: decision.result, committed: true };
    }
  };

  const prune = async (limit = 1_000) => {
    await db
      .prepare(
        `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE namespace = ? AND expires_at < ${NOW_MS} LIMIT ?)`,
      )
      .bind(namespace, limit)
      .all();
  };

  const result = async <S extends ClaimStep>(keys: readonly string[], step: S) =>
    (await run(keys, step)).result as ReturnType<typeof decide<S>>['result'];

  return {
    claim: (keys, token, leaseMs) => result(keys, { op: 'claim', token, leaseMs }),
    renew: (keys, token, leaseMs) => result(keys, { op: 'renew', token, leaseMs }),
    complete: (keys, token, ttlMs) => result(keys, { op: 'complete', token, ttlMs }),
    release: (keys, token) => result(keys, { op: 'release', token }),
    async completeWithin(keys, token, ttlMs, work) {
      const statements: D1PreparedStatementLike[] = [];
      await work({ db, add: (...added) => void statements.push(...added) });
      // The handler's statements run only in the batch that marks the delivery done: when this
      // token may not complete it, none of them runs.
      const { result: outcome } = await run(keys, { op: 'complete', token, ttlMs }, statements);
      return outcome as CompleteResult;
    },
    async migrate() {
      await db.batch(d1InboxSchemaSql(table).map((sql) => db.prepare(sql)));
    },
    prune,
  };
}
