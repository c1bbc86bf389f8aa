// The example Worker in workerd (miniflare): two Worker isolates share the Durable Object seen
// store; each accepted delivery goes through a real Queue to the consumer, whose failures the
// queue retries and finally dead-letters.
import {
  createTestSigner,
  deliveryBody,
  examplePayload,
  type TestSigner,
} from '@realtimekit-webhooks/receiver/testing';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let signer: TestSigner;
let mf: Miniflare;
/** Every file the Worker bundle was built from. */
let bundledFiles: string[] = [];

const queues = {
  queueProducers: { DELIVERIES: 'rtk-deliveries' },
  kvNamespaces: { RECORD: 'edge-test-record' },
};

beforeAll(async () => {
  signer = await createTestSigner();
  const bundle = await build({
    entryPoints: [new URL('./workerd/test-worker.ts', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  bundledFiles = Object.keys(bundle.metafile.inputs);
  const script = bundle.outputFiles[0]?.text ?? '';
  const bindings = { RTK_WEBHOOK_PUBLIC_KEY: signer.publicKey };
  mf = new Miniflare({
    workers: [
      {
        name: 'edge-a',
        modules: true,
        script,
        compatibilityDate: '2026-04-01',
        bindings,
        ...queues,
        durableObjects: { RTK_SEEN: 'SeenDeliveriesObject' },
        queueConsumers: {
          'rtk-deliveries': {
            maxBatchTimeout: 0,
            maxRetries: 2,
            deadLetterQueue: 'rtk-deliveries-dlq',
          },
          'rtk-deliveries-dlq': { maxBatchTimeout: 0 },
        },
      },
      {
        // Another isolate (another Worker script) bound to the same Durable Object namespace.
        name: 'edge-b',
        modules: true,
        script,
        compatibilityDate: '2026-04-01',
        bindings,
        ...queues,
        durableObjects: { RTK_SEEN: { className: 'SeenDeliveriesObject', scriptName: 'edge-a' } },
      },
    ],
  });
  await mf.ready;
}, 60_000);
afterAll(async () => {
  await mf?.dispose();
});

let sent = 0;
/** A signed meeting.ended delivery of its own, with the failures `edgeTest` plans. */
async function delivery(edgeTest: Record<string, number> = {}) {
  sent += 1;
  const id = `edge-${sent}`;
  const body = deliveryBody('meeting.ended', {
    payload: { ...examplePayload('meeting.ended'), edgeTest, sent },
  });
  const headers = await signer.sign(body, { id, webhookId: 'w-1' });
  return { id, send: (isolate: 'edge-a' | 'edge-b') => post(isolate, body, headers) };
}

/** An isolate's fetch (miniflare's own Fetcher type does not meet the DOM lib's). */
async function isolateFetch(isolate: 'edge-a' | 'edge-b') {
  return (await mf.getWorker(isolate)) as unknown as {
    fetch(url: string, init?: RequestInit): Promise<Response>;
  };
}

async function post(isolate: 'edge-a' | 'edge-b', body: string, headers: Record<string, string>) {
  const worker = await isolateFetch(isolate);
  const response = await worker.fetch('https://edge.example.com/rtk', {
    method: 'POST',
    body,
    headers,
  });
  return { status: response.status, text: await response.text() };
}

/** What the test worker counted for a delivery (KV, shared by every isolate). */
async function counted(what: string, id: string): Promise<number> {
  const kv = (await mf.getKVNamespace('RECORD', 'edge-a')) as unknown as {
    get(key: string): Promise<string | null>;
  };
  return Number((await kv.get(`${what}:${id}`)) ?? 0);
}

describe('edge-service in workerd', () => {
  it('queues a delivery once, answers 200, and the consumer processes it', async () => {
    const { id, send } = await delivery();
    expect(await send('edge-a')).toEqual({ status: 200, text: 'handled' });
    // RealtimeKit's retry reaching the other isolate: done already, not queued again.
    expect(await send('edge-b')).toEqual({ status: 200, text: 'duplicate' });
    await expect.poll(() => counted('processed', id), { timeout: 10_000 }).toBe(1);
    expect(await counted('sends', id)).toBe(1);
  });

  it('of copies sent to both isolates at once, one is queued; the others are told to come back or are duplicates', async () => {
    const { id, send } = await delivery();
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => send(i % 2 ? 'edge-a' : 'edge-b')),
    );
    expect(answers.filter((a) => a.text === 'handled')).toHaveLength(1);
    for (const { status, text } of answers) {
      expect([
        [200, 'handled'],
        [200, 'duplicate'],
        [503, 'busy'],
      ]).toContainEqual([status, text]);
    }
    await expect.poll(() => counted('processed', id), { timeout: 10_000 }).toBe(1);
    expect(await counted('sends', id)).toBe(1);
  });

  it('answers 500 when the queue send fails; the retry on the other isolate is queued', async () => {
    const { id, send } = await delivery({ failSends: 1 });
    expect(await send('edge-a')).toEqual({ status: 500, text: 'handler-failed' });
    expect(await send('edge-b')).toEqual({ status: 200, text: 'handled' });
    await expect.poll(() => counted('processed', id), { timeout: 10_000 }).toBe(1);
    expect(await counted('sends', id)).toBe(2);
  });

  it('retries a consumer failure until it succeeds', async () => {
    const { id, send } = await delivery({ failProcessing: 2 });
    expect((await send('edge-a')).status).toBe(200);
    await expect.poll(() => counted('processed', id), { timeout: 20_000 }).toBe(1);
    expect(await counted('processing', id)).toBe(3);
    expect(await counted('dead-lettered', id)).toBe(0);
  });

  it('dead-letters a delivery whose processing keeps failing, after the retries', async () => {
    const { id, send } = await delivery({ failProcessing: 99 });
    expect((await send('edge-b')).status).toBe(200);
    await expect.poll(() => counted('dead-lettered', id), { timeout: 20_000 }).toBe(1);
    expect(await counted('processing', id)).toBe(3); // the first attempt and 2 retries
    expect(await counted('processed', id)).toBe(0);
  });

  it('answers 401 to a forged delivery and 404 elsewhere', async () => {
    const body = deliveryBody('meeting.ended');
    const headers = await signer.sign('something else', { id: 'forged', webhookId: 'w-1' });
    expect((await post('edge-a', body, headers)).status).toBe(401);
    const worker = await isolateFetch('edge-a');
    expect((await worker.fetch('https://edge.example.com/')).status).toBe(404);
  });
});

describe("the kit's signer and payloads in workerd, without Prism", () => {
  it('sign a new event in the Worker, which its receiver handles', async () => {
    const worker = await isolateFetch('edge-a');
    const answer = await worker.fetch('https://edge.example.com/kit-self-test', { method: 'POST' });
    expect(await answer.json()).toEqual({ status: 200, body: 'handled', fresh: true });
  });

  it('the bundle holds nothing of the mock package, Prism or Node', () => {
    expect(bundledFiles.some((file) => file.includes('receiver/dist/testing'))).toBe(true);
    const foreign = bundledFiles.filter((file) =>
      /packages\/mock\/|@stoplight|prism|^node:/.test(file),
    );
    expect(foreign).toEqual([]);
  });
});
