// The fake is only worth its tests while it answers as the spec says. Here every operation goes
// through Prism's validating proxy: a request or response that breaks the spec becomes an error
// and is listed in `sl-violations`. (Plain fetch: the client's own tests depend on this package.)
import { type PrismServer, startValidatingProxy } from '@realtimekit-webhooks/mock';
import { WEBHOOK_EVENTS } from '@realtimekit-webhooks/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeApi, startFakeApi } from '../src/stateful/fake-api.js';

let fake: FakeApi;
let proxy: PrismServer;
const APP = '/accounts/023e105f4ecef8ad9ca31a8372d0c353/realtime/kit/app-1/webhooks';

beforeAll(async () => {
  fake = await startFakeApi();
  proxy = await startValidatingProxy({ upstream: fake.baseUrl });
});
afterAll(async () => {
  await proxy?.stop();
  await fake?.stop();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
  token: string | null = 'throwaway',
  base = proxy.baseUrl,
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    json: text === '' ? undefined : JSON.parse(text),
    violations: response.headers.get('sl-violations'),
  };
}

describe('the fake behind Prism proxy --errors', () => {
  it('answers a whole lifecycle as the spec describes, and keeps state', async () => {
    const body = {
      name: 'billing',
      url: 'https://billing.example.com/rtk',
      events: ['meeting.started'],
    };
    const created = await call('POST', APP, body);
    expect(created).toMatchObject({
      status: 201,
      violations: null,
      json: { success: true, data: { ...body, enabled: true } },
    });
    const id = created.json.data.id as string;

    expect(await call('GET', APP)).toMatchObject({
      status: 200,
      violations: null,
      json: { data: [created.json.data] },
    });
    expect(await call('GET', `${APP}/${id}`)).toMatchObject({
      status: 200,
      violations: null,
      json: created.json,
    });
    const replaced = await call('PUT', `${APP}/${id}`, {
      ...body,
      url: 'https://billing.example.com/v2',
    });
    expect(replaced).toMatchObject({
      status: 200,
      violations: null,
      json: { data: { url: 'https://billing.example.com/v2' } },
    });
    const patched = await call('PATCH', `${APP}/${id}`, { enabled: false });
    expect(patched).toMatchObject({
      status: 200,
      violations: null,
      json: { data: { enabled: false, url: 'https://billing.example.com/v2' } },
    });
    expect(await call('GET', `${APP}/all`)).toMatchObject({
      status: 200,
      violations: null,
      json: { data: [...WEBHOOK_EVENTS] },
    });
    expect(await call('DELETE', `${APP}/${id}`)).toMatchObject({
      status: 200,
      violations: null,
      json: patched.json,
    });
    expect(await call('GET', APP)).toMatchObject({ status: 200, json: { data: [] } });
    expect(fake.store.list()).toEqual([]);
  });

  it('answers 404 and 401 in the shapes the spec documents', async () => {
    const missing = await call('GET', `${APP}/6a5b8a3e-1f2c-4d9e-8b7a-2c3d4e5f6a7b`);
    expect(missing).toMatchObject({
      status: 404,
      violations: null,
      json: { success: false, error: { code: 404 } },
    });
    for (const [method, path] of [
      ['GET', APP],
      ['PATCH', `${APP}/6a5b8a3e-1f2c-4d9e-8b7a-2c3d4e5f6a7b`],
    ] as const) {
      // Straight to the fake: the proxy answers a request without a token itself.
      const body = method === 'PATCH' ? { enabled: true } : undefined;
      const unauthorized = await call(method, path, body, null, fake.baseUrl);
      // The bare {message} shape the spec documents for these 401s.
      expect(unauthorized).toEqual({
        status: 401,
        json: { message: 'Unauthorized' },
        violations: null,
      });
    }
  });

  it('proves the check bites: a response that breaks the spec is turned into an error', async () => {
    // A webhook stored without `url` makes every response that includes it break the spec.
    const broken = fake.store.create(
      { name: 'x', url: 'https://x.example', events: [] },
      { accountId: '023e105f4ecef8ad9ca31a8372d0c353', appId: 'app-1' },
    );
    fake.store.webhooks.set(broken.id, { ...broken, url: undefined as unknown as string });
    const answer = await call('GET', `${APP}/${broken.id}`);
    fake.store.clear();
    expect(answer.status).toBe(500);
    expect(answer.violations).toContain("must have required property 'url'");
  });
});

describe('the fake alone (no Prism in front) judges input by the spec too', () => {
  it.each([
    ['POST', APP, { name: 'x', events: ['meeting.ended'] }, /^BAD_REQUEST: "url" is required$/],
    [
      'POST',
      APP,
      { name: 'x', url: 'not a uri', events: ['meeting.ended'] },
      /^BAD_REQUEST: "url" must be an absolute URI/,
    ],
    [
      'PATCH',
      `${APP}/6a5b8a3e-1f2c-4d9e-8b7a-2c3d4e5f6a7b`,
      { colour: 'red' },
      /"colour" is not a known field/,
    ],
    ['GET', `${APP}/not-a-uuid`, undefined, /^BAD_REQUEST: "webhook_id" must be a UUID/],
    ['GET', `${APP}/%E0%A4%A`, undefined, /not valid percent-encoding/],
  ])(
    '%s %s with a body that breaks the spec is a 400 naming the field',
    async (method, path, body, message) => {
      const answer = await call(method, path, body, 'throwaway', fake.baseUrl);
      expect(answer.status).toBe(400);
      expect(answer.json.error.message).toMatch(message);
      expect(fake.store.list()).toEqual([]);
    },
  );
});

describe('one fault vocabulary, the same through both doors', () => {
  it('a truncate fault (from a seeded plan) acts, then cuts the answer in half', async () => {
    const { randomFaults } = await import('../src/fake.js');
    fake.setFaults(randomFaults({ kind: 'truncate' }, 1, { probability: 1, maxFaults: 1 }));
    const sent = fetch(`${fake.baseUrl}${APP}`, {
      method: 'POST',
      headers: { authorization: 'Bearer throwaway', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'cut', url: 'https://a.example/x', events: [] }),
    }).then((response) => response.text());
    await expect(sent).rejects.toThrow();
    fake.setFaults(undefined);
    expect(fake.store.list().map((w) => w.name)).toEqual(['cut']);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'POST', fault: 'truncate', status: 201 });
    fake.store.clear();
  });
});
