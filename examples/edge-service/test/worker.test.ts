import type { Delivery } from '@realtimekit-webhooks/receiver';
import { beforeAll, describe, expect, it } from 'vitest';
import worker, { createHandler, type Env } from '../src/worker.js';

const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
let env: Env;
let sign: (body: string) => Promise<string>;

beforeAll(async () => {
  const pair = await crypto.subtle.generateKey(
    { ...algorithm, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  );
  const spki = btoa(
    String.fromCharCode(...new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey))),
  );
  env = { RTK_WEBHOOK_PUBLIC_KEY: `-----BEGIN PUBLIC KEY-----\n${spki}\n-----END PUBLIC KEY-----` };
  sign = async (body) =>
    btoa(
      String.fromCharCode(
        ...new Uint8Array(
          await crypto.subtle.sign(algorithm, pair.privateKey, new TextEncoder().encode(body)),
        ),
      ),
    );
});

const delivery = async (body: string, id: string, signature?: string) =>
  new Request('https://edge.example.com/rtk', {
    method: 'POST',
    body,
    headers: {
      'rtk-signature': signature ?? (await sign(body)),
      'rtk-uuid': id,
      'rtk-webhook-id': 'w-1',
    },
  });
// A complete meeting.ended body (a partial one would arrive as the `mismatch` variant).
const ended = JSON.stringify({
  event: 'meeting.ended',
  reason: 'ALL_PARTICIPANTS_LEFT',
  meeting: {
    id: 'm-1',
    sessionId: 's-1',
    title: 'Weekly sync',
    status: 'ENDED',
    createdAt: '2026-06-03T10:00:00.000Z',
    startedAt: '2026-06-03T10:00:00.000Z',
    endedAt: '2026-06-03T10:30:00.000Z',
    organizedBy: { id: 'o-1', name: 'Example organization' },
  },
});

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
    expect((await fetch(await delivery(ended, 'b', await sign('other')), env)).status).toBe(401);
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
