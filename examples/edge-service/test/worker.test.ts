import { deliveryBody } from '@realtimekit-webhooks/mock';
import { createTestSigner, type TestSigner } from '@realtimekit-webhooks/mock/signer';
import type { Delivery } from '@realtimekit-webhooks/receiver';
import { beforeAll, describe, expect, it } from 'vitest';
import worker, { createHandler, type Env } from '../src/worker.js';

let env: Env;
let signer: TestSigner;

beforeAll(async () => {
  // The kit's signer: WebCrypto only, the same code a Worker's own tests could run in workerd.
  signer = await createTestSigner();
  env = { RTK_WEBHOOK_PUBLIC_KEY: signer.publicKey };
});

const delivery = async (body: string, id: string, signedBody = body) =>
  new Request('https://edge.example.com/rtk', {
    method: 'POST',
    body,
    headers: await signer.sign(signedBody, { id, webhookId: 'w-1' }),
  });
// The spec's example meeting.ended (a partial body would arrive as the `mismatch` variant).
const ended = deliveryBody('meeting.ended');

describe('edge-service', () => {
  it('hands a verified delivery to the handler once, acknowledging the retry', async () => {
    const seen: Delivery[] = [];
    const fetch = createHandler((d) => void seen.push(d));
    expect((await fetch(await delivery(ended, 'a'), env)).status).toBe(204);
    expect((await fetch(await delivery(ended, 'a'), env)).status).toBe(204);
    expect(seen.map((d) => [d.id, d.event])).toEqual([['a', 'meeting.ended']]);
  });

  it('answers 401 to a forged delivery and 404 elsewhere', async () => {
    const fetch = createHandler(() => {});
    expect((await fetch(await delivery(ended, 'b', 'other'), env)).status).toBe(401);
    expect((await fetch(new Request('https://edge.example.com/'), env)).status).toBe(404);
  });

  it('answers 500 and lets the retry through when the handler fails', async () => {
    let calls = 0;
    const fetch = createHandler(() => {
      calls += 1;
      if (calls === 1) throw new Error('database down');
    });
    expect((await fetch(await delivery(ended, 'c'), env)).status).toBe(500);
    expect((await fetch(await delivery(ended, 'c'), env)).status).toBe(204);
    expect(calls).toBe(2);
  });

  it('exports the Workers module shape', async () => {
    expect((await worker.fetch(await delivery(ended, 'd'), env)).status).toBe(204);
  });
});
