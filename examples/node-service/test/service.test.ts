import { type FakeApi, startFakeApi } from '@realtimekit-webhooks/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { type RunningService, startService } from '../src/service.js';

let fake: FakeApi;
let signer: { publicKeyPem: string; sign(body: string): Promise<string> };
const services: RunningService[] = [];

async function makeSigner() {
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
  const pair = await crypto.subtle.generateKey(
    { ...algorithm, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  );
  const spki = btoa(
    String.fromCharCode(...new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey))),
  );
  return {
    publicKeyPem: `-----BEGIN PUBLIC KEY-----\n${spki}\n-----END PUBLIC KEY-----`,
    sign: async (body: string) =>
      btoa(
        String.fromCharCode(
          ...new Uint8Array(
            await crypto.subtle.sign(algorithm, pair.privateKey, new TextEncoder().encode(body)),
          ),
        ),
      ),
  };
}

const env = () => ({
  CLOUDFLARE_API_TOKEN: 'throwaway-token',
  CLOUDFLARE_ACCOUNT_ID: 'acc',
  REALTIMEKIT_APP_ID: 'app',
  RTK_API_BASE_URL: fake.baseUrl,
  RTK_WEBHOOK_PUBLIC_KEY: signer.publicKeyPem,
  PUBLIC_URL: 'https://billing.example.com/',
  WEBHOOK_NAME: 'billing-prod',
  PORT: '0',
});
const start = async () => {
  const service = await startService(readConfig(env()), env());
  services.push(service);
  return service;
};

beforeAll(async () => {
  [fake, signer] = await Promise.all([startFakeApi(), makeSigner()]);
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await fake?.stop();
});

describe('node-service', () => {
  it('registers its webhook once, however many replicas start', async () => {
    const [first, ...others] = await Promise.all([start(), start(), start()]);
    expect(fake.store.list()).toEqual([
      expect.objectContaining({ name: 'billing-prod', url: 'https://billing.example.com/rtk' }),
    ]);
    expect([first, ...others].filter((s) => s.registration.action === 'created')).toHaveLength(1);
    const restarted = await start();
    expect(restarted.registration.action).toBe('unchanged');
    expect(fake.store.list()).toHaveLength(1);
  });

  it('handles a signed delivery once, and refuses a forged one', async () => {
    const service = services[0] ?? (await start());
    // A complete meeting.ended body (a partial one would arrive as the `mismatch` variant).
    const body = JSON.stringify({
      event: 'meeting.ended',
      reason: 'HOST_ENDED_MEETING',
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
    const headers = {
      'rtk-signature': await signer.sign(body),
      'rtk-uuid': 'd-1',
      'rtk-webhook-id': 'w-1',
    };
    const post = (h: Record<string, string>) =>
      fetch(`${service.url}/rtk`, { method: 'POST', body, headers: h });
    expect((await post(headers)).status).toBe(204);
    expect((await post(headers)).status).toBe(204); // RealtimeKit's retry: acknowledged, not handled twice
    expect(
      (await post({ ...headers, 'rtk-uuid': 'd-2', 'rtk-signature': await signer.sign('forged') }))
        .status,
    ).toBe(401);
    expect(service.handled.map((d) => [d.id, d.event])).toEqual([['d-1', 'meeting.ended']]);
  });

  it('says which variable is missing', () => {
    expect(() => readConfig({})).toThrow(/Set PUBLIC_URL/);
  });
});
