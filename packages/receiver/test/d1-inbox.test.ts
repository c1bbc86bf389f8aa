// The D1 inbox in workerd (miniflare's local D1): the store contract from Node through the D1
// binding, and transactional handling by two Worker isolates sharing one database: concurrent
// copies give one effect, a failing handler commits nothing, a stale holder cannot commit.

import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type D1DatabaseLike, d1Inbox, d1InboxSchemaSql } from '../src/d1.js';
import { createTestSigner, type TestSigner } from '../src/testing.js';
import { exampleFor } from './helpers.js';
import { describeStoreContract } from './store-contract.js';

let mf: Miniflare;
/** A Worker of `mf` by name, to send requests to (one isolate each). */
const workerOf = async (name: string) =>
  (await mf.getWorker(name)) as unknown as {
    fetch(url: string, init?: RequestInit): Promise<Response>;
  };
let db: D1DatabaseLike;
let signer: TestSigner;

beforeAll(async () => {
  signer = await createTestSigner();
  const bundle = await build({
    entryPoints: [new URL('./workerd/d1-worker.ts', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'warning',
  });
  const script = bundle.outputFiles[0]?.text ?? '';
  const worker = (name: string) => ({
    name,
    modules: true,
    script,
    compatibilityDate: '2026-04-01',
    bindings: { PUBLIC_KEY: signer.publicKey, ISOLATE: name },
    d1Databases: { DB: 'rtk-inbox' },
  });
  // Two Worker scripts, so two isolates, bound to one D1 database.
  mf = new Miniflare({ workers: [worker('isolate-a'), worker('isolate-b')] });
  await mf.ready;
  db = (await mf.getD1Database('DB', 'isolate-a')) as unknown as D1DatabaseLike;
  await (await workerOf('isolate-a')).fetch('http://worker/migrate');
  await db.batch([db.prepare('CREATE TABLE effects (delivery_id TEXT NOT NULL, isolate TEXT)')]);
}, 60_000);
afterAll(async () => {
  await mf?.dispose();
});

describeStoreContract('the D1 inbox', () => d1Inbox(db, { namespace: 'contract' }));

let sent = 0;
/** A signed delivery of its own, with the failures `d1Test` plans. */
async function delivery(d1Test: { fail?: boolean } = {}) {
  sent += 1;
  const id = `d1-${sent}`;
  const body = JSON.stringify({ ...exampleFor('meeting.ended'), d1Test, sent });
  return { id, body, headers: await signer.sign(body, { id }) };
}
async function post(isolate: 'isolate-a' | 'isolate-b', d: Awaited<ReturnType<typeof delivery>>) {
  const worker = await workerOf(isolate);
  const response = await worker.fetch('http://worker/rtk', {
    method: 'POST',
    body: d.body,
    headers: d.headers,
  });
  return [response.status, await response.text()] as const;
}
const effectsOf = async (id: string) =>
  (
    await db
      .prepare('SELECT isolate FROM effects WHERE delivery_id = ?')
      .bind(id)
      .all<{ isolate: string }>()
  ).results.map((row) => row.isolate);

describe('transactional handling on the D1 inbox, in workerd', () => {
  it('twenty concurrent copies over two isolates give one effect; later copies are duplicates', async () => {
    const d = await delivery();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(i % 2 ? 'isolate-b' : 'isolate-a', d)),
    );
    expect(await effectsOf(d.id)).toHaveLength(1);
    expect(answers.filter(([, body]) => body === 'handled')).toHaveLength(1);
    expect(
      answers.every(([status, body]) => status === 200 || (status === 503 && body === 'busy')),
    ).toBe(true);
    expect(await post('isolate-b', d)).toEqual([200, 'duplicate']);
    expect(await effectsOf(d.id)).toHaveLength(1);
  });

  it('a failing handler commits nothing; the retry commits its effect once', async () => {
    const failing = await delivery({ fail: true });
    expect(await post('isolate-a', failing)).toEqual([500, 'handler-failed']);
    expect(await effectsOf(failing.id)).toEqual([]);
    const fine = await delivery();
    expect(await post('isolate-a', fine)).toEqual([200, 'handled']);
    expect(await effectsOf(fine.id)).toEqual(['isolate-a']);
  });

  it("a stale holder's statements never run: only the holder's batch commits them", async () => {
    const inbox = d1Inbox(db, { namespace: 'stale' });
    const keys = ['rtk-uuid:stale', 'signed-body:stale'];
    expect(await inbox.claim(keys, 'A', 100)).toEqual({ state: 'claimed' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await inbox.claim(keys, 'B', 10_000)).toEqual({ state: 'claimed' });
    const effect = (who: string) => async (tx: { add(...s: unknown[]): void }) =>
      tx.add(
        db.prepare('INSERT INTO effects (delivery_id, isolate) VALUES (?, ?)').bind('stale', who),
      );
    expect(await inbox.completeWithin(keys, 'A', 60_000, effect('A'))).toBe('taken');
    expect(await inbox.completeWithin(keys, 'B', 60_000, effect('B'))).toBe('completed');
    expect(await inbox.completeWithin(keys, 'A', 60_000, effect('A again'))).toBe('done');
    expect(await effectsOf('stale')).toEqual(['B']);
  });

  it('documents its schema as SQL, and refuses a table name that is not an identifier', () => {
    expect(d1InboxSchemaSql()[0]).toMatch(/^CREATE TABLE IF NOT EXISTS rtk_webhook_inbox \(/);
    expect(() => d1Inbox(db, { namespace: 'x', table: 'a b' })).toThrow(
      /table must be a table name/,
    );
    expect(() => d1Inbox(db, { namespace: '' })).toThrow(/needs \{ namespace/);
  });
});
