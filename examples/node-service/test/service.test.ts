// The service against the kit: the stateful mock (checked by Prism) for the API, and deliveries the
// mock signs with the key it serves, which the service fetches as it would RealtimeKit's.
import { type StatefulMockServer, startMockServer } from '@realtimekit-webhooks/mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { type RunningService, startService } from '../src/service.js';
import { serviceEnv } from './service-env.js';

let mock: StatefulMockServer;
const services: RunningService[] = [];

const env = () => serviceEnv(mock, { WEBHOOK_NAME: 'billing-prod' });
const start = async () => {
  const service = await startService(readConfig(env()), env());
  services.push(service);
  return service;
};

beforeAll(async () => {
  mock = await startMockServer({ token: 'throwaway-token' });
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await mock?.stop();
});

describe('node-service', () => {
  beforeEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.stop()));
    await mock.reset();
  });

  it('registers its webhook once, however many replicas start', async () => {
    const [first, ...others] = await Promise.all([start(), start(), start()]);
    expect(await mock.webhooks()).toEqual([
      expect.objectContaining({ name: 'billing-prod', url: 'https://billing.example.com/rtk' }),
    ]);
    expect([first, ...others].filter((s) => s.registration.action === 'created')).toHaveLength(1);
    const restarted = await start();
    expect(restarted.registration.action).toBe('unchanged');
    expect(await mock.webhooks()).toHaveLength(1);
  });

  it('registers exactly one webhook when the API answers 503 after creating it', async () => {
    await mock.faults.push({ kind: 'status', status: 503, after: true, match: { method: 'POST' } });
    const service = await start();
    expect(service.registration.action).toBe('created');
    expect(await mock.webhooks()).toHaveLength(1);
  });

  it('handles a signed delivery once, and refuses a forged one', async () => {
    const service = await start();
    const to = `${service.url}/rtk`;
    expect((await mock.deliver('meeting.ended', { to, id: 'd-1' })).status).toBe(200);
    // RealtimeKit's retry: acknowledged, not handled twice.
    expect((await mock.deliver('meeting.ended', { to, id: 'd-1' })).status).toBe(200);
    const forged = await fetch(to, {
      method: 'POST',
      body: '{"event":"meeting.ended"}',
      headers: { 'rtk-signature': btoa('forged'), 'rtk-uuid': 'd-2', 'rtk-webhook-id': 'w-1' },
    });
    // Refused: 401 when the key was fetched after the delivery arrived; within a minute of the
    // last fetch the receiver cannot rule out a rotated key, so it answers 503 (retry later).
    expect([401, 503]).toContain(forged.status);
    expect(service.handled.map((d) => [d.id, d.event])).toEqual([['d-1', 'meeting.ended']]);
  });

  it('says which variable is missing', () => {
    expect(() => readConfig({})).toThrow(/Set PUBLIC_URL/);
  });
});
